import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import type { CompletionInput, CompletionStep } from '../../../src/core/completion/completionContract';
import { at, manualTimer, settled, setup } from './engineHarness';

/** The steps the engine tells `onStep` of, as `line: step`, in order. */
function stepLog(): { onStep: (step: CompletionStep, input: CompletionInput) => void; steps: string[] } {
  const steps: string[] = [];
  return { steps, onStep: (step, input) => steps.push(`${JSON.stringify(input.prefix.slice(-8))}: ${step}`) };
}

const LINE = 'function area(width, height) {\n  return width';
const SUFFIX = '\n}\n';

describe('completion engine: each call says how it went (onStep, the debug log)', () => {
  it('names the rule that ended a call without a request, and the request a call sent', async () => {
    const log = stepLog();
    const timer = manualTimer();
    const { engine, calls } = setup({ debounceMs: 50 }, { sleep: timer.sleep, onStep: log.onStep });
    // Code after the cursor: skipped.
    assert.equal(await engine.complete(at(`${LINE} `, ` * 2${SUFFIX}`), new AbortController().signal), undefined);
    // A keystroke cancels the call in its debounce.
    const typing = new AbortController();
    const first = engine.complete(at(`${LINE} `, SUFFIX), typing.signal);
    typing.abort();
    assert.equal(await first, undefined);
    // The pause: a request, and its answer shown.
    const paused = engine.complete(at(`${LINE} * `, SUFFIX), new AbortController().signal);
    await settled();
    timer.fire();
    await settled();
    calls[0]!.finish('height;');
    assert.deepEqual(await paused, { text: 'height;', source: 'model' });
    // The same place again: the cache.
    await engine.complete(at(`${LINE} * `, SUFFIX), new AbortController().signal);
    assert.deepEqual(log.steps, [
      '"n width ": skipped: code after the cursor',
      '"n width ": cancelled during the debounce',
      '"width * ": request sent',
      '"width * ": model',
      '"width * ": cache',
    ]);
  });

  it('the first completion of a session, ` * ` typed a key each 20 ms while the first request is still out: the last call waits for it, then asks for its own place', async () => {
    // The UI scenario's timing: VS Code calls for each keystroke and cancels the call before when the next comes; the
    // first request (the SDK loading, a cold connection) outlasts the typing.
    const log = stepLog();
    const timer = manualTimer();
    const { engine, calls } = setup({ debounceMs: 50 }, { sleep: timer.sleep, onStep: log.onStep });
    const space = new AbortController();
    const afterSpace = engine.complete(at(`${LINE} `, SUFFIX), space.signal);
    await settled();
    timer.fire();
    await settled();
    assert.equal(calls.length, 1, 'the pause after the space sent a request');
    space.abort();
    const star = new AbortController();
    const afterStar = engine.complete(at(`${LINE} *`, SUFFIX), star.signal);
    star.abort();
    const last = engine.complete(at(`${LINE} * `, SUFFIX), new AbortController().signal);
    await settled();
    calls[0]!.finish('height;');
    await settled();
    timer.fire();
    await settled();
    assert.equal(calls.length, 2, 'the last place got a request of its own');
    calls[1]!.finish('height;');
    assert.equal(await afterSpace, undefined);
    assert.equal(await afterStar, undefined);
    assert.deepEqual(await last, { text: 'height;', source: 'model' });
    assert.deepEqual(log.steps, [
      '"n width ": request sent',
      '"n width ": cancelled while the request ran',
      '" width *": cancelled while waiting for the running request',
      '"width * ": the running request went another way',
      '"width * ": request sent',
      '"width * ": model',
    ]);
  });
});
