import assert from 'node:assert/strict';
import type { HostToWebview } from '../../../src/shared/chatProtocol';
import { sendRelayPings } from '../../../src/vscode/chat/relayPings';
import { ManualClock } from './manualClock';

type Ping = Extract<HostToWebview, { type: 'ping' }>;

describe('chat relay pings (benchmark baseline)', () => {
  it('posts the pings asked for, the first at once and one every interval, each stamped when posted', () => {
    const clock = new ManualClock();
    const sent: Array<Ping & { at: number }> = [];
    sendRelayPings((ping) => sent.push({ ...ping, at: clock.time }), 4, 20, clock, () => 1_000_000 + clock.time);
    assert.deepEqual(sent.map((ping) => [ping.seq, ping.at]), [[0, 0]]);
    clock.advanceTo(100);
    assert.deepEqual(sent.map((ping) => [ping.seq, ping.at]), [[0, 0], [1, 20], [2, 40], [3, 60]]);
    assert.equal(clock.pending, 0, 'nothing scheduled after the last');
    // Stamped with the host's epoch time, corrected by its drift from the wall clock (under a second).
    for (const ping of sent) assert.ok(Math.abs(ping.sentAt - (1_000_000 + ping.at)) < 1_000, `ping ${ping.seq} sentAt ${ping.sentAt}`);
    assert.equal(new Set(sent.map((ping) => ping.sentAt - ping.at)).size, 1, 'one correction for the series');
  });

  it('stops when cancelled', () => {
    const clock = new ManualClock();
    const sent: Ping[] = [];
    const pings = sendRelayPings((ping) => sent.push(ping), 10, 5, clock);
    clock.advanceTo(10);
    pings.cancel();
    clock.advanceTo(1_000);
    assert.equal(sent.length, 3);
    assert.equal(clock.pending, 0);
  });
});
