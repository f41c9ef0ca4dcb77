import assert from 'node:assert/strict';
import { abExperimentFrom } from '../../bench/chatAB';
import { chatExperimentsFrom, DEFAULT_CHAT_EXPERIMENTS } from '../../bench/chatStreaming';

describe('the chat benches\' experiment names (bench/chatAB.ts --experiment, bench/run.ts --chat-experiment)', () => {
  it('takes the known ones, the defaults when none is given, and nothing for none', () => {
    assert.equal(abExperimentFrom('no-direct-stream'), 'no-direct-stream');
    assert.deepEqual(chatExperimentsFrom(['no-direct-stream,frame-pacing']), ['no-direct-stream', 'frame-pacing']);
    assert.deepEqual(chatExperimentsFrom(undefined), DEFAULT_CHAT_EXPERIMENTS);
    assert.deepEqual(chatExperimentsFrom(['none']), []);
  });

  it("refuses direct-stream, the name README's earlier measurements used, naming no-direct-stream and the swapped sides", () => {
    // README's "Measured" runs: `npx tsx bench/chatAB.ts --experiment direct-stream` (then A off, B on).
    assert.throws(() => abExperimentFrom('direct-stream'), (error: Error) => {
      assert.match(error.message, /^--experiment direct-stream: renamed no-direct-stream /);
      assert.match(error.message, /A is as shipped \(direct stream on\) and B has it off/);
      return true;
    });
    assert.throws(() => chatExperimentsFrom(['frame-pacing,direct-stream']), /^Error: --chat-experiment direct-stream: renamed no-direct-stream /);
  });

  it('names an unknown one and lists the known', () => {
    assert.throws(() => abExperimentFrom('frame-pacin'), /^Error: --experiment: unknown frame-pacin; known: .*no-direct-stream/);
    assert.throws(() => chatExperimentsFrom(['frame-pacin']), /unknown frame-pacin; known: .*, or none$/);
    // Not an experiment because Object.prototype has it.
    assert.throws(() => abExperimentFrom('toString'), /unknown toString/);
  });
});
