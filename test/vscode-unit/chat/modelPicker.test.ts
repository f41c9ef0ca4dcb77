import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { resolveConfig } from '../../../src/core/config';
import { Switchboard } from '../../../src/core/switchboard';
import { initMessage, pickedModel } from '../../../src/vscode/chat/modelPicker';
import { fakeKeys } from '../../fakes/fakeKeys';

describe('chat model picker', () => {
  let dir: string;
  let switchboard: Switchboard;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'switchboard-picker-'));
    const { config } = resolveConfig({ routes: { chat: ['openai:gpt-5.4-mini'], plan: ['openai:gpt-5.4'], completion: ['openai:gpt-5.4-nano'] } });
    switchboard = await Switchboard.create({ config, source: 'vscode', env: { OPENAI_API_KEY: fakeKeys.openai('picker') }, ledgerPath: path.join(dir, 'ledger.jsonl') });
  });

  after(async () => {
    await switchboard.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('offers each routed model of a usable provider, and takes a pick only among them', () => {
    const init = initMessage(switchboard, 'openai:gpt-5.4', false);
    assert.ok(init.type === 'init');
    assert.deepEqual(init.models.map((model) => model.ref), ['openai:gpt-5.4-mini', 'openai:gpt-5.4', 'openai:gpt-5.4-nano']);
    assert.deepEqual(pickedModel(switchboard, 'openai:gpt-5.4'), { ref: { provider: 'openai', model: 'gpt-5.4' } });
    assert.deepEqual(pickedModel(switchboard, 'auto'), {});
  });

  it('refuses a model the picker never offered (in no route: any model the provider sells, at any price)', () => {
    assert.deepEqual(pickedModel(switchboard, 'openai:gpt-5.5-pro'), { refused: true });
    assert.deepEqual(pickedModel(switchboard, 'not a model'), { refused: true });
  });

  it('tells the panel which invalid endpoint setting keeps the providers out, so its notice offers Open Settings', async () => {
    const { config } = resolveConfig({ providers: { openai: { baseUrl: 'localhost:11434/v1' } }, routes: { chat: ['openai:gpt-5.4'] } });
    const broken = await Switchboard.create({ config, source: 'vscode', env: {}, ledgerPath: path.join(dir, 'broken.jsonl') });
    try {
      const init = initMessage(broken, 'auto', false);
      assert.ok(init.type === 'init');
      assert.equal(init.hasCredentials, false);
      assert.equal(init.invalidSettings?.length, 1);
      assert.match(init.invalidSettings[0]!, /providers\.openai\.baseUrl is not an http\(s\) URL/);
      const fine = initMessage(switchboard, 'auto', false);
      assert.ok(fine.type === 'init' && fine.invalidSettings === undefined);
    } finally {
      await broken.dispose();
    }
  });
});
