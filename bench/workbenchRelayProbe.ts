/**
 * Where VS Code's relay of a chunk message goes, split at the workbench: the
 * time the workbench page hands each message to the webview's message port
 * (after the extension host's RPC write, the socket and the workbench's
 * dispatch) against the time the extension host posted it and the time the
 * panel's handler got it (after the two iframe hops). Also each chunk
 * acknowledgement's arrival back in the workbench, and the same split for the
 * bare pings of the relay's floor.
 *
 * The workbench sends to the webview through one MessagePort
 * (`{channel: 'message', args: {message}}`) and hears it on the same port
 * (`{channel: 'onmessage', data: {message}}`): MessagePort.prototype.postMessage
 * is wrapped in the workbench page to timestamp what goes, and the first port
 * seen carrying a chunk gets a listener for what comes back. Per message a
 * clock read and a push: installed in both sides of an A/B alike.
 */
import type { Page } from 'playwright-core';

export interface RelayProbeLog {
  timeOrigin: number;
  /** `Date.now() − (timeOrigin + performance.now())` when read, as the webview's clock is corrected. */
  driftMs: number;
  /** Per chunk message: its last chunk's seq, and when the workbench handed it to the webview's port (page ms). */
  chunkForwards: Array<[number, number]>;
  pingForwards: Array<[number, number]>;
  /** Per acknowledgement: the seq acknowledged, and when it reached the workbench from the webview (page ms). */
  acks: Array<[number, number]>;
}

interface ProbeWindow {
  __switchboardRelayProbe?: { chunkForwards: Array<[number, number]>; pingForwards: Array<[number, number]>; acks: Array<[number, number]> };
}

/** Wraps the workbench page's MessagePort.postMessage; call once the panel is shown, before the pings. */
export async function installRelayProbe(page: Page): Promise<void> {
  await page.evaluate(() => {
    const target = window as unknown as ProbeWindow;
    if (target.__switchboardRelayProbe) return;
    const log = { chunkForwards: [] as Array<[number, number]>, pingForwards: [] as Array<[number, number]>, acks: [] as Array<[number, number]> };
    target.__switchboardRelayProbe = log;
    const heard = new WeakSet<MessagePort>();
    const original = MessagePort.prototype.postMessage;
    MessagePort.prototype.postMessage = function (this: MessagePort, ...args: unknown[]) {
      const data = args[0] as { channel?: string; args?: { message?: { type?: string; seq?: number } } } | undefined;
      const message = data?.channel === 'message' ? data.args?.message : undefined;
      if (message && typeof message.seq === 'number' && (message.type === 'chunk' || message.type === 'ping')) {
        (message.type === 'chunk' ? log.chunkForwards : log.pingForwards).push([message.seq, performance.now()]);
        if (!heard.has(this)) {
          heard.add(this);
          this.addEventListener('message', (event: MessageEvent) => {
            const back = event.data as { channel?: string; data?: { message?: { type?: string; seq?: number } } } | undefined;
            const ack = back?.channel === 'onmessage' ? back.data?.message : undefined;
            if (ack?.type === 'chunkAck' && typeof ack.seq === 'number') log.acks.push([ack.seq, performance.now()]);
          });
        }
      }
      return (original as (...rest: unknown[]) => void).apply(this, args);
    } as typeof MessagePort.prototype.postMessage;
  });
}

export async function readRelayProbe(page: Page): Promise<RelayProbeLog | undefined> {
  return page.evaluate(() => {
    const log = (window as unknown as ProbeWindow).__switchboardRelayProbe;
    if (!log) return undefined;
    const start = Date.now();
    let now = start;
    while (now === start) now = Date.now();
    return { timeOrigin: performance.timeOrigin, driftMs: now - (performance.timeOrigin + performance.now()), ...log };
  });
}

export interface RelaySplit {
  /** Chunk messages: the host's post to the workbench's hand-off to the webview (ext host RPC write, socket, dispatch). */
  hostToWorkbenchMs: number[];
  /** The workbench's hand-off to the panel's handler (outer and inner iframe). */
  workbenchToWebviewMs: number[];
  /** Bare pings while nothing streams: the same two legs. */
  pingHostToWorkbenchMs: number[];
  pingWorkbenchToWebviewMs: number[];
  /** Chunk messages: the panel's receipt to its acknowledgement's arrival in the workbench (the page acknowledges on receipt). */
  webviewToWorkbenchAckMs: number[];
}

/**
 * Matches the probe's times to the host's posts (epoch ms, corrected) and the panel's receipts (epoch ms), by the
 * message's last chunk seq; pings by their seq.
 */
export function splitRelay(
  probe: RelayProbeLog,
  posts: ReadonlyArray<{ seq: number; postedAt: number }>,
  received: ReadonlyMap<number, number>,
  pings: ReadonlyArray<{ seq: number; sentAt: number; receivedAt: number }>,
): RelaySplit {
  const epoch = probe.timeOrigin + probe.driftMs;
  const forwardedAt = new Map(probe.chunkForwards.map(([seq, at]) => [seq, epoch + at]));
  const split: RelaySplit = { hostToWorkbenchMs: [], workbenchToWebviewMs: [], pingHostToWorkbenchMs: [], pingWorkbenchToWebviewMs: [], webviewToWorkbenchAckMs: [] };
  for (const post of posts) {
    const forwarded = forwardedAt.get(post.seq);
    if (forwarded === undefined) continue;
    split.hostToWorkbenchMs.push(forwarded - post.postedAt);
    const got = received.get(post.seq);
    if (got !== undefined) split.workbenchToWebviewMs.push(got - forwarded);
  }
  for (const [seq, at] of probe.acks) {
    const got = received.get(seq);
    if (got !== undefined) split.webviewToWorkbenchAckMs.push(epoch + at - got);
  }
  const pingForwardedAt = new Map(probe.pingForwards.map(([seq, at]) => [seq, epoch + at]));
  for (const ping of pings) {
    const forwarded = pingForwardedAt.get(ping.seq);
    if (forwarded === undefined) continue;
    split.pingHostToWorkbenchMs.push(forwarded - ping.sentAt);
    split.pingWorkbenchToWebviewMs.push(ping.receivedAt - forwarded);
  }
  return split;
}
