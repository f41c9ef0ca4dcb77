import assert from 'node:assert/strict';
import type { ChunkBatch } from '../../../src/vscode/chat/chunkBatcher';
import { ChunkFlow } from '../../../src/vscode/chat/chunkFlow';
import { ManualClock } from './manualClock';

type Sent = ChunkBatch & { ack: boolean; at: number };

function flow(window = 2, ackTimeoutMs = 1_000, ackEvery = 1) {
  const clock = new ManualClock();
  const sent: Sent[] = [];
  return { clock, sent, chunks: new ChunkFlow((batch, ack) => sent.push({ ...batch, ack, at: clock.time }), clock, window, ackTimeoutMs, ackEvery) };
}

/**
 * A relay that carries one message every `slotMs`, in the order posted, and a webview that acknowledges each
 * message that asks as it is applied. Chunks arrive every 2 ms for 1 s; returns what crossed.
 */
function relayRun(window: number, ackEvery: number, slotMs: number) {
  const { clock, sent, chunks } = flow(window, 1_000, ackEvery);
  let relayFreeAt = 0;
  let delivered = 0;
  let acks = 0;
  let maxInFlight = 0;
  const deliverDue = (until: number) => {
    while (delivered < sent.length) {
      const next = sent[delivered]!;
      const at = Math.max(relayFreeAt, next.at) + slotMs;
      if (at > until) return;
      clock.advanceTo(at);
      relayFreeAt = at;
      delivered++;
      if (next.ack) {
        acks++;
        chunks.acknowledge(next.seq);
      }
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
  deliverDue(10_000);
  return { sent, text: text.join(''), acks, maxInFlight, lastAppliedAt: relayFreeAt, timersLeft: clock.pending };
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

  it('with ackEvery 2 and a window of 4, asks every second message to be acknowledged, and one acknowledgement frees all before it', () => {
    const { sent, chunks } = flow(4, 1_000, 2);
    for (let seq = 0; seq < 6; seq++) chunks.add(`c${seq}`, seq);
    assert.deepEqual(
      sent.map((batch) => [batch.text, batch.ack]),
      [
        ['c0', false],
        ['c1', true],
        ['c2', false],
        ['c3', true],
      ],
      'four in flight, every second asking; c4 and c5 wait',
    );
    chunks.acknowledge(1);
    assert.equal(chunks.unacknowledged, 3, 'c0 and c1 freed by the one acknowledgement, and what waited went out as one message');
    assert.deepEqual(sent[4], { text: 'c4c5', firstSeq: 4, seq: 5, ack: false, at: 0 });
  });

  it('with ackEvery 3, a message that fills the window asks for an acknowledgement, so a full window always has one coming', () => {
    const { sent, chunks } = flow(4, 1_000, 3);
    for (let seq = 0; seq < 4; seq++) chunks.add(`c${seq}`, seq);
    assert.deepEqual(
      sent.map((batch) => batch.ack),
      [false, false, true, true],
      'the third asks (every 3), and the fourth too, filling the window',
    );
    chunks.add('c4', 4);
    chunks.acknowledge(3);
    assert.equal(chunks.unacknowledged, 1, 'the acknowledgement of the last frees the window, and c4 goes');
    assert.deepEqual(sent[4], { text: 'c4', firstSeq: 4, seq: 4, ack: false, at: 0 });
  });

  it('with ackEvery 2, halves the acknowledgements through a relay of one message every 5 ms, keeping at most four in flight, nothing lost', () => {
    const each = relayRun(2, 1, 5);
    const halved = relayRun(4, 2, 5);
    for (const run of [each, halved]) {
      assert.equal(run.sent.map((batch) => batch.text).join(''), run.text, 'every chunk once, in order');
      assert.deepEqual(seqsOf(run.sent), Array.from({ length: 500 }, (_, seq) => seq));
      assert.equal(run.timersLeft, 0);
    }
    assert.ok(each.maxInFlight <= 2, `${each.maxInFlight} in flight, every message acknowledged`);
    assert.ok(halved.maxInFlight <= 4, `${halved.maxInFlight} in flight, every second message acknowledged`);
    // Every message asks but a flushed last one, against about one in two.
    assert.ok(each.acks >= each.sent.length - 1, `${each.acks} acknowledgements for ${each.sent.length} messages`);
    assert.ok(halved.acks <= Math.ceil(halved.sent.length / 2) + 1, `${halved.acks} acknowledgements for ${halved.sent.length} messages`);
    assert.ok(halved.lastAppliedAt - 998 <= 40, `the last chunk applied ${halved.lastAppliedAt - 998} ms after it arrived`);
  });

  it('with ackEvery 2 and a window of 2, sends messages in pairs, the second asking, and one acknowledgement frees both', () => {
    const { sent, chunks } = flow(2, 1_000, 2);
    for (let seq = 0; seq < 4; seq++) chunks.add(`c${seq}`, seq);
    assert.deepEqual(
      sent.map((batch) => [batch.text, batch.ack]),
      [
        ['c0', false],
        ['c1', true],
      ],
    );
    chunks.acknowledge(1);
    assert.deepEqual(sent.slice(2).map((batch) => [batch.text, batch.ack]), [['c2c3', false]], 'what waited goes at once, one slot left');
    chunks.add('c4', 4);
    assert.deepEqual(sent.at(-1), { text: 'c4', firstSeq: 4, seq: 4, ack: true, at: 0 }, 'the pair\'s second asks');
    const pairs = relayRun(2, 2, 5);
    assert.equal(pairs.text, pairs.sent.map((batch) => batch.text).join(''));
    assert.ok(pairs.maxInFlight <= 2);
    assert.ok(pairs.acks <= Math.ceil(pairs.sent.length / 2) + 1, `${pairs.acks} acknowledgements for ${pairs.sent.length} messages`);
  });

  it('with ackEvery 2, a hidden page (no acknowledgements) still bounds the host to four messages in flight and one gathering', () => {
    const { clock, sent, chunks } = flow(4, 1_000, 2);
    let most = 0;
    for (let seq = 0; seq < 1_500; seq++) {
      clock.advanceTo(seq * 2);
      chunks.add('x', seq);
      most = Math.max(most, chunks.unacknowledged);
    }
    assert.equal(most, 4, 'never more than the window in flight');
    // Four at once, then one a second as each times out: 3 s of chunks in 7 messages, not 1,500.
    assert.deepEqual(
      sent.map((batch) => [batch.firstSeq, batch.seq, batch.at]),
      [
        [0, 0, 0],
        [1, 1, 2],
        [2, 2, 4],
        [3, 3, 6],
        [4, 499, 1_000],
        [500, 500, 1_002],
        [501, 501, 1_004],
        [502, 502, 1_006],
        [503, 999, 2_000],
        [1_000, 1_000, 2_002],
        [1_001, 1_001, 2_004],
        [1_002, 1_002, 2_006],
      ],
    );
    chunks.flush();
    assert.deepEqual(seqsOf(sent), Array.from({ length: 1_500 }, (_, seq) => seq), 'nothing lost');
    assert.equal(clock.pending, 0);
  });

  it('refuses an ackEvery that would leave a full window with no acknowledgement asked', () => {
    assert.throws(() => flow(2, 1_000, 3), /ackEvery must be an integer from 1 to the window \(2\), not 3/);
    assert.throws(() => flow(2, 1_000, 0), /not 0/);
  });

  it('flushes nothing when nothing waits', () => {
    const { sent, chunks } = flow();
    chunks.add('a', 0);
    chunks.flush();
    assert.equal(sent.length, 1);
  });
});
