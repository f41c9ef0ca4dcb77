import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import {
  DEFAULT_COMPLETION_SETTINGS,
  type CompletionEngineDeps,
  type CompletionInput,
  type CompletionRequestMeta,
  type CompletionSettings,
} from '../../../src/core/completion/completionContract';
import { CompletionEngine } from '../../../src/core/completion/completionEngine';
import { FILL_MARKER } from '../../../src/core/completion/completionPrompt';
import { SnippetCollector } from '../../../src/core/completion/contextSnippets';
import { ProviderError } from '../../../src/core/providers/providerError';
import type { ModelRequest } from '../../../src/core/types';

/** One request as the router would see it; the test decides what the model streams and when it ends. */
interface ModelCall {
  request: ModelRequest;
  signal: AbortSignal;
  meta: CompletionRequestMeta;
  stream(text: string): void;
  finish(text?: string): void;
  fail(error: unknown): void;
}

/** Stands in for the router: the engine's `request` dependency, with requests answered by the test. */
function fakeRouter(): { calls: ModelCall[]; request: CompletionEngineDeps['request']; nextCall(): Promise<ModelCall> } {
  const calls: ModelCall[] = [];
  let waiting: Array<(call: ModelCall) => void> = [];
  const request: CompletionEngineDeps['request'] = (modelRequest, signal, onText, meta) =>
    new Promise((resolve, reject) => {
      let text = '';
      const call: ModelCall = {
        request: modelRequest,
        signal,
        meta,
        stream(chunk) {
          text += chunk;
          onText(chunk);
        },
        finish(chunk = '') {
          if (chunk) call.stream(chunk);
          resolve({ text });
        },
        fail: reject,
      };
      signal.addEventListener('abort', () => reject(new ProviderError('cancelled', 'fake', 'The request was aborted.')), { once: true });
      calls.push(call);
      const told = waiting;
      waiting = [];
      for (const tell of told) tell(call);
    });
  // The next request made from now on: waited on instead of time passing.
  const nextCall = (): Promise<ModelCall> => new Promise((resolve) => waiting.push(resolve));
  return { calls, request, nextCall };
}

/** A debounce timer the test fires by hand. */
function manualTimer(): { sleep: NonNullable<CompletionEngineDeps['sleep']>; fire(): void; readonly waiting: number } {
  let waiters: Array<(done: boolean) => void> = [];
  return {
    sleep: (_ms, signal) =>
      new Promise((resolve) => {
        if (signal.aborted) return resolve(false);
        signal.addEventListener('abort', () => resolve(false), { once: true });
        waiters.push(resolve);
      }),
    fire() {
      const due = waiters;
      waiters = [];
      for (const resolve of due) resolve(true);
    },
    get waiting() {
      return waiters.length;
    },
  };
}

const settled = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const uri = 'file:///ws/src/cart.ts';
const prefix = 'function total(cart) {\n  return ';
const suffix = '\n}\n';

function at(prefixText = prefix, suffixText = suffix, documentUri = uri): CompletionInput {
  return { uri: documentUri, languageId: 'typescript', relativePath: 'src/cart.ts', prefix: prefixText, suffix: suffixText };
}

function setup(overrides: Partial<CompletionSettings> = {}, extra: Partial<CompletionEngineDeps> = {}) {
  const router = fakeRouter();
  const served: string[] = [];
  const errors: unknown[] = [];
  const settings: CompletionSettings = { ...DEFAULT_COMPLETION_SETTINGS, debounceMs: 0, modelKey: 'openai:gpt-4.1-mini', ...overrides };
  const engine = new CompletionEngine({
    request: router.request,
    settings: () => settings,
    onServedWithoutRequest: (source) => served.push(source),
    onError: (error) => errors.push(error),
    ...extra,
  });
  return { engine, calls: router.calls, nextCall: router.nextCall, served, errors };
}

function firstCall(calls: ModelCall[]): ModelCall {
  const call = calls[0];
  assert.ok(call, 'a request was made');
  return call;
}

describe('completion engine', () => {
  it('asks the model once and returns its cleaned answer', async () => {
    const { engine, calls } = setup();
    const pending = engine.complete(at(), new AbortController().signal);
    const call = firstCall(calls);
    assert.equal(call.meta.task, 'completion');
    assert.equal(call.meta.multiline, false);
    assert.ok(call.request.messages[0]?.content.includes(`  return ${FILL_MARKER}\n}`));
    call.finish('```ts\ncart.items.length;\n```');
    assert.deepEqual(await pending, { text: 'cart.items.length;', source: 'model' });
    assert.equal(engine.stats().modelRequests, 1);
  });

  it('reads the text sent as a docstring’s when the editor says one is open where it starts', async () => {
    // The window starts inside a docstring opened far above it: its `Returns:` opens no block.
    const input: CompletionInput = {
      uri: 'file:///ws/report.py',
      languageId: 'python',
      relativePath: 'report.py',
      prefix: '    rows are the lines of the report, one number each.\n\n    Returns:',
      suffix: '\n',
    };
    const answer = '\n    The sum of the rows.';
    const alone = setup();
    const asCode = alone.engine.complete(input, new AbortController().signal);
    firstCall(alone.calls).finish(answer);
    assert.deepEqual(await asCode, { text: '\n        The sum of the rows.', source: 'model' }, 'read alone, the text starts in code');
    const told = setup();
    const asText = told.engine.complete({ ...input, openAtStart: { quote: '"""', templates: [], comment: false } }, new AbortController().signal);
    firstCall(told.calls).finish(answer);
    assert.deepEqual(await asText, { text: '\n    The sum of the rows.', source: 'model' });
  });

  it('serves the same place again from the cache without a request', async () => {
    const { engine, calls, served } = setup();
    const first = engine.complete(at(), new AbortController().signal);
    firstCall(calls).finish('cart.items.length;');
    await first;
    assert.deepEqual(await engine.complete(at(), new AbortController().signal), { text: 'cart.items.length;', source: 'cache' });
    assert.equal(calls.length, 1);
    assert.equal(engine.stats().cacheHits, 1);
    assert.deepEqual(served, ['cache']);
  });

  it('ages the cache on a clock the wall clock\'s steps do not move: set forward two hours, the answer of a moment ago is still served', async () => {
    // The wall clock is stepped (NTP, the user, a VM resumed): nothing the engine times may move with it. Replaced
    // before the engine is made, so that a clock it took then is this one.
    const wall = Date.now;
    let step = 0;
    Date.now = () => wall() + step;
    try {
      const { engine, calls } = setup({ cacheMaxAgeMs: 60_000 });
      const first = engine.complete(at(), new AbortController().signal);
      firstCall(calls).finish('cart.items.length;');
      await first;
      step = 2 * 3_600_000;
      assert.deepEqual(await engine.complete(at(), new AbortController().signal), { text: 'cart.items.length;', source: 'cache' });
      assert.equal(calls.length, 1, 'no second request');
    } finally {
      Date.now = wall;
    }
  });

  it('serves the rest of the ghost text while the user types it, and asks again after a mismatch', async () => {
    const { engine, calls, served } = setup();
    const first = engine.complete(at(), new AbortController().signal);
    firstCall(calls).finish('cart.items.length;');
    await first;

    for (const [typed, rest] of [
      ['c', 'art.items.length;'],
      ['ca', 'rt.items.length;'],
      ['car', 't.items.length;'],
    ] as const) {
      assert.deepEqual(await engine.complete(at(prefix + typed), new AbortController().signal), { text: rest, source: 'typed-through' });
    }
    assert.equal(calls.length, 1, 'three matching keystrokes, no new request');
    assert.equal(engine.stats().typedThroughHits, 3);
    assert.deepEqual(served, ['typed-through', 'typed-through', 'typed-through']);

    const mismatch = engine.complete(at(`${prefix}carx`), new AbortController().signal);
    assert.equal(calls.length, 2, 'a character that differs from the ghost text needs a new request');
    calls[1]?.finish('.count;');
    assert.deepEqual(await mismatch, { text: '.count;', source: 'model' });
  });

  it('joins the request in flight when the user types what it is streaming', async () => {
    const { engine, calls, served } = setup();
    const first = new AbortController();
    const firstResult = engine.complete(at(), first.signal);
    const call = firstCall(calls);
    call.stream('cart.it');
    await settled();

    // VS Code cancels the previous call on the next keystroke.
    first.abort();
    const second = engine.complete(at(`${prefix}ca`), new AbortController().signal);
    await settled();
    assert.equal(calls.length, 1, 'no second request');
    assert.equal(call.signal.aborted, false, 'the request in flight keeps running');

    call.finish('ems.length;');
    assert.deepEqual(await second, { text: 'rt.items.length;', source: 'inflight' });
    assert.equal(await firstResult, undefined, 'the cancelled call shows nothing');
    assert.equal(engine.stats().inflightJoins, 1);
    assert.deepEqual(served, ['inflight']);
  });

  it("joins while a chat model's fenced answer is still streaming", async () => {
    const { engine, calls } = setup();
    const first = new AbortController();
    void engine.complete(at(), first.signal);
    const call = firstCall(calls);
    call.stream('```typescript\ncart.');
    first.abort();
    const second = engine.complete(at(`${prefix}cart.it`), new AbortController().signal);
    await settled();
    assert.equal(calls.length, 1, 'what was typed is where the answer is going, so no new request');
    call.finish('items.length;\n```');
    assert.deepEqual(await second, { text: 'ems.length;', source: 'inflight' });
  });

  it('makes its own request when a joined answer turns out not to match', async () => {
    const { engine, calls } = setup();
    const first = new AbortController();
    void engine.complete(at(), first.signal);
    first.abort();
    const second = engine.complete(at(`${prefix}ca`), new AbortController().signal);
    await settled();
    firstCall(calls).finish('items.length;');
    await settled();
    assert.equal(calls.length, 2);
    calls[1]?.finish('rt.total;');
    assert.deepEqual(await second, { text: 'rt.total;', source: 'model' });
  });

  it('after Enter, asks at once instead of waiting for a request that asked for the rest of its line only', async () => {
    const { engine, calls } = setup();
    const line = 'function total(cart) {\n  log(cart)';
    const first = new AbortController();
    void engine.complete(at(line), first.signal);
    assert.equal(firstCall(calls).meta.multiline, false);

    // Enter and the indentation before any of its answer came: a single-line answer cannot hold them.
    first.abort();
    const enter = engine.complete(at(`${line}\n  `), new AbortController().signal);
    await settled();
    assert.equal(calls.length, 2, 'the new line gets its own request without waiting');
    assert.equal(firstCall(calls).signal.aborted, true, 'the request no call can use stops billing');
    assert.equal(calls[1]?.meta.multiline, true);
    calls[1]?.finish('return cart.total;');
    assert.deepEqual(await enter, { text: 'return cart.total;', source: 'model' });
    assert.equal(engine.stats().inflightJoins, 0);
  });

  it('aborts a superseded request, so it stops billing', async () => {
    const { engine, calls } = setup();
    const first = new AbortController();
    void engine.complete(at(), first.signal);
    const call = firstCall(calls);
    call.stream('cart.it');
    await settled();

    first.abort();
    void engine.complete(at(`${prefix}x`), new AbortController().signal);
    assert.equal(call.signal.aborted, true);
    assert.equal(engine.stats().cancelled, 1);
    assert.equal(calls.length, 2, 'the new place gets its own request');
  });

  it('aborts a running request when the cursor moves into existing code', async () => {
    const { engine, calls } = setup();
    const first = new AbortController();
    void engine.complete(at(), first.signal);
    first.abort();
    assert.equal(await engine.complete(at(prefix, 'cart.items;\n}\n'), new AbortController().signal), undefined);
    assert.equal(firstCall(calls).signal.aborted, true);
    assert.equal(calls.length, 1);
  });

  it('keeps a request alive while a call still waits for it', async () => {
    const { engine, calls } = setup();
    const inCart = engine.complete(at(), new AbortController().signal);
    const otherFile = engine.complete(at('const tax = ', ';\n', 'file:///ws/src/tax.ts'), new AbortController().signal);
    assert.equal(calls.length, 2);
    assert.equal(calls[0]?.signal.aborted, false, 'the first call was not cancelled, so its request is not superseded');
    calls[0]?.finish('cart.total;');
    calls[1]?.finish('0.2;');
    assert.deepEqual(await inCart, { text: 'cart.total;', source: 'model' });
    assert.deepEqual(await otherFile, { text: '0.2', source: 'model' });
  });

  it('caches the answer of a request whose caller was cancelled', async () => {
    const { engine, calls } = setup();
    const first = new AbortController();
    const result = engine.complete(at(), first.signal);
    first.abort();
    assert.equal(await result, undefined);
    firstCall(calls).finish('cart.items.length;');
    await settled();
    assert.deepEqual(await engine.complete(at(), new AbortController().signal), { text: 'cart.items.length;', source: 'cache' });
    assert.equal(calls.length, 1);
  });

  it('makes no request when cancelled during the debounce', async () => {
    const timer = manualTimer();
    const { engine, calls } = setup({ debounceMs: 75 }, { sleep: timer.sleep });
    const keystroke = new AbortController();
    const result = engine.complete(at(), keystroke.signal);
    assert.equal(timer.waiting, 1);
    keystroke.abort();
    assert.equal(await result, undefined);
    timer.fire();
    await settled();
    assert.equal(calls.length, 0);
    assert.equal(engine.stats().debounced, 1);

    const quiet = engine.complete(at(`${prefix}c`), new AbortController().signal);
    assert.equal(calls.length, 0, 'still waiting out the debounce');
    timer.fire();
    await settled();
    assert.equal(calls.length, 1, 'a call that was not cancelled asks once the debounce is over');
    calls[0]?.finish('art.total;');
    assert.deepEqual(await quiet, { text: 'art.total;', source: 'model' });
  });

  it('waits the debounce with real timers when none is injected', async () => {
    const { engine, calls, nextCall } = setup({ debounceMs: 5, adaptiveDebounce: false });
    const keystroke = new AbortController();
    const cancelled = engine.complete(at(), keystroke.signal);
    assert.equal(calls.length, 0);
    keystroke.abort();
    assert.equal(await cancelled, undefined);
    // The next keystroke's debounce, as long and begun later, runs out: its request is the only one made.
    const arrived = nextCall();
    const later = engine.complete(at(`${prefix}c`), new AbortController().signal);
    assert.equal(calls.length, 0, 'still waiting out the debounce');
    const call = await arrived;
    assert.deepEqual(calls, [call], 'the cancelled keystroke asked nothing');
    call.finish('art.total;');
    assert.deepEqual(await later, { text: 'art.total;', source: 'model' });
  });

  it('makes no request with the cursor inside existing code', async () => {
    const { engine, calls } = setup();
    assert.equal(await engine.complete(at(prefix, 'cart.items;\n}\n'), new AbortController().signal), undefined);
    assert.equal(calls.length, 0);
    assert.equal(engine.stats().skipped, 1);
  });

  it('makes no request, reports no error and caches nothing while it may not request, and asks as soon as it may', async () => {
    let may = false;
    const { engine, calls, errors } = setup({}, { mayRequest: () => may });
    for (const typed of ['', 'c', 'ca']) {
      assert.equal(await engine.complete(at(`${prefix}${typed}`), new AbortController().signal), undefined);
    }
    assert.equal(calls.length, 0);
    assert.deepEqual(errors, []);
    assert.equal(engine.stats().refused, 3);
    assert.equal(engine.stats().modelRequests, 0);

    may = true;
    const pending = engine.complete(at(`${prefix}ca`), new AbortController().signal);
    assert.equal(calls.length, 1, 'the place refused before is asked now: the refusal was not cached');
    firstCall(calls).finish('rt.total;');
    assert.deepEqual(await pending, { text: 'rt.total;', source: 'model' });
  });

  it('asks whether it may request after the debounce, when the request would go', async () => {
    const timer = manualTimer();
    let may = true;
    const { engine, calls } = setup({ debounceMs: 75 }, { sleep: timer.sleep, mayRequest: () => may });
    const result = engine.complete(at(), new AbortController().signal);
    // The budget is spent by another request while this one waits out the debounce.
    may = false;
    timer.fire();
    assert.equal(await result, undefined);
    assert.equal(calls.length, 0);
    assert.equal(engine.stats().refused, 1);
  });

  it('reports a failed request and asks again next time instead of caching the failure', async () => {
    const { engine, calls, errors } = setup();
    const failing = engine.complete(at(), new AbortController().signal);
    firstCall(calls).fail(new ProviderError('server', 'openai', 'HTTP 500'));
    assert.equal(await failing, undefined);
    assert.equal(engine.stats().failed, 1);
    assert.equal(errors.length, 1);
    void engine.complete(at(), new AbortController().signal);
    assert.equal(calls.length, 2);
  });

  it('remembers that the model had nothing to add at a place', async () => {
    const { engine, calls, served } = setup();
    const first = engine.complete(at(), new AbortController().signal);
    firstCall(calls).finish('   ');
    assert.equal(await first, undefined);
    assert.equal(await engine.complete(at(), new AbortController().signal), undefined);
    assert.equal(calls.length, 1);
    assert.deepEqual(served, [], 'nothing was shown, so nothing counts as served');
  });

  it('sends a multi-line FIM request after a block opener and keeps the answer inside the block', async () => {
    const { engine, calls } = setup({ fim: true });
    const pending = engine.complete(at('function total(cart) {', '\n'), new AbortController().signal);
    const call = firstCall(calls);
    assert.equal(call.meta.multiline, true);
    assert.equal(call.meta.fim, true);
    assert.deepEqual(call.request.stop, ['\n\n\n']);
    assert.equal(call.request.maxTokens, DEFAULT_COMPLETION_SETTINGS.maxTokens.multiLine);
    assert.ok(call.request.fim?.prefix.endsWith('function total(cart) {'));
    call.finish('\n  return cart.items.length;\n}\n\nfunction next() {}');
    assert.deepEqual(await pending, { text: '\n  return cart.items.length;\n}', source: 'model' });
  });

  it('puts snippets from other open files into the prompt', async () => {
    const snippets = new SnippetCollector();
    snippets.noteOpenDocument({
      uri: 'file:///ws/src/item.ts',
      relativePath: 'src/item.ts',
      languageId: 'typescript',
      version: () => 1,
      getText: () => 'export function cartItemsTotal(cart: Cart) {\n  return cart.items.reduce((sum, item) => sum + item.price, 0);\n}',
    });
    const { engine, calls } = setup({}, { snippets });
    void engine.complete(at('function total(cart: Cart) {\n  const items = cart.items;\n  return '), new AbortController().signal);
    assert.ok(firstCall(calls).request.messages[0]?.content.includes('<snippet path="src/item.ts">'));
  });

  it('aborts the running request when disposed, even with a call waiting', () => {
    const { engine, calls } = setup();
    void engine.complete(at(), new AbortController().signal);
    engine.dispose();
    assert.equal(firstCall(calls).signal.aborted, true);
  });
});

/**
 * A sleep that records how long each call was asked to wait and lets it pass at once.
 * Tests that compare the waits also stop the clock (`now: () => 0`): the engine waits the
 * debounce less the time already spent, which a busy machine makes 149 ms instead of 150.
 */
function recordingSleep(): { sleep: NonNullable<CompletionEngineDeps['sleep']>; waits: number[] } {
  const waits: number[] = [];
  return {
    waits,
    sleep: (ms, signal) => {
      waits.push(ms);
      return Promise.resolve(!signal.aborted);
    },
  };
}

describe('completion engine: sooner ghost text (issue 12)', () => {
  const line = 'function total(cart) {\n  const count = cart.items.length;';

  describe('speculation after a suggestion is taken', () => {
    /** Not a `return`: after one that ends its block no next lines are asked for. */
    const start = 'function total(cart) {\n  const count = ';

    it('asks for the next suggestion at once, without the debounce, when the shown one was accepted', async () => {
      const timer = recordingSleep();
      const { engine, calls } = setup({ debounceMs: 150, speculate: true, nextLine: true }, { sleep: timer.sleep, now: () => 0 });
      const shown = engine.complete(at(start), new AbortController().signal);
      await settled();
      firstCall(calls).finish('cart.items.length;');
      assert.deepEqual(await shown, { text: 'cart.items.length;', source: 'model' });
      assert.deepEqual(timer.waits, [150]);

      // Tab inserts the ghost text; VS Code then asks again right after it.
      const next = engine.complete(at(`${start}cart.items.length;`), new AbortController().signal);
      assert.equal(calls.length, 2, 'the next request goes out at once');
      assert.deepEqual(timer.waits, [150], 'no debounce before it');
      assert.equal(engine.stats().speculative, 1);
      calls[1]?.finish('\n  return count;');
      assert.deepEqual(await next, { text: '\n  return count;', source: 'model' });
    });

    it('waits the debounce as before when speculation is off', async () => {
      const timer = recordingSleep();
      const { engine, calls } = setup({ debounceMs: 150, speculate: false }, { sleep: timer.sleep, now: () => 0 });
      const shown = engine.complete(at(start), new AbortController().signal);
      await settled();
      firstCall(calls).finish('sum(cart.items,');
      await shown;
      void engine.complete(at(`${start}sum(cart.items,`), new AbortController().signal);
      await settled();
      assert.deepEqual(timer.waits, [150, 150]);
      assert.equal(calls.length, 2);
      assert.equal(engine.stats().speculative, 0);
    });

    it('serves the speculative answer when the user pauses there later, without another request', async () => {
      const { engine, calls } = setup({ speculate: true, nextLine: true });
      const shown = engine.complete(at(start), new AbortController().signal);
      firstCall(calls).finish('cart.items.length;');
      await shown;
      // Accepted, and VS Code cancels the call at once (a keystroke, or the editor asking again): the request keeps going.
      const keystroke = new AbortController();
      const speculative = engine.complete(at(`${start}cart.items.length;`), keystroke.signal);
      keystroke.abort();
      assert.equal(await speculative, undefined);
      calls[1]?.finish('\n  return count;');
      await settled();
      assert.equal(calls[1]?.signal.aborted, false, 'nothing superseded it');

      // Pausing there: served from what the speculative request brought.
      assert.deepEqual(await engine.complete(at(`${start}cart.items.length;`), new AbortController().signal), {
        text: '\n  return count;',
        source: 'cache',
      });
      assert.equal(calls.length, 2);
    });

    it('serves the speculative answer through typing, and stops it when the user types something else', async () => {
      const { engine, calls } = setup({ speculate: true, nextLine: true });
      const shown = engine.complete(at(start), new AbortController().signal);
      firstCall(calls).finish('cart.items.length;');
      await shown;
      const accepted = `${start}cart.items.length;`;

      // Enter and the indentation, typed while the speculative answer streams: it is joined, not asked again.
      const afterAccept = new AbortController();
      void engine.complete(at(accepted), afterAccept.signal);
      calls[1]?.stream('\n  report(');
      afterAccept.abort();
      const enter = engine.complete(at(`${accepted}\n  `), new AbortController().signal);
      calls[1]?.finish('count);');
      assert.deepEqual(await enter, { text: 'report(count);', source: 'inflight' });
      assert.equal(calls.length, 2);

      // That suggestion typed to its end: the next speculation goes out; the user types something else and it stops.
      const typedToEnd = new AbortController();
      void engine.complete(at(`${accepted}\n  report(count);`), typedToEnd.signal);
      assert.equal(calls.length, 3, 'a suggestion typed to its end is followed by a request at once');
      typedToEnd.abort();
      // Backspace: the request for the place after `;` can serve no call here.
      void engine.complete(at(`${accepted}\n  report(count)`), new AbortController().signal);
      assert.equal(calls[2]?.signal.aborted, true, 'the speculation no call can use stops billing');
    });
  });

  describe('no speculation where the last one was not taken (speculationBackoff)', () => {
    const start = 'function total(cart) {\n  const count = ';

    /** Shows `text` at `prefixText` from a new request, the user pausing there first (the debounce waited). */
    async function shownAfterPause(engine: CompletionEngine, calls: ModelCall[], prefixText: string, text: string): Promise<void> {
      const shown = engine.complete(at(prefixText), new AbortController().signal);
      await settled();
      calls[calls.length - 1]?.finish(text);
      assert.deepEqual(await shown, { text, source: 'model' });
    }

    it('waits the debounce after a take where the last speculation at such a place went untaken, then speculates again', async () => {
      const timer = recordingSleep();
      const { engine, calls } = setup({ debounceMs: 150, speculate: true, speculationBackoff: true }, { sleep: timer.sleep, now: () => 0 });
      await shownAfterPause(engine, calls, start, 'cart.items');
      // Taken: the speculation goes out at once, and its answer is shown.
      const speculated = engine.complete(at(`${start}cart.items`), new AbortController().signal);
      assert.equal(calls.length, 2, 'speculated at once');
      calls[1]?.finish('.length');
      assert.deepEqual(await speculated, { text: '.length', source: 'model' });
      // The user types another way, pauses, and takes what comes there: the speculation above was not taken.
      await shownAfterPause(engine, calls, `${start}cart.items.s`, 'ize');
      const afterMiss = engine.complete(at(`${start}cart.items.size`), new AbortController().signal);
      await settled();
      assert.equal(engine.stats().speculationsSkipped, 1);
      assert.equal(engine.stats().speculative, 1);
      assert.deepEqual(timer.waits, [150, 150, 150], 'the call after the take waited the debounce');
      calls[3]?.finish(' * 2');
      await afterMiss;
      // Taking that one: the record was cleared, so the next take speculates again.
      void engine.complete(at(`${start}cart.items.size * 2`), new AbortController().signal);
      assert.equal(calls.length, 5, 'speculated at once again');
      assert.equal(engine.stats().speculative, 2);
      assert.deepEqual(timer.waits, [150, 150, 150]);
    });

    it('keeps speculating while the speculations are taken, and after a miss when the setting is off', async () => {
      for (const speculationBackoff of [true, false]) {
        const { engine, calls } = setup({ speculate: true, speculationBackoff });
        await shownAfterPause(engine, calls, start, 'cart.items');
        const first = engine.complete(at(`${start}cart.items`), new AbortController().signal);
        calls[1]?.finish('.length');
        await first;
        // Taken in full: the next speculation goes out at once.
        void engine.complete(at(`${start}cart.items.length`), new AbortController().signal);
        assert.equal(calls.length, 3, `speculated after a taken speculation (backoff ${String(speculationBackoff)})`);
        calls[2]?.finish(' + 1');
        await settled();
        if (speculationBackoff) continue;
        // Off: a speculation not taken changes nothing.
        await shownAfterPause(engine, calls, `${start}cart.items.length - `, 'offset');
        void engine.complete(at(`${start}cart.items.length - offset`), new AbortController().signal);
        assert.equal(calls.length, 5, 'speculated at once after a miss');
        assert.equal(engine.stats().speculationsSkipped, 0);
      }
    });
  });

  describe('no repeat of the suggestion just accepted', () => {
    it('does not offer the accepted text again right after it, from the model, the cache or typed-through', async () => {
      const { engine, calls, served } = setup({ speculate: true });
      const shown = engine.complete(at(), new AbortController().signal);
      firstCall(calls).finish('height *');
      await shown;
      const accepted = `${prefix}height *`;

      const again = engine.complete(at(accepted), new AbortController().signal);
      // After a blank: the exact `height *` is already dropped by post-processing as a restated end of the line.
      calls[1]?.finish(' height *');
      assert.equal(await again, undefined, 'the model repeated the accepted suggestion');
      assert.equal(await engine.complete(at(accepted), new AbortController().signal), undefined, 'nor from the cache');
      assert.equal(calls.length, 2);
      assert.equal(engine.stats().repeatsHidden, 2);
      assert.deepEqual(served, [], 'a hidden answer is not counted as served');
    });

    it('hides a suggestion that starts by repeating the accepted one, also across blank space', async () => {
      const { engine, calls } = setup();
      const shown = engine.complete(at(), new AbortController().signal);
      firstCall(calls).finish('cart.items.length;');
      await shown;
      const again = engine.complete(at(`${prefix}cart.items.length;`), new AbortController().signal);
      calls[1]?.finish('  cart.items.length; // count');
      assert.equal(await again, undefined);
    });

    it('offers other text right after the accepted one, and the same text once the user has typed on', async () => {
      const { engine, calls } = setup();
      const shown = engine.complete(at(), new AbortController().signal);
      firstCall(calls).finish('height *');
      await shown;
      const accepted = `${prefix}height *`;
      const different = engine.complete(at(accepted), new AbortController().signal);
      calls[1]?.finish(' width;');
      assert.deepEqual(await different, { text: ' width;', source: 'model' });

      const typedOn = engine.complete(at(`${accepted}\n  `), new AbortController().signal);
      calls[2]?.finish('height;');
      assert.deepEqual(await typedOn, { text: 'height;', source: 'model' }, 'no longer right after the accepted text');
    });

    it('lets brackets and punctuation come twice in a row', async () => {
      const { engine, calls } = setup({ speculate: true });
      const call = 'function f() {\n  total(sum(x';
      const shown = engine.complete(at(call), new AbortController().signal);
      firstCall(calls).finish(')');
      assert.deepEqual(await shown, { text: ')', source: 'model' });
      const outer = engine.complete(at(`${call})`), new AbortController().signal);
      calls[1]?.finish(');');
      assert.deepEqual(await outer, { text: ');', source: 'model' });
      assert.equal(engine.stats().repeatsHidden, 0);
    });
  });

  describe('adaptive debounce', () => {
    it('waits nothing where a pause is likely and the setting inside a word until it knows the rhythm', async () => {
      const timer = recordingSleep();
      // A clock that stands still: no time spent before the wait is taken off it.
      const { engine, calls } = setup({ debounceMs: 150, adaptiveDebounce: true }, { sleep: timer.sleep, now: () => 0 });
      void engine.complete(at(`${prefix}sum(cart.items,`), new AbortController().signal);
      await settled();
      void engine.complete(at(`${prefix}cart.ite`), new AbortController().signal);
      await settled();
      void engine.complete(at('function total(cart) {\n  '), new AbortController().signal);
      await settled();
      assert.deepEqual(timer.waits, [150], 'only the call inside a word waited');
      assert.equal(calls.length, 3);
    });

    it("follows the user's keystrokes inside a word once it has seen enough of them", async () => {
      const timer = recordingSleep();
      let now = 0;
      const { engine } = setup({ debounceMs: 150, adaptiveDebounce: true }, { sleep: timer.sleep, now: () => now });
      const word = 'itemsLengthTotal';
      for (let i = 1; i <= word.length; i++) {
        now += 240;
        const keystroke = new AbortController();
        void engine.complete(at(`${prefix}cart.${word.slice(0, i)}`), keystroke.signal);
        keystroke.abort();
      }
      await settled();
      assert.equal(timer.waits.at(0), 150, 'the setting before the rhythm is known');
      assert.equal(timer.waits.at(-1), 240, "then this user's slow keystroke");
    });

    it('waits for a typo to be taken back after a letter that left the ghost text, and serves the ghost text again without a request', async () => {
      const waits: number[] = [];
      const timer = manualTimer();
      const sleep: CompletionEngineDeps['sleep'] = (ms, signal) => {
        waits.push(ms);
        return timer.sleep(ms, signal);
      };
      const { engine, calls } = setup({ debounceMs: 75, adaptiveDebounce: true }, { sleep, now: () => 0 });
      const shown = engine.complete(at(`${prefix}`), new AbortController().signal);
      await settled();
      timer.fire();
      await settled();
      firstCall(calls).finish('cart.items.length;');
      assert.deepEqual(await shown, { text: 'cart.items.length;', source: 'model' });
      assert.deepEqual(await engine.complete(at(`${prefix}cart.it`), new AbortController().signal), { text: 'ems.length;', source: 'typed-through' });

      // A typo: `cart.itr`. The call waits longer than a keystroke inside a word…
      const typo = new AbortController();
      const afterTypo = engine.complete(at(`${prefix}cart.itr`), typo.signal);
      await settled();
      assert.ok((waits.at(-1) ?? 0) >= 300, `waited ${waits.at(-1)} ms`);
      // …and Backspace, a few hundred milliseconds later, cancels it before any request.
      typo.abort();
      assert.equal(await afterTypo, undefined);
      assert.deepEqual(await engine.complete(at(`${prefix}cart.it`), new AbortController().signal), { text: 'ems.length;', source: 'typed-through' });
      assert.equal(calls.length, 1, 'no request for the typo');

      // Going another way is asked for once the wait is over; with the adaptive debounce off, after the setting.
      const other = engine.complete(at(`${prefix}cart.itr`), new AbortController().signal);
      await settled();
      timer.fire();
      await settled();
      assert.equal(calls.length, 2);
      calls[1]?.finish('im();');
      assert.deepEqual(await other, { text: 'im();', source: 'model' });
      const offWaits = recordingSleep();
      const offEngine = setup({ debounceMs: 75, adaptiveDebounce: false }, { sleep: offWaits.sleep, now: () => 0 });
      const offShown = offEngine.engine.complete(at(`${prefix}`), new AbortController().signal);
      await settled();
      firstCall(offEngine.calls).finish('cart.items.length;');
      await offShown;
      void offEngine.engine.complete(at(`${prefix}cart.itr`), new AbortController().signal);
      await settled();
      assert.deepEqual(offWaits.waits, [75, 75]);
    });

    it('waits the same after a letter that left the answer of the request it joined (remembered though not shown), which the letters before it followed', async () => {
      const timer = recordingSleep();
      const { engine, calls } = setup({ debounceMs: 75, adaptiveDebounce: true }, { sleep: timer.sleep, now: () => 0 });
      // After `.` a pause is likely: asked at once.
      const first = new AbortController();
      void engine.complete(at(`${prefix}cart.`), first.signal);
      first.abort();
      // `cart.ix` typed while it streams: joined, until the answer says `items`.
      const typo = engine.complete(at(`${prefix}cart.ix`), new AbortController().signal);
      firstCall(calls).finish('items.length;');
      await settled();
      await settled();
      assert.deepEqual(timer.waits, [300], 'the lower bound while the rhythm is not known');
      calls[1]?.finish('tems.length;');
      assert.deepEqual(await typo, { text: 'tems.length;', source: 'model' });
      // Two letters off the answer: going another way, the usual wait inside a word.
      void engine.complete(at(`${prefix}cart.quu`), new AbortController().signal);
      await settled();
      assert.equal(timer.waits.at(-1), 75);
    });

    it('uses the setting everywhere when off', async () => {
      const timer = recordingSleep();
      const { engine } = setup({ debounceMs: 150, adaptiveDebounce: false }, { sleep: timer.sleep, now: () => 0 });
      void engine.complete(at(`${prefix}sum(cart.items,`), new AbortController().signal);
      void engine.complete(at('function total(cart) {\n  '), new AbortController().signal);
      await settled();
      assert.deepEqual(timer.waits, [150, 150]);
    });

    it('does not wait the debounce again after joining a request whose answer went another way', async () => {
      let now = 0;
      const timer = recordingSleep();
      const { engine, calls } = setup({ debounceMs: 150 }, { sleep: timer.sleep, now: () => now });
      const first = new AbortController();
      void engine.complete(at(), first.signal);
      await settled();
      first.abort();
      const second = engine.complete(at(`${prefix}ca`), new AbortController().signal);
      now += 300;
      firstCall(calls).finish('items.length;');
      await settled();
      assert.equal(calls.length, 2, 'asked at once');
      assert.deepEqual(timer.waits, [150], 'the time spent waiting on the joined request counted as the debounce');
      calls[1]?.finish('rt.total;');
      assert.deepEqual(await second, { text: 'rt.total;', source: 'model' });
    });
  });

  describe('the lines after a finished line', () => {
    it('asks for the next lines at the end of a finished line and keeps the leading line break', async () => {
      const { engine, calls } = setup({ nextLine: true });
      const pending = engine.complete(at(line, '\n}\n'), new AbortController().signal);
      const call = firstCall(calls);
      assert.equal(call.meta.multiline, true);
      assert.match(call.request.messages[0]?.content ?? '', /The line at the marker is finished/);
      call.finish('\n  return count * 2;\n}');
      assert.deepEqual(await pending, { text: '\n  return count * 2;', source: 'model' }, 'the closing brace is already there');
    });

    it('serves the next line typed through after Enter, with no new request', async () => {
      const { engine, calls } = setup({ nextLine: true });
      const shown = engine.complete(at(line, '\n}\n'), new AbortController().signal);
      firstCall(calls).finish('\n  return count * 2;');
      await shown;
      assert.deepEqual(await engine.complete(at(`${line}\n  `, '\n}\n'), new AbortController().signal), {
        text: 'return count * 2;',
        source: 'typed-through',
      });
      assert.equal(calls.length, 1);
    });

    it('completes the rest of the line only when off, or when the line is not finished', async () => {
      const off = setup({ nextLine: false });
      void off.engine.complete(at('function total(cart) {\n  report(cart)', '\n}\n'), new AbortController().signal);
      assert.equal(firstCall(off.calls).meta.multiline, false);
      const unfinished = setup({ nextLine: true });
      void unfinished.engine.complete(at('function total(cart) {\n  const count = cart', '\n}\n'), new AbortController().signal);
      assert.equal(firstCall(unfinished.calls).meta.multiline, false);
    });
  });

  describe('the lines after a suggestion that finished its line (speculateNextLine)', () => {
    const before = 'function total(cart) {\n  const count = ';

    it('asks the speculative request for the next lines, and serves them after Enter', async () => {
      const { engine, calls } = setup({ speculate: true, speculateNextLine: true });
      const shown = engine.complete(at(before, '\n}\n'), new AbortController().signal);
      firstCall(calls).finish('cart.items.length;');
      assert.deepEqual(await shown, { text: 'cart.items.length;', source: 'model' });
      // Tab: VS Code asks right after the accepted text, at the end of the statement.
      const next = engine.complete(at(line, '\n}\n'), new AbortController().signal);
      assert.equal(calls.length, 2, 'the speculation goes out at the end of the finished statement');
      assert.equal(calls[1]?.meta.multiline, true);
      assert.match(calls[1]?.request.messages[0]?.content ?? '', /The line at the marker is finished/);
      assert.equal(engine.stats().speculative, 1);
      calls[1]?.finish('\n  return count * 2;');
      assert.deepEqual(await next, { text: '\n  return count * 2;', source: 'model' });
      assert.deepEqual(await engine.complete(at(`${line}\n  `, '\n}\n'), new AbortController().signal), {
        text: 'return count * 2;',
        source: 'typed-through',
      });
      assert.equal(calls.length, 2, 'Enter asks no model');
    });

    it('makes no request at the end of a finished statement the user typed', async () => {
      const { engine, calls } = setup({ speculate: true, speculateNextLine: true });
      assert.equal(await engine.complete(at(line, '\n}\n'), new AbortController().signal), undefined);
      assert.equal(calls.length, 0);
      assert.equal(engine.stats().finishedLines, 1);
    });

    it('makes none after a suggestion that ended its block with return, throw, break or continue', async () => {
      for (const exit of ['return count', 'throw new Error(count)', 'break', 'continue']) {
        const { engine, calls } = setup({ speculate: true, speculateNextLine: true, nextLine: true });
        const start = 'function total(cart) {\n  ';
        const shown = engine.complete(at(start, '\n}\n\nfunction next() {}'), new AbortController().signal);
        firstCall(calls).finish(`${exit};`);
        await shown;
        assert.equal(await engine.complete(at(`${start}${exit};`, '\n}\n\nfunction next() {}'), new AbortController().signal), undefined);
        assert.equal(calls.length, 1, `nothing can run after ${exit} in its block`);
        assert.equal(engine.stats().finishedLines, 1);
      }
    });

    it('still asks for the next lines after a return the block goes on past (the next line does not close it)', async () => {
      const { engine, calls } = setup({ nextLine: true });
      void engine.complete(at('function f(x) {\n  if (!x) return 0;', '\n  return x * 2;\n}\n'), new AbortController().signal);
      assert.equal(firstCall(calls).meta.multiline, true);
    });

    it('asks for the rest of the line only when speculation is off', async () => {
      const { engine, calls } = setup({ speculate: false, speculateNextLine: true });
      const shown = engine.complete(at(before, '\n}\n'), new AbortController().signal);
      firstCall(calls).finish('cart.items.length;');
      await shown;
      assert.equal(await engine.complete(at(line, '\n}\n'), new AbortController().signal), undefined);
      assert.equal(calls.length, 1);
    });
  });

  describe('the end of a finished statement, asking for the rest of its line only', () => {
    /** `line` ends with `const count = cart.items.length;`. */
    const accepted = line;

    it('makes no request there: the rest of that line is empty', async () => {
      const { engine, calls } = setup({ speculate: true });
      assert.equal(await engine.complete(at(accepted, '\n}\n'), new AbortController().signal), undefined);
      assert.equal(calls.length, 0);
      assert.equal(engine.stats().finishedLines, 1);
    });

    it('makes no speculative request after a suggestion that finished the statement, and asks after Enter', async () => {
      const { engine, calls } = setup({ speculate: true });
      const before = 'function total(cart) {\n  const count = ';
      const shown = engine.complete(at(before, '\n}\n'), new AbortController().signal);
      firstCall(calls).finish('cart.items.length;');
      assert.deepEqual(await shown, { text: 'cart.items.length;', source: 'model' });
      // Tab: VS Code asks right after the accepted text, at the end of the statement.
      assert.equal(await engine.complete(at(accepted, '\n}\n'), new AbortController().signal), undefined);
      assert.equal(calls.length, 1, 'no speculation whose answer could only add to a finished line');
      assert.equal(engine.stats().speculative, 0);

      const next = engine.complete(at(`${accepted}\n  `, '\n}\n'), new AbortController().signal);
      calls[1]?.finish('return count;');
      assert.deepEqual(await next, { text: 'return count;', source: 'model' });
    });

    it('still asks where the statement is not closed, a bracket is left open, or the answer may span lines', async () => {
      for (const [text, settings] of [
        ['function f(xs) {\n  const n = xs.length', {}],
        ['function f(xs) {\n  for (let i = 0;', {}],
        ['function f(xs) {\n  // the total;', {}],
        [accepted, { nextLine: true }],
        [accepted, { multiline: 'always' }],
      ] as const) {
        const { engine, calls } = setup(settings);
        void engine.complete(at(text, '\n}\n'), new AbortController().signal);
        await settled();
        assert.equal(calls.length, 1, `a request at ${JSON.stringify(text.slice(text.lastIndexOf('\n') + 1))}`);
        assert.equal(engine.stats().finishedLines, 0);
      }
    });
  });

  describe('the first line of an answer, early', () => {
    it('shows the first line as soon as it has streamed, then serves the rest once it is taken', async () => {
      const { engine, calls } = setup({ earlyFirstLine: true });
      const opener = 'function total(cart) {';
      const pending = engine.complete(at(opener, '\n'), new AbortController().signal);
      const call = firstCall(calls);
      call.stream('\n  const count = cart.items.length;\n  ret');
      assert.deepEqual(await pending, { text: '\n  const count = cart.items.length;', source: 'model' });
      assert.equal(engine.stats().earlyFirstLines, 1);
      assert.equal(call.signal.aborted, false, 'the request goes on');

      // Tab takes the first line while the rest still streams: the running request serves the rest.
      const next = engine.complete(at(`${opener}\n  const count = cart.items.length;`, '\n'), new AbortController().signal);
      call.finish('urn count;\n}');
      assert.deepEqual(await next, { text: '\n  return count;\n}', source: 'inflight' });
      assert.equal(calls.length, 1);
    });

    it('serves the rest typed through once the whole answer is in', async () => {
      const { engine, calls } = setup({ earlyFirstLine: true });
      const opener = 'function total(cart) {';
      const pending = engine.complete(at(opener, '\n'), new AbortController().signal);
      const call = firstCall(calls);
      call.stream('\n  const count = cart.items.length;\n');
      await pending;
      call.finish('  return count;\n}');
      await settled();
      assert.deepEqual(await engine.complete(at(`${opener}\n  const count = cart.items.length;\n  re`, '\n'), new AbortController().signal), {
        text: 'turn count;\n}',
        source: 'typed-through',
      });
      assert.equal(calls.length, 1);
    });

    it('waits for the whole answer when off, and for a single line whatever the setting', async () => {
      const off = setup({ earlyFirstLine: false });
      const opener = 'function total(cart) {';
      const pending = off.engine.complete(at(opener, '\n'), new AbortController().signal);
      const call = firstCall(off.calls);
      call.stream('\n  const count = cart.items.length;\n  ret');
      await settled();
      call.finish('urn count;\n}');
      assert.deepEqual(await pending, { text: '\n  const count = cart.items.length;\n  return count;\n}', source: 'model' });

      const single = setup({ earlyFirstLine: true });
      const one = single.engine.complete(at(), new AbortController().signal);
      firstCall(single.calls).stream('cart.items.length;');
      await settled();
      firstCall(single.calls).finish('');
      assert.deepEqual(await one, { text: 'cart.items.length;', source: 'model' });
    });
  });

  describe('warming the connection', () => {
    it('warms once per quiet spell, from a call that waits, never for one that requests at once', async () => {
      let now = 0;
      let warmed = 0;
      const timer = recordingSleep();
      const { engine, calls } = setup(
        { debounceMs: 150, preconnect: true, adaptiveDebounce: true },
        { sleep: timer.sleep, now: () => now, warm: () => warmed++ },
      );
      const lineStart = engine.complete(at('function total(cart) {\n  '), new AbortController().signal);
      await settled();
      assert.equal(warmed, 0, 'no wait: the request opens the connection itself');
      // An answer the next keystrokes do not type through, so the next call waits the debounce.
      firstCall(calls).finish('const sum = 0;');
      await lineStart;
      now += 10_000;
      const typing = new AbortController();
      void engine.complete(at(`${prefix}ca`), typing.signal);
      typing.abort();
      assert.equal(warmed, 1, 'the first keystroke after a quiet spell warms the connection');
      now += 200;
      void engine.complete(at(`${prefix}car`), new AbortController().signal);
      assert.equal(warmed, 1, 'once per quiet spell');
      assert.equal(engine.stats().warmUps, 1);
    });

    it('does not warm when off', async () => {
      let warmed = 0;
      const { engine } = setup({ debounceMs: 150, preconnect: false }, { sleep: recordingSleep().sleep, warm: () => warmed++ });
      void engine.complete(at(`${prefix}ca`), new AbortController().signal);
      await settled();
      assert.equal(warmed, 0);
    });
  });
});

describe('completion engine: a suggestion the user asked for (Alt+\\)', () => {
  const explicitly = (input: CompletionInput): CompletionInput => ({ ...input, explicit: true });

  it('asks at once, without the debounce', async () => {
    const timer = recordingSleep();
    const { engine, calls } = setup({ debounceMs: 150 }, { sleep: timer.sleep, now: () => 0 });
    const pending = engine.complete(explicitly(at()), new AbortController().signal);
    assert.equal(calls.length, 1, 'the request went out in the same turn');
    assert.deepEqual(timer.waits, []);
    firstCall(calls).finish('cart.total;');
    assert.deepEqual(await pending, { text: 'cart.total;', source: 'model' });
  });

  it('asks with the cursor inside existing code, where a pause alone asks nothing', async () => {
    const { engine, calls } = setup();
    const inside = at('const total = ', 'items;\n');
    assert.equal(await engine.complete(inside, new AbortController().signal), undefined);
    assert.equal(calls.length, 0);
    const pending = engine.complete(explicitly(inside), new AbortController().signal);
    assert.equal(engine.stats().skipped, 1, 'only the automatic call was skipped');
    firstCall(calls).finish('sumOf(');
    assert.deepEqual(await pending, { text: 'sumOf(', source: 'model' });
  });

  it('asks for the lines that follow at the end of a finished statement', async () => {
    const { engine, calls } = setup();
    const line = 'function total(cart) {\n  const count = cart.items.length;';
    assert.equal(await engine.complete(at(line, '\n}\n'), new AbortController().signal), undefined);
    assert.equal(engine.stats().finishedLines, 1);
    const pending = engine.complete(explicitly(at(line, '\n}\n')), new AbortController().signal);
    const call = firstCall(calls);
    assert.equal(call.meta.multiline, true);
    assert.match(call.request.messages[0]?.content ?? '', /The line at the marker is finished/);
    call.finish('\n  return count;');
    assert.deepEqual(await pending, { text: '\n  return count;', source: 'model' });
  });

  it('asks again where the model had nothing last time, instead of serving the empty answer from the cache', async () => {
    const { engine, calls } = setup();
    const first = engine.complete(at(), new AbortController().signal);
    firstCall(calls).finish('');
    assert.equal(await first, undefined);
    assert.equal(await engine.complete(at(), new AbortController().signal), undefined, 'a pause serves the cached nothing');
    assert.equal(calls.length, 1);
    const asked = engine.complete(explicitly(at()), new AbortController().signal);
    assert.equal(calls.length, 2);
    calls[1]?.finish('cart.total;');
    assert.deepEqual(await asked, { text: 'cart.total;', source: 'model' });
  });

  it('is still refused, with no request, while the router would refuse one (budget, credentials)', async () => {
    const { engine, calls } = setup({}, { mayRequest: () => false });
    assert.equal(await engine.complete(explicitly(at()), new AbortController().signal), undefined);
    assert.equal(calls.length, 0);
    assert.equal(engine.stats().refused, 1);
  });
});
