import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { DEFAULT_COMPLETION_SETTINGS, type CompletionInput } from '../../../src/core/completion/completionContract';
import { FILL_MARKER } from '../../../src/core/completion/completionPrompt';
import { SnippetCollector } from '../../../src/core/completion/contextSnippets';
import { ProviderError } from '../../../src/core/providers/providerError';
import { at, firstCall, manualTimer, prefix, recordingSleep, settled, setup } from './engineHarness';

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
