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
 * its phase: `lookup` (the name resolved), `connect` (TCP), `secureConnect` (TLS). Two things that channel does not show
 * are told by who sees them: a proxy's CONNECT still unanswered, and a TLS handshake inside its tunnel
 * (proxyTunnel.ts, Bedrock's agents behind a proxy); and an HTTP/2 session another attempt opened and this one's
 * request was put on before it was up (bedrockSessions.ts).
 *
 * The cost per request: one context entry per stream step read up to the first event, and per new socket (not per request on a kept-alive
 * one) three listeners, and per new fetch connection a record. Nothing is read unless the first-token limit runs out.
 */

export type ConnectionPhase = 'lookup' | 'connect' | 'tunnel' | 'tls' | 'proxied' | 'credentials';

/** The phase a socket of the attempt was still in when asked, for how long, and the host it was for. */
export interface SlowConnection {
  phase: ConnectionPhase;
  /** The host; for `credentials`, where they come from (a profile and its kind, a variable). */
  host: string;
  /** How long the socket has been in that phase, in ms. */
  phaseMs: number;
  /** The tunnel's far end (host:port), when the phase is a proxy's CONNECT. */
  target?: string;
}

interface WatchedSocket {
  socket: Socket;
  /** When the socket entered the phase it is in (performance.now()). */
  since: number;
  looked: boolean;
  connected: boolean;
  secured: boolean;
  /** A socket to a proxy that was asked to CONNECT to this (host:port), and has not opened the tunnel yet. */
  tunnelTo?: string;
}

/** Where a watched socket keeps its record: a property, so that it is read through the proxy an HTTP/2 session puts around its socket. */
const WATCHED = Symbol('switchboard.watchedSocket');
type Recorded = Socket & { [WATCHED]?: WatchedSocket };

/** A connection fetch (undici) set out to make for the attempt, to `host` (host:port). */
interface FetchConnect {
  host: string;
  since: number;
  done: boolean;
}

/** A fetch of credentials in flight: where from (in words), since when (performance.now()). */
export interface CredentialFetch {
  source: string;
  since: number;
}

/**
 * A request of the attempt not sent yet (since `since`), to be signed with credentials that `fetching` tells are still
 * being fetched, or not; `done` once the request went out.
 */
interface CredentialWait {
  fetching: () => CredentialFetch | undefined;
  since: number;
  done: boolean;
}

/** The sockets one attempt opened, and its waits for credentials. */
export class ConnectionWatch {
  readonly sockets: WatchedSocket[] = [];
  readonly fetchConnects: FetchConnect[] = [];
  readonly credentialWaits: CredentialWait[] = [];

  /**
   * @param dialled the host the attempt's requests go to (its provider's baseUrl or endpoint), said for a socket that
   * names none yet: one asked for an address, before it connects.
   */
  constructor(private readonly dialled = 'its host') {}

  /** The socket of this attempt that is still connecting, the one opened last, and where it is; none: the wait is the server's. */
  stillConnecting(now = performance.now()): SlowConnection | undefined {
    // Credentials come before any connection to the host: a request waiting on them has not been sent.
    for (const wait of this.credentialWaits) {
      const fetch = wait.done ? undefined : wait.fetching();
      if (fetch) return { phase: 'credentials', host: fetch.source, phaseMs: Math.floor(now - Math.max(wait.since, fetch.since)) };
    }
    for (let index = this.sockets.length - 1; index >= 0; index--) {
      const watched = this.sockets[index]!;
      const { socket } = watched;
      if (socket.destroyed) continue;
      const tls = 'encrypted' in socket;
      if (watched.tunnelTo !== undefined) return { phase: 'tunnel', host: `${hostOf(socket, this.dialled)}:${socket.remotePort ?? ''}`, target: watched.tunnelTo, phaseMs: Math.floor(now - watched.since) };
      if (watched.connected && (!tls || watched.secured)) continue;
      const host = hostOf(socket, this.dialled);
      // An address asked for (an IP, or a local socket) is not looked up: its socket emits no `lookup`.
      const phase: ConnectionPhase = watched.connected ? 'tls' : watched.looked || isIP(host) !== 0 ? 'connect' : 'lookup';
      return { phase, host, phaseMs: Math.floor(now - watched.since) };
    }
    // Every socket seen is up, yet fetch's connection is not: it is going through a proxy, whose CONNECT and the TLS
    // handshake inside its tunnel are made on a socket Node publishes outside the attempt's context (Node's proxy
    // support under NODE_USE_ENV_PROXY). The proxy is the socket up last.
    const pending = this.fetchConnects.findLast((connect) => !connect.done);
    if (!pending) return undefined;
    const proxy = this.sockets.findLast((watched) => !watched.socket.destroyed);
    const through = proxy ? `${hostOf(proxy.socket, this.dialled)}:${proxy.socket.remotePort ?? ''}` : 'a proxy';
    return { phase: 'proxied', host: pending.host, target: through, phaseMs: Math.floor(now - pending.since) };
  }
}

/**
 * The host a socket was asked for: Node keeps a name it looks up as `_host` (set before the lookup starts); an address
 * is not looked up, and is the socket's remote address once connected, or the TLS server name given. Before then (an
 * address still connecting, over plain TCP) the socket names nothing: `dialled`, the host the attempt went to.
 */
function hostOf(socket: Socket, dialled: string): string {
  const { _host: host, servername } = socket as { _host?: unknown; servername?: unknown };
  for (const candidate of [host, socket.remoteAddress, servername]) if (typeof candidate === 'string' && candidate) return candidate;
  return dialled;
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
    (socket as Recorded)[WATCHED] = watched;
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
  // Fetch's own account of its connections (undici's channels). The start and the end of one are told by the client's
  // connector, the same function in both messages (their connectParams are copies); a client makes one at a time.
  const connects = new WeakMap<object, FetchConnect>();
  subscribe('undici:client:beforeConnect', (message) => {
    const watch = current.getStore();
    const { connectParams: params, connector } = message as { connectParams?: { hostname?: unknown; port?: unknown }; connector?: object };
    if (!watch || !params || !connector) return;
    const connect: FetchConnect = { host: `${String(params.hostname)}:${String(params.port)}`, since: performance.now(), done: false };
    watch.fetchConnects.push(connect);
    connects.set(connector, connect);
  });
  const ended = (message: unknown) => {
    const { connector } = message as { connector?: object };
    const connect = connector && connects.get(connector);
    if (connect) connect.done = true;
  };
  subscribe('undici:client:connected', ended);
  subscribe('undici:client:connectError', ended);
}

/**
 * A TLS socket made on a socket already connected (TLS to the target inside a proxy's tunnel): `tls.connect` with a
 * `socket` publishes nothing on `net.client.socket`, so the handshake in the tunnel is watched from here, for the
 * attempt whose context it is made in. Its `since` is the handshake's start.
 */
export function watchTlsOnTunnel(socket: Socket): void {
  const watch = current.getStore();
  if (!watch) return;
  const watched: WatchedSocket = { socket, since: performance.now(), looked: true, connected: true, secured: false };
  (socket as Recorded)[WATCHED] = watched;
  watch.sockets.push(watched);
  socket.once('secureConnect', () => (watched.secured = true));
}

/** `socket`, connected to a proxy, has asked it to CONNECT to `target` (host:port): its wait is now the proxy's. */
export function watchTunnelOpening(socket: Socket, target: string): void {
  const watched = (socket as Recorded)[WATCHED];
  if (!watched) return;
  watched.tunnelTo = target;
  watched.since = performance.now();
}

/** The proxy answered the CONNECT (yes or no). */
export function tunnelAnswered(socket: Socket): void {
  const watched = (socket as Recorded)[WATCHED];
  if (watched) watched.tunnelTo = undefined;
}

/**
 * The attempt in whose context this is called is about to send a request signed with credentials that may still be
 * coming (the AWS credential chain: an SSO token refresh, an assume-role call, a credential_process, one fetch shared by
 * every request asking meanwhile). Until the request goes out (requestSent), a first-token limit that runs out while
 * `fetching` tells of a fetch is said as the credentials' wait, from its source, not as the model's silence: the
 * request has not been sent. Asked when the limit runs out, not before: the request may start the fetch after this.
 */
export function awaitingCredentials(fetching: () => CredentialFetch | undefined): void {
  current.getStore()?.credentialWaits.push({ fetching, since: performance.now(), done: false });
}

/** The request of the attempt in whose context this is called has been signed and handed to the connection. */
export function requestSent(): void {
  for (const wait of current.getStore()?.credentialWaits ?? []) wait.done = true;
}

/**
 * A request of this attempt that goes out on a connection another attempt is still making (an HTTP/2 session the
 * other opened, leased before it is up): that connection's phase is this attempt's wait too. No-op for a socket no
 * attempt watched, or one already done connecting.
 */
export function sharesConnection(socket: Socket): void {
  const watch = current.getStore();
  const watched = (socket as Recorded)[WATCHED];
  if (watch && watched && !watch.sockets.includes(watched)) watch.sockets.push(watched);
}

/**
 * Reads `events` with every step up to the first event under `watch`, so the sockets the SDK opens for it are counted
 * as this attempt's. Every step up to it, not only the first: a request asked again on a fresh connection
 * (staleConnection.ts) opens its socket after the first step's awaits. The rest are the inner stream's own steps, not
 * wrapped: the first event comes with the answer (every adapter's is `started`, once the response is in), so the
 * connection is made by then, and the phase is read only before it (attempt.ts) — no context entry per token.
 */
export function readWatchingConnections<T>(watch: ConnectionWatch, events: AsyncIterable<T>): AsyncIterable<T> {
  watchSockets();
  return {
    [Symbol.asyncIterator]: () => {
      const iterator = events[Symbol.asyncIterator]();
      let watching = true;
      return {
        next: () => {
          if (!watching) return iterator.next();
          return current.run(watch, () => iterator.next()).then((step) => {
            if (!step.done) watching = false;
            return step;
          });
        },
        // The reader stopped early (a break, an abort): the SDK's stream closes its request as it would have.
        return: async (value?: unknown) => (await iterator.return?.(value)) ?? { done: true, value: undefined },
      };
    },
  };
}

/** How the slow phase is said: what took the time, by the host it was for. */
export function describeSlowConnection(slow: SlowConnection): string {
  const over = `took over ${slow.phaseMs} ms`;
  if (slow.phase === 'lookup') return `DNS lookup of ${slow.host} ${over}`;
  if (slow.phase === 'connect') return `connecting to ${slow.host} ${over}`;
  if (slow.phase === 'proxied') return `reaching ${slow.host} through the proxy ${slow.target} (its CONNECT, or the TLS handshake in its tunnel) ${over}`;
  if (slow.phase === 'credentials') return `getting AWS credentials from ${slow.host} ${over}`;
  if (slow.phase === 'tunnel') return `the proxy ${slow.host} opening a tunnel (CONNECT) to ${slow.target} ${over}`;
  return `the TLS handshake with ${slow.host} ${over}`;
}
