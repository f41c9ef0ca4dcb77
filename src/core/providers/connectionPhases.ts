import { AsyncLocalStorage } from 'node:async_hooks';
import { subscribe } from 'node:diagnostics_channel';
import { isIP, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';

/**
 * Where a request that has sent nothing back yet is: still making its connection (looking the host up, connecting,
 * the TLS handshake) or sent and waiting for the model. A first-token limit that runs out while the host's name is
 * still being looked up is not the model's slowness: the model never got the request, and resting it would send the
 * next requests elsewhere for nothing it did.
 *
 * The sockets an attempt opens are seen through Node's `net.client.socket` diagnostics channel, published by
 * `net.connect` and `tls.connect` for every client socket, whoever makes it: fetch's undici (the OpenAI and Anthropic
 * SDKs), the AWS SDK's HTTP/2 and HTTP/1.1 handlers, its credential chain. Which attempt a socket is for is the
 * async context it was made in (an AsyncLocalStorage the attempt's stream is read under). A request that goes out on a
 * connection kept alive from an earlier one opens no socket: its wait is the model's. Each socket's own events tell
 * its phase: `lookup` (the name resolved), `connect` (TCP), `secureConnect` (TLS).
 *
 * The cost per request: one context entry per stream event read, and per new socket (not per request on a kept-alive
 * one) three listeners. Nothing is read unless the first-token limit runs out.
 */

export type ConnectionPhase = 'lookup' | 'connect' | 'tls';

/** The phase a socket of the attempt was still in when asked, for how long, and the host it was for. */
export interface SlowConnection {
  phase: ConnectionPhase;
  host: string;
  /** How long the socket has been in that phase, in ms. */
  phaseMs: number;
}

interface WatchedSocket {
  socket: Socket;
  /** When the socket entered the phase it is in (performance.now()). */
  since: number;
  looked: boolean;
  connected: boolean;
  secured: boolean;
}

/** The sockets one attempt opened. */
export class ConnectionWatch {
  readonly sockets: WatchedSocket[] = [];

  /** The socket of this attempt that is still connecting, the one opened last, and where it is; none: the wait is the server's. */
  stillConnecting(now = performance.now()): SlowConnection | undefined {
    for (let index = this.sockets.length - 1; index >= 0; index--) {
      const watched = this.sockets[index]!;
      const { socket } = watched;
      if (socket.destroyed) continue;
      const tls = 'encrypted' in socket;
      if (watched.connected && (!tls || watched.secured)) continue;
      const host = hostOf(socket);
      // An address asked for (an IP, or a local socket) is not looked up: its socket emits no `lookup`.
      const phase: ConnectionPhase = watched.connected ? 'tls' : watched.looked || isIP(host) !== 0 ? 'connect' : 'lookup';
      return { phase, host, phaseMs: Math.floor(now - watched.since) };
    }
    return undefined;
  }
}

/**
 * The host a socket was asked for: Node keeps a name it looks up as `_host` (set before the lookup starts); an address
 * is not looked up, and is the socket's remote address once connected, or the TLS server name given.
 */
function hostOf(socket: Socket): string {
  const { _host: host, servername } = socket as { _host?: unknown; servername?: unknown };
  for (const candidate of [host, socket.remoteAddress, servername]) if (typeof candidate === 'string' && candidate) return candidate;
  return 'its host';
}

const current = new AsyncLocalStorage<ConnectionWatch>();
let subscribed = false;

function watchSockets(): void {
  if (subscribed) return;
  subscribed = true;
  subscribe('net.client.socket', (message) => {
    const watch = current.getStore();
    const socket = (message as { socket?: Socket }).socket;
    if (!watch || !socket) return;
    const watched: WatchedSocket = { socket, since: performance.now(), looked: false, connected: false, secured: false };
    watch.sockets.push(watched);
    socket.once('lookup', () => {
      watched.looked = true;
      watched.since = performance.now();
    });
    socket.once('connect', () => {
      watched.connected = true;
      watched.since = performance.now();
    });
    socket.once('secureConnect', () => (watched.secured = true));
  });
}

/**
 * Reads `events` with every step under `watch`, so the sockets the SDK opens for it are counted as this attempt's.
 * Every step, not only the first: a request asked again on a fresh connection (staleConnection.ts) opens its socket
 * after the first step's awaits.
 */
export async function* readWatchingConnections<T>(watch: ConnectionWatch, events: AsyncIterable<T>): AsyncGenerator<T, void> {
  watchSockets();
  const iterator = events[Symbol.asyncIterator]();
  let finished = false;
  try {
    for (;;) {
      const step = await current.run(watch, () => iterator.next());
      if (step.done) {
        finished = true;
        return;
      }
      yield step.value;
    }
  } finally {
    // The reader stopped early (a break, an abort): the SDK's stream closes its request as it would have.
    if (!finished) await iterator.return?.();
  }
}

/** How the slow phase is said: what took the time, by the host it was for. */
export function describeSlowConnection(slow: SlowConnection): string {
  const over = `took over ${slow.phaseMs} ms`;
  if (slow.phase === 'lookup') return `DNS lookup of ${slow.host} ${over}`;
  if (slow.phase === 'connect') return `connecting to ${slow.host} ${over}`;
  return `the TLS handshake with ${slow.host} ${over}`;
}
