import assert from 'node:assert/strict';
import { describeProblem, resolveConfig } from '../../../src/core/config';

describe('config: chat frame pacing needs flow control', () => {
  it('says framePacing is ignored while flowControl is off, naming both settings, and leaves it off', () => {
    const { config, problems } = resolveConfig({ chat: { framePacing: true, flowControl: false } });
    assert.equal(config.chat.framePacing, false);
    assert.equal(config.chat.flowControl, false);
    assert.deepEqual(problems.map(describeProblem), [
      "switchboard.chat.framePacing: is ignored while switchboard.chat.flowControl is off (pacing is timed by the panel's acknowledgements, which only flow control asks for); turn flow control on, or pacing off",
    ]);
  });

  it('says nothing when pacing is on with flow control (the default), or off', () => {
    for (const chat of [{ framePacing: true }, { framePacing: false, flowControl: false }, {}]) {
      const { config, problems } = resolveConfig({ chat });
      assert.deepEqual(problems, [], JSON.stringify(chat));
      assert.equal(config.chat.framePacing, chat.framePacing === true);
    }
  });

  it('names the CLI config file in its problem when read there', () => {
    const { problems } = resolveConfig({ chat: { framePacing: true, flowControl: false } }, 'config.json: ');
    assert.match(describeProblem(problems[0] ?? { key: '', message: '' }), /^config\.json: chat\.framePacing: is ignored while chat\.flowControl is off/);
  });
});
