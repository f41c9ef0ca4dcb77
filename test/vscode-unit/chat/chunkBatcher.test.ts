import assert from 'node:assert/strict';
import { ChunkBatcher, type ChunkBatch } from '../../../src/vscode/chat/chunkBatcher';

describe('chat chunk batching', () => {
  it('sends the first chunk at once and coalesces the ones that follow within a frame', async () => {
    const sent: ChunkBatch[] = [];
    const batcher = new ChunkBatcher((batch) => sent.push({ ...batch }), () => performance.now(), 30);
    batcher.add('Hel', 0);
    assert.deepEqual(sent, [{ text: 'Hel', firstSeq: 0, seq: 0 }], 'no delay for the first chunk');
    batcher.add('lo', 1);
    batcher.add(', ', 2);
    batcher.add('world', 3);
    assert.equal(sent.length, 1, 'the rest waits for the frame');
    await new Promise((resolve) => setTimeout(resolve, 60));
    assert.deepEqual(sent[1], { text: 'lo, world', firstSeq: 1, seq: 3 });
    assert.equal(sent.map((b) => b.text).join(''), 'Hello, world', 'nothing lost or reordered');
  });

  it('flushes what is pending before the answer ends', () => {
    const sent: ChunkBatch[] = [];
    let now = 0;
    const batcher = new ChunkBatcher((batch) => sent.push({ ...batch }), () => now, 16);
    batcher.add('a', 0);
    now = 5;
    batcher.add('b', 1);
    batcher.flush();
    assert.deepEqual(sent, [
      { text: 'a', firstSeq: 0, seq: 0 },
      { text: 'b', firstSeq: 1, seq: 1 },
    ]);
    batcher.flush();
    assert.equal(sent.length, 2, 'an empty flush sends nothing');
    now = 100;
    batcher.add('c', 2);
    assert.equal(sent.length, 3, 'after a quiet spell a chunk goes at once');
  });
});
