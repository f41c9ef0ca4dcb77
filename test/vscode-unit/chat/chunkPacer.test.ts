import assert from 'node:assert/strict';
import type { ChunkBatch } from '../../../src/vscode/chat/chunkBatcher';
import { ChunkPacer, nearestWay, TARGET_SLACK_MS } from '../../../src/vscode/chat/chunkPacer';
import { ManualClock } from './manualClock';

type Sent = ChunkBatch & { ack: boolean; at: number };

const FRAME_MS = 1000 / 60;

/** Every chunk seq the messages carried, in the order they carried them. */
const seqsOf = (sent: readonly ChunkBatch[]) => sent.flatMap((batch) => Array.from({ length: batch.seq - batch.firstSeq + 1 }, (_, i) => batch.firstSeq + i));

/**
 * A page whose frames come every FRAME_MS from `firstFrameAt`, behind a relay of `relayMs` each way: it acknowledges
 * each message as it arrives, with how long its next frame is due after (as streamedTextDrawer.ts's frameClock says).
 */
function pacedPage(options: { relayMs: number; firstFrameAt: number; withFrameClock?: boolean }) {
  const clock = new ManualClock();
  const sent: Sent[] = [];
  const arrivals: Array<{ at: number; slackMs: number }> = [];
  const { relayMs, firstFrameAt } = options;
  const pacer: ChunkPacer = new ChunkPacer((batch, ack) => {
    sent.push({ ...batch, ack, at: clock.time });
    clock.setTimeout(() => {
      const since = clock.time - firstFrameAt;
      const slackMs = Math.ceil(since / FRAME_MS) * FRAME_MS - since || FRAME_MS;
      arrivals.push({ at: clock.time, slackMs });
      const frame = options.withFrameClock === false ? undefined : { slackMs, frameMs: FRAME_MS };
      if (ack) clock.setTimeout(() => pacer.acknowledge(batch.seq, frame), relayMs);
    }, relayMs);
  }, clock);
  return { clock, sent, arrivals, pacer };
}

describe('chat chunk frame pacing', () => {
  it('learns the page frames from the acknowledgements and then sends one message a frame, arriving just before it', () => {
    const { clock, sent, arrivals, pacer } = pacedPage({ relayMs: 6, firstFrameAt: 5 });
    let seq = 0;
    for (let at = 0; at <= 2_000; at += 2) {
      clock.advanceTo(at);
      pacer.add(`t${seq} `, seq++);
    }
    clock.advanceTo(2_010);
    pacer.flush();
    clock.advanceTo(2_100);

    assert.deepEqual(seqsOf(sent), Array.from({ length: seq }, (_, i) => i), 'every chunk once, in order');
    assert.equal(sent.map((batch) => batch.text).join(''), Array.from({ length: seq }, (_, i) => `t${i} `).join(''));
    // Once settled (the second half): one message a frame, each arriving TARGET_SLACK_MS before the next frame (give or
    // take the millisecond a send time this close is taken as now).
    const settled = sent.filter((batch) => batch.at >= 1_000 && batch.ack);
    const frames = Math.floor(1_000 / FRAME_MS);
    assert.ok(settled.length >= frames - 2 && settled.length <= frames + 1, `${settled.length} messages in ${frames} frames`);
    for (const arrival of arrivals.filter((entry) => entry.at >= 1_000 && entry.at < 2_000)) {
      assert.ok(Math.abs(arrival.slackMs - TARGET_SLACK_MS) <= 1, `arrived ${arrival.slackMs.toFixed(2)} ms before its frame`);
    }
    // Against flow control alone, which sent about one message per chunk or two at this pace.
    assert.ok(sent.length < seq / 3, `${sent.length} messages for ${seq} chunks`);
  });

  it('a message arriving just after a frame moves the sends earlier, the short way round, not a frame later', () => {
    // Relay 12 ms: the first messages, sent as flow control would, arrive at all phases of the frame.
    const { clock, arrivals, pacer } = pacedPage({ relayMs: 12, firstFrameAt: 0 });
    let seq = 0;
    for (let at = 0; at <= 1_500; at += 2) {
      clock.advanceTo(at);
      pacer.add('x', seq++);
    }
    const late = arrivals.filter((entry) => entry.at >= 1_000 && entry.at < 1_500);
    assert.ok(late.length > 20);
    for (const arrival of late) assert.ok(Math.abs(arrival.slackMs - TARGET_SLACK_MS) <= 1, `arrived ${arrival.slackMs.toFixed(2)} ms before its frame`);
  });

  it('without the page frame clock (a page not drawn yet, or hidden) sends as flow control does: at once while the window has room', () => {
    const { clock, sent, pacer } = pacedPage({ relayMs: 0.5, firstFrameAt: 0, withFrameClock: false });
    for (let seq = 0; seq < 10; seq++) {
      clock.advanceTo(seq * 2);
      pacer.add(`t${seq}`, seq);
      assert.equal(sent.length, seq + 1, `chunk ${seq} went at once`);
      clock.advanceTo(seq * 2 + 1.5);
    }
    assert.equal(pacer.nextSendAt, undefined);
  });

  it('keeps flow control: with two messages unacknowledged the text waits, and an acknowledgement never given frees its slot after the timeout', () => {
    const clock = new ManualClock();
    const sent: Sent[] = [];
    const pacer = new ChunkPacer((batch, ack) => sent.push({ ...batch, ack, at: clock.time }), clock, 2, 1_000);
    pacer.add('a', 0);
    pacer.add('b', 1);
    pacer.add('c', 2);
    assert.deepEqual(sent.map((batch) => batch.text), ['a', 'b']);
    clock.advanceTo(999);
    assert.equal(sent.length, 2);
    clock.advanceTo(1_000);
    assert.deepEqual(sent.map((batch) => batch.text), ['a', 'b', 'c'], 'the two timed out and freed their slots');
    pacer.add('d', 3);
    pacer.add('e', 4);
    assert.deepEqual(sent.map((batch) => batch.text), ['a', 'b', 'c', 'd'], 'c and d in flight: e waits');
    pacer.flush();
    assert.deepEqual(sent.at(-1), { text: 'e', firstSeq: 4, seq: 4, ack: false, at: 1_000 }, 'the last message goes whatever the window, asking nothing');
    assert.equal(clock.pending, 0, 'no timer left behind');
  });

  it('reset forgets the messages in flight: the text waiting goes at once', () => {
    const clock = new ManualClock();
    const sent: Sent[] = [];
    const pacer = new ChunkPacer((batch, ack) => sent.push({ ...batch, ack, at: clock.time }), clock);
    pacer.add('a', 0);
    pacer.add('b', 1);
    pacer.add('c', 2);
    pacer.reset();
    assert.deepEqual(sent.map((batch) => batch.text), ['a', 'b', 'c']);
  });

  it('nearestWay wraps an offset into half a frame either side', () => {
    assert.equal(nearestWay(3, 16), 3);
    assert.equal(nearestWay(12, 16), -4);
    assert.equal(nearestWay(-12, 16), 4);
    assert.equal(nearestWay(35, 16), 3);
  });
});
