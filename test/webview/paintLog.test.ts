import assert from 'node:assert/strict';
import { longTaskRecord, PaintRingBuffer } from '../../src/webview/chat/paintLog';

describe('chat paint log', () => {
  it('stamps chunks drawn between frames with the start of the frame that shows them', () => {
    const log = new PaintRingBuffer(4);
    log.record(0, 1, 2, 1, Number.NaN);
    log.record(1, 1, 2, 1, Number.NaN);
    log.present(10);
    log.record(2, 11, 12, 1, 12);
    log.record(3, 13, 14, 1, Number.NaN);
    log.present(20);
    log.present(30);
    assert.deepEqual(
      log.entries().map((entry) => [entry.seq, entry.presentedAt]),
      [
        [0, 10],
        [1, 10],
        [2, 12],
        [3, 20],
      ],
    );
  });

  it('keeps the newest records when it wraps, each with its own frame', () => {
    const log = new PaintRingBuffer(2);
    log.record(0, 0, 1, 1, Number.NaN);
    log.record(1, 0, 1, 1, Number.NaN);
    log.record(2, 0, 1, 1, Number.NaN);
    log.present(5);
    assert.equal(log.written, 3);
    assert.deepEqual(
      log.entries().map((entry) => [entry.seq, entry.presentedAt]),
      [
        [1, 5],
        [2, 5],
      ],
    );
  });

  it('keeps a long animation frame\'s script attribution, and only a frame\'s', () => {
    const script = {
      invokerType: 'user-callback',
      invoker: 'Window.requestIdleCallback',
      sourceURL: 'https://webview/chat.js',
      sourceFunctionName: 'finish',
      sourceCharPosition: 1234,
      startTime: 110,
      duration: 60,
      forcedStyleAndLayoutDuration: 12,
      windowAttribution: 'self',
    };
    const frame = { entryType: 'long-animation-frame', name: 'long-animation-frame', startTime: 100, duration: 80, renderStart: 170, styleAndLayoutStart: 172, scripts: [script] };
    const { windowAttribution: _notKept, ...kept } = script;
    assert.deepEqual(longTaskRecord(frame as unknown as PerformanceEntry), {
      type: 'long-animation-frame',
      name: 'long-animation-frame',
      startTime: 100,
      duration: 80,
      renderStart: 170,
      styleAndLayoutStart: 172,
      scripts: [kept],
    });
    const task = { entryType: 'longtask', name: 'self', startTime: 5, duration: 55 };
    assert.deepEqual(longTaskRecord(task as unknown as PerformanceEntry), { type: 'longtask', name: 'self', startTime: 5, duration: 55 });
  });
});
