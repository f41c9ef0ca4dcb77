import assert from 'node:assert/strict';
import { PaintRingBuffer } from '../../src/webview/chat/paintLog';

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
});
