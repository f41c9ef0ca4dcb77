/**
 * The streaming benchmark's relay baseline: bare `ping` messages posted to the
 * webview at a steady interval while nothing streams, each stamped with the
 * host's wall-clock-corrected epoch time, so the bench can tell VS Code's own
 * host → webview latency from what our streaming adds to it. Only answered when
 * the extension host runs the benchmark (SWITCHBOARD_BENCHMARK_FILE).
 * No `vscode` import: the sink and timers are injected.
 */
import type { HostToWebview, WebviewToHost } from '../../shared/chatProtocol';
import { realBatchClock, type BatchClock } from './chunkBatcher';
import { wallClockOffsetMs } from './chunkArrivals';

type Ping = Extract<HostToWebview, { type: 'ping' }>;

export interface RelayPings {
  /** Stops pings still to be sent. */
  cancel(): void;
}

/** Posts `count` pings, one every `intervalMs` (the first at once), until they are sent or `cancel` is called. */
export function sendRelayPings(
  post: (message: Ping) => void,
  count: number,
  intervalMs: number,
  clock: BatchClock = realBatchClock,
  epochNow: () => number = () => performance.timeOrigin + performance.now(),
  driftFromWallClock: () => number = wallClockOffsetMs,
): RelayPings {
  // Once per series: this process's drift from the wall clock the webview's times are compared through.
  const offset = driftFromWallClock();
  let seq = 0;
  let timer: unknown;
  const next = () => {
    timer = undefined;
    post({ type: 'ping', seq, sentAt: epochNow() + offset });
    seq++;
    if (seq < count) timer = clock.setTimeout(next, intervalMs);
  };
  next();
  return {
    cancel: () => {
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
    },
  };
}

/**
 * The host's answer to the page's `benchmarkPings` (already validated by
 * `parseWebviewMessage`): nothing unless the host runs the benchmark, since any
 * page could otherwise keep the host posting; a new request replaces a series
 * still posting.
 */
export class RelayPingRequests {
  private series?: RelayPings;

  constructor(
    private readonly benchmarking: boolean,
    private readonly post: (message: Ping) => void,
    private readonly clock: BatchClock = realBatchClock,
  ) {}

  request(message: Extract<WebviewToHost, { type: 'benchmarkPings' }>): void {
    if (!this.benchmarking) return;
    this.series?.cancel();
    this.series = sendRelayPings(this.post, message.count, message.intervalMs, this.clock);
  }

  cancel(): void {
    this.series?.cancel();
    this.series = undefined;
  }
}
