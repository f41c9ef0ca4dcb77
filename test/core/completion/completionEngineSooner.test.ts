import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import type { CompletionEngineDeps } from '../../../src/core/completion/completionContract';
import type { CompletionEngine } from '../../../src/core/completion/completionEngine';
import { at, firstCall, manualTimer, prefix, recordingSleep, settled, setup, type ModelCall } from './engineHarness';

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
      assert.equal(waits.at(-1), 150, 'twice the setting while the rhythm is not known');
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
      assert.deepEqual(timer.waits, [150], 'the lower bound (twice the setting) while the rhythm is not known');
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
