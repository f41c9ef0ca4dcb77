/**
 * The streaming benchmark's relay baseline: bare `ping` messages posted to the
 * webview at a steady interval while nothing streams, each stamped with the
 * host's wall-clock-corrected epoch time, so the bench can tell VS Code's own
 * host → webview latency from what our streaming adds to it. Only answered when
 * the extension host runs the benchmark (SWITCHBOARD_BENCHMARK_FILE).
 * No `vscode` import: the sink and timers are injected.
 */
import type { HostToWebview } from '../../shared/chatProtocol';
import { realBatchClock, type BatchClock } from './chunkBatcher';
import { wallClockOffsetMs } from './chunkArrivals';

export interface RelayPings {
  /** Stops pings still to be sent. */
  cancel(): void;
}

/** Posts `count` pings, one every `intervalMs` (the first at once), until they are sent or `cancel` is called. */
export function sendRelayPings(
  post: (message: Extract<HostToWebview, { type: 'ping' }>) => void,
  count: number,
  intervalMs: number,
  clock: BatchClock = realBatchClock,
  epochNow: () => number = () => performance.timeOrigin + performance.now(),
): RelayPings {
  // Once per series: this process's drift from the wall clock the webview's times are compared through.
  const offset = wallClockOffsetMs();
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
