import assert from 'node:assert/strict';
import { MAX_BENCHMARK_PINGS, parseWebviewMessage, type HostToWebview } from '../../../src/shared/chatProtocol';
import { RelayPingRequests, sendRelayPings } from '../../../src/vscode/chat/relayPings';
import { ManualClock } from './manualClock';

type Ping = Extract<HostToWebview, { type: 'ping' }>;

describe('chat relay pings (benchmark baseline)', () => {
  it('posts the pings asked for, the first at once and one every interval, each stamped when posted', () => {
    const clock = new ManualClock();
    const sent: Array<Ping & { at: number }> = [];
    // The process's drift from the wall clock is whatever the machine's clock did since it started (a VM
    // resumed, an NTP step: 23 s was seen here), so the test gives it one.
    sendRelayPings((ping) => sent.push({ ...ping, at: clock.time }), 4, 20, clock, () => 1_000_000 + clock.time, () => 7.5);
    assert.deepEqual(sent.map((ping) => [ping.seq, ping.at]), [[0, 0]]);
    clock.advanceTo(100);
    assert.deepEqual(sent.map((ping) => [ping.seq, ping.at]), [[0, 0], [1, 20], [2, 40], [3, 60]]);
    assert.equal(clock.pending, 0, 'nothing scheduled after the last');
    // Stamped with the host's epoch time, corrected by its drift from the wall clock, read once for the series.
    for (const ping of sent) assert.equal(ping.sentAt, 1_000_000 + ping.at + 7.5, `ping ${ping.seq}`);
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

describe('chat relay pings: the host\'s answer to the page\'s benchmarkPings', () => {
  /** A page's message as the panel host takes it: validated by the protocol, then a `benchmarkPings` goes to the relay. */
  const fromPage = (requests: RelayPingRequests, raw: unknown): 'accepted' | 'dropped' => {
    const message = parseWebviewMessage(raw);
    if (message === undefined) return 'dropped';
    if (message.type === 'benchmarkPings') requests.request(message);
    return 'accepted';
  };
  /** The host's relay on a manual clock, and the pings it posted, each with the time it was posted at. */
  const relay = (benchmarking: boolean) => {
    const clock = new ManualClock();
    const sent: Array<Ping & { at: number }> = [];
    const requests = new RelayPingRequests(benchmarking, (ping) => sent.push({ ...ping, at: clock.time }), clock);
    return { clock, sent, requests };
  };

  it('posts nothing, and schedules nothing, unless the host runs the benchmark (SWITCHBOARD_BENCHMARK_FILE)', () => {
    const { clock, sent, requests } = relay(false);
    assert.equal(fromPage(requests, { type: 'benchmarkPings', count: 5, intervalMs: 10 }), 'accepted');
    clock.advanceTo(1_000);
    assert.deepEqual(sent, []);
    assert.equal(clock.pending, 0);
  });

  it('in benchmark mode posts the pings asked for, one every interval', () => {
    const { clock, sent, requests } = relay(true);
    fromPage(requests, { type: 'benchmarkPings', count: 3, intervalMs: 25 });
    clock.advanceTo(1_000);
    assert.deepEqual(sent.map((ping) => [ping.type, ping.seq, ping.at]), [['ping', 0, 0], ['ping', 1, 25], ['ping', 2, 50]]);
    assert.equal(clock.pending, 0);
  });

  it('a new request replaces a series still posting, and cancel (the panel disposed) stops it', () => {
    const { clock, sent, requests } = relay(true);
    fromPage(requests, { type: 'benchmarkPings', count: 100, intervalMs: 10 });
    clock.advanceTo(25);
    fromPage(requests, { type: 'benchmarkPings', count: 100, intervalMs: 100 });
    clock.advanceTo(250);
    assert.deepEqual(sent.map((ping) => [ping.seq, ping.at]), [[0, 0], [1, 10], [2, 20], [0, 25], [1, 125], [2, 225]]);
    assert.equal(clock.pending, 1, 'one series at a time');
    requests.cancel();
    clock.advanceTo(10_000);
    assert.equal(sent.length, 6);
    assert.equal(clock.pending, 0);
  });

  it('answers up to 2,000 pings at up to one a second; a request beyond either, or not whole numbers, never reaches it', () => {
    assert.equal(MAX_BENCHMARK_PINGS, 2_000);
    const { clock, sent, requests } = relay(true);
    for (const raw of [
      { type: 'benchmarkPings', count: 2_001, intervalMs: 10 },
      { type: 'benchmarkPings', count: 3, intervalMs: 1_001 },
      { type: 'benchmarkPings', count: 0, intervalMs: 10 },
      { type: 'benchmarkPings', count: 3, intervalMs: -1 },
      { type: 'benchmarkPings', count: 2.5, intervalMs: 10 },
      { type: 'benchmarkPings', count: 3, intervalMs: 0.5 },
      { type: 'benchmarkPings', count: '3', intervalMs: 10 },
      { type: 'benchmarkPings', count: 3 },
    ]) {
      assert.equal(fromPage(requests, raw), 'dropped', JSON.stringify(raw));
    }
    clock.advanceTo(10_000);
    assert.equal(sent.length, 0);

    assert.equal(fromPage(requests, { type: 'benchmarkPings', count: 2, intervalMs: 1_000 }), 'accepted');
    clock.advanceTo(20_000);
    assert.deepEqual(sent.map((ping) => ping.seq), [0, 1]);

    sent.length = 0;
    assert.equal(fromPage(requests, { type: 'benchmarkPings', count: 2_000, intervalMs: 0 }), 'accepted');
    clock.advanceTo(30_000);
    assert.equal(sent.length, 2_000);
    assert.equal(sent.at(-1)?.seq, 1_999);
  });
});
