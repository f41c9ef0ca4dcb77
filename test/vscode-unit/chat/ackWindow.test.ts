import assert from 'node:assert/strict';
import { AckWindow } from '../../../src/vscode/chat/ackWindow';
import { ChunkFlow } from '../../../src/vscode/chat/chunkFlow';
import { ChunkPacer } from '../../../src/vscode/chat/chunkPacer';
import type { ChunkBatch } from '../../../src/vscode/chat/chunkBatcher';
import { ManualClock } from './manualClock';

describe('chat acknowledgement window', () => {
  it('has room for `size` messages, and acknowledgements are cumulative', () => {
    const window = new AckWindow(2, 1_000);
    assert.equal(window.hasRoom(0), true);
    window.posted(3, 0);
    window.posted(7, 1);
    assert.equal(window.hasRoom(2), false);
    assert.equal(window.unacknowledged, 2);
    // Chunk 7's acknowledgement covers the message that ended with chunk 3 too.
    const { message, freed } = window.acknowledge(7);
    assert.deepEqual(message, { seq: 7, sentAt: 1 });
    assert.equal(freed, true);
    assert.equal(window.unacknowledged, 0);
    assert.deepEqual(window.acknowledge(7), { message: undefined, freed: false }, 'a repeated acknowledgement frees nothing');
  });

  it('takes a message unacknowledged for the timeout as lost, and says how long until the oldest is', () => {
    const window = new AckWindow(1, 1_000);
    window.posted(0, 100);
    assert.equal(window.msUntilTimeout(400), 700);
    assert.equal(window.hasRoom(1_099), false);
    assert.equal(window.hasRoom(1_100), true, 'the timed-out message freed its slot');
    assert.equal(window.unacknowledged, 0);
    assert.equal(window.msUntilTimeout(1_100), 0);
  });

  it('clear forgets what is in flight', () => {
    const window = new AckWindow(1, 1_000);
    window.posted(0, 0);
    window.clear();
    assert.equal(window.hasRoom(0), true);
  });

  it('holds flow control and frame pacing to the same window: with the page silent, both send the same messages at the same times', () => {
    for (const make of [ChunkFlow, ChunkPacer]) {
      const clock = new ManualClock();
      const sent: Array<ChunkBatch & { at: number }> = [];
      const chunks = new make((batch) => sent.push({ ...batch, at: clock.time }), clock, 2, 50);
      // Never acknowledged (no frame clock either, so pacing sends as flow control does): two go, the rest gather.
      for (let seq = 0; seq < 10; seq++) {
        clock.advanceTo(seq * 10);
        chunks.add(`t${seq}`, seq);
      }
      assert.deepEqual(
        sent.map(({ firstSeq, seq, at }) => [firstSeq, seq, at]),
        [[0, 0, 0], [1, 1, 10], [2, 4, 50], [5, 5, 60]],
        `${make.name}: the first message timed out at 50 ms, freeing a slot for what had gathered; the second at 60`,
      );
      chunks.flush();
    }
  });
});
