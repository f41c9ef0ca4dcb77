import assert from 'node:assert/strict';
import { freeOnLocalServerHolds, readFreeOnLocalServer } from '../../../src/core/config/settingReaders';
import type { ConfigProblem } from '../../../src/core/config/shape';

/** switchboard.freeOnLocalServer as It's Free (Local Server) finds it in the User settings: compared as it is read. */
describe('freeOnLocalServerHolds', () => {
  it('finds an entry written with spaces around the colon, as the reader reads it, so no duplicate is added', () => {
    const written = ['openai: gpt-x', 42, 'not a ref'];
    const problems: ConfigProblem[] = [];
    assert.deepEqual(readFreeOnLocalServer(written, 'freeOnLocalServer', problems, new Set(['openai'])), ['openai:gpt-x']);
    assert.equal(freeOnLocalServerHolds(written, 'openai:gpt-x'), true);
    assert.equal(freeOnLocalServerHolds([' openai :gpt-x '], 'openai:gpt-x'), true);
  });

  it('does not find another model, another provider, or a bad entry', () => {
    assert.equal(freeOnLocalServerHolds(['openai: gpt-x'], 'openai:gpt-x-mini'), false);
    assert.equal(freeOnLocalServerHolds(['lmstudio:gpt-x'], 'openai:gpt-x'), false);
    assert.equal(freeOnLocalServerHolds(['openai gpt-x', 7, null], 'openai:gpt-x'), false);
    assert.equal(freeOnLocalServerHolds([], 'openai:gpt-x'), false);
  });
});
