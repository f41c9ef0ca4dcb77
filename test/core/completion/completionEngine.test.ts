import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import {
  CompletionEngine,
  DEFAULT_COMPLETION_SETTINGS,
  type CompletionEngineDeps,
  type CompletionInput,
  type CompletionRequestMeta,
  type CompletionSettings,
} from '../../../src/core/completion/completionEngine';
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
function fakeRouter(): { calls: ModelCall[]; request: CompletionEngineDeps['request'] } {
  const calls: ModelCall[] = [];
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
    });
  return { calls, request };
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
  return { engine, calls: router.calls, served, errors };
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
    const { engine, calls } = setup({ debounceMs: 5 });
    const keystroke = new AbortController();
    const result = engine.complete(at(), keystroke.signal);
    assert.equal(calls.length, 0);
    keystroke.abort();
    assert.equal(await result, undefined);
    await new Promise((resolve) => setTimeout(resolve, 15));
    assert.equal(calls.length, 0);
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
