import assert from 'node:assert/strict';
import { ChunkBatcher, type ChunkBatch } from '../../../src/vscode/chat/chunkBatcher';
import { ManualClock } from './manualClock';

function batcher(frameMs: number) {
  const clock = new ManualClock();
  const sent: Array<ChunkBatch & { at: number }> = [];
  return { clock, sent, batcher: new ChunkBatcher((batch) => sent.push({ ...batch, at: clock.time }), clock, frameMs) };
}

describe('chat chunk batching', () => {
  it('sends the first chunk at once and coalesces the ones that follow within a frame', () => {
    const { clock, sent, batcher: chunks } = batcher(8);
    chunks.add('Hel', 0);
    assert.deepEqual(sent, [{ text: 'Hel', firstSeq: 0, seq: 0, at: 0 }], 'no delay for the first chunk');
    for (const [at, text, seq] of [[2, 'lo', 1], [4, ', ', 2], [6, 'world', 3]] as const) {
      clock.advanceTo(at);
      chunks.add(text, seq);
    }
    assert.equal(sent.length, 1, 'the rest waits for the frame');
    clock.advanceTo(20);
    assert.deepEqual(sent[1], { text: 'lo, world', firstSeq: 1, seq: 3, at: 8 }, 'sent 8 ms after the first');
    assert.equal(sent.map((b) => b.text).join(''), 'Hello, world', 'nothing lost or reordered');
  });

  it('sends at most one message a frame while chunks keep coming', () => {
    const { clock, sent, batcher: chunks } = batcher(8);
    for (let seq = 0; seq < 50; seq++) {
      clock.advanceTo(seq * 2);
      chunks.add('x', seq);
    }
    clock.advanceTo(200);
    assert.deepEqual(
      sent.map((batch) => batch.at),
      Array.from({ length: 14 }, (_, i) => i * 8),
      'one message every 8 ms, the last one 8 ms after the one before',
    );
    assert.deepEqual(
      sent.flatMap((batch) => Array.from({ length: batch.seq - batch.firstSeq + 1 }, (_, i) => batch.firstSeq + i)),
      Array.from({ length: 50 }, (_, seq) => seq),
      'every chunk once, in order',
    );
  });

  it('flushes what is pending before the answer ends', () => {
    const { clock, sent, batcher: chunks } = batcher(16);
    chunks.add('a', 0);
    clock.advanceTo(5);
    chunks.add('b', 1);
    chunks.flush();
    assert.deepEqual(sent, [
      { text: 'a', firstSeq: 0, seq: 0, at: 0 },
      { text: 'b', firstSeq: 1, seq: 1, at: 5 },
    ]);
    assert.equal(clock.pending, 0, 'the flush cancelled the timer');
    chunks.flush();
    assert.equal(sent.length, 2, 'an empty flush sends nothing');
    clock.advanceTo(100);
    chunks.add('c', 2);
    assert.equal(sent.length, 3, 'after a quiet spell a chunk goes at once');
  });
});
