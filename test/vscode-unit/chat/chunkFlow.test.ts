import assert from 'node:assert/strict';
import type { ChunkBatch } from '../../../src/vscode/chat/chunkBatcher';
import { ChunkFlow } from '../../../src/vscode/chat/chunkFlow';
import { ManualClock } from './manualClock';

type Sent = ChunkBatch & { ack: boolean; at: number };

function flow(window = 2, ackTimeoutMs = 1_000) {
  const clock = new ManualClock();
  const sent: Sent[] = [];
  return { clock, sent, chunks: new ChunkFlow((batch, ack) => sent.push({ ...batch, ack, at: clock.time }), clock, window, ackTimeoutMs) };
}

/** Every chunk seq the messages carried, in the order they carried them. */
const seqsOf = (sent: readonly ChunkBatch[]) => sent.flatMap((batch) => Array.from({ length: batch.seq - batch.firstSeq + 1 }, (_, i) => batch.firstSeq + i));

describe('chat chunk flow control', () => {
  it('sends every chunk at once, each asking for an acknowledgement, while the webview keeps up', () => {
    const { clock, sent, chunks } = flow();
    for (let seq = 0; seq < 20; seq++) {
      clock.advanceTo(seq * 2);
      chunks.add(`t${seq} `, seq);
      assert.equal(sent.length, seq + 1, `chunk ${seq} went without waiting`);
      assert.deepEqual(sent[seq], { text: `t${seq} `, firstSeq: seq, seq, ack: true, at: seq * 2 });
      // Applied and acknowledged within the 2 ms before the next chunk.
      chunks.acknowledge(seq);
    }
    assert.equal(chunks.unacknowledged, 0);
    assert.equal(clock.pending, 0, 'no timer left behind');
  });

  it('keeps at most two messages in flight, gathers the rest into one, and sends it when an acknowledgement comes', () => {
    const { clock, sent, chunks } = flow();
    chunks.add('a', 0);
    chunks.add('b', 1);
    clock.advanceTo(1);
    chunks.add('c', 2);
    clock.advanceTo(2);
    chunks.add('d', 3);
    assert.deepEqual(sent.map((batch) => batch.text), ['a', 'b'], 'the window is full');
    clock.advanceTo(5);
    chunks.acknowledge(0);
    assert.deepEqual(sent[2], { text: 'cd', firstSeq: 2, seq: 3, ack: true, at: 5 }, 'what waited goes as one message, at the acknowledgement');
    assert.equal(chunks.unacknowledged, 2);
  });

  it('self-clocks to a relay that carries one message every 10 ms: chunks every 2 ms share messages, nothing lost or reordered', () => {
    const { clock, sent, chunks } = flow();
    // The relay: applies the messages in the order posted, one every 10 ms, and the webview acknowledges each.
    let relayFreeAt = 0;
    const delivered: number[] = [];
    let maxInFlight = 0;
    const deliverDue = (until: number) => {
      while (delivered.length < sent.length) {
        const next = sent[delivered.length]!;
        const at = Math.max(relayFreeAt, next.at) + 10;
        if (at > until) return;
        clock.advanceTo(at);
        relayFreeAt = at;
        delivered.push(next.seq);
        if (next.ack) chunks.acknowledge(next.seq);
      }
    };
    const text: string[] = [];
    for (let seq = 0; seq < 500; seq++) {
      deliverDue(seq * 2);
      clock.advanceTo(seq * 2);
      chunks.add(String(seq % 10), seq);
      text.push(String(seq % 10));
      maxInFlight = Math.max(maxInFlight, chunks.unacknowledged);
    }
    deliverDue(1_000);
    chunks.flush();
    deliverDue(2_000);

    assert.ok(maxInFlight <= 2, `at most two in flight (saw ${maxInFlight})`);
    assert.equal(sent.map((batch) => batch.text).join(''), text.join(''), 'every chunk once, in order');
    assert.deepEqual(seqsOf(sent), Array.from({ length: 500 }, (_, seq) => seq));
    // 1 s of chunks through a relay of 100 messages a second: about 100 messages, not 500.
    assert.ok(sent.length >= 90 && sent.length <= 110, `${sent.length} messages for 500 chunks`);
    // No queue builds: the last chunk is delivered within a few relay slots of its arrival.
    assert.ok(relayFreeAt - 998 <= 40, `the last chunk applied ${relayFreeAt - 998} ms after it arrived`);
    assert.equal(clock.pending, 0);
  });

  it('does not stall when acknowledgements never come (a hidden page): a slot frees after the timeout, and the last message carries the rest', () => {
    const { clock, sent, chunks } = flow(2, 1_000);
    for (let seq = 0; seq < 600; seq++) {
      clock.advanceTo(seq * 2);
      chunks.add('x', seq);
    }
    // 0 and 1 went at once; a second after each, it timed out and what had gathered went.
    assert.deepEqual(
      sent.map((batch) => [batch.firstSeq, batch.seq, batch.at]),
      [
        [0, 0, 0],
        [1, 1, 2],
        [2, 499, 1_000],
        [500, 500, 1_002],
      ],
    );
    chunks.flush();
    assert.deepEqual(sent.at(-1), { text: 'x'.repeat(99), firstSeq: 501, seq: 599, ack: false, at: 1_198 }, 'the final message asks for no acknowledgement');
    assert.deepEqual(seqsOf(sent), Array.from({ length: 600 }, (_, seq) => seq), 'nothing lost');
    assert.equal(clock.pending, 0, 'the flush cancelled the timeout');
  });

  it('forgets what was in flight when the page is reloaded, and sends what waited at once', () => {
    const { sent, chunks } = flow();
    chunks.add('a', 0);
    chunks.add('b', 1);
    chunks.add('c', 2);
    assert.equal(sent.length, 2);
    chunks.reset();
    assert.deepEqual(sent.map((batch) => batch.text), ['a', 'b', 'c']);
    assert.equal(chunks.unacknowledged, 1, 'only the message sent to the new page is in flight');
  });

  it('takes acknowledgements as cumulative, and ignores ones that free nothing', () => {
    const { sent, chunks } = flow();
    chunks.add('a', 0);
    chunks.add('b', 1);
    chunks.add('c', 2);
    chunks.acknowledge(-1);
    assert.equal(sent.length, 2, 'an acknowledgement of nothing in flight frees no slot');
    chunks.acknowledge(1);
    assert.equal(chunks.unacknowledged, 1, 'acknowledging chunk 1 acknowledges the message of chunk 0 too');
    assert.deepEqual(sent.map((batch) => batch.text), ['a', 'b', 'c']);
    chunks.acknowledge(1);
    assert.equal(chunks.unacknowledged, 1, 'a repeated acknowledgement changes nothing');
  });

  it('flushes nothing when nothing waits', () => {
    const { sent, chunks } = flow();
    chunks.add('a', 0);
    chunks.flush();
    assert.equal(sent.length, 1);
  });
});
