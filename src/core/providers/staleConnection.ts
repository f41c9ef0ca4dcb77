import { subscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';

/**
 * A kept-alive connection the server closed as it sat idle (its keep-alive timeout, a proxy's idle limit, a local
 * server restarted) can be picked for the next request in the moment the server's close is on its way: the request
 * is written, and the close (a FIN: undici's "other side closed"; or a reset: ECONNRESET) comes back before any
 * byte of an answer. The server never read that request, so nothing was billed; the SDKs, which the router keeps
 * from retrying, would report it as the model failing, and the router would fall back and rest that model. Such a
 * failure is asked again here, once, without the router seeing it; anything else is left as it is.
 *
 * Fetch does not say which connection a request went on, so the connection is watched through undici's diagnostics
 * channels (Node's fetch and VS Code's both publish them): when a request's headers go out, whether its socket
 * carried a request before and how many bytes it had read; when the request fails, whether it was such a socket
 * and nothing more was read. Where the channels are silent (a fetch that is not undici's), nothing is retried.
 *
 * Why not a client keep-alive below servers' timeouts instead: undici already closes an idle connection after 4 s,
 * or 2 s before a server's own `Keep-Alive: timeout` hint, and still meets servers and proxies that close sooner
 * and say nothing, resets from middleboxes, and a restarted local server; and setting it needs a dispatcher of our
 * own, which would bypass the proxy VS Code puts under fetch.
 */

/** Errors of a connection that closed under a request, as undici and Node report them. */
const CLOSED_UNDER_REQUEST: ReadonlySet<string> = new Set(['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE']);

interface SocketSeen {
  bytesRead: number;
}

interface SentOn {
  socket: SocketSeen;
  /** The socket had carried a request before this one: a kept-alive connection reused. */
  reused: boolean;
  /** What the socket had read when this request's headers went out. */
  readBefore: number;
}

const requestsBySocket = new WeakMap<object, number>();
const sentOn = new WeakMap<object, SentOn>();
/** The errors of requests that failed on a reused connection before a byte of their answer. */
const staleFailures = new WeakSet<object>();
let watching = false;

function watchConnections(): void {
  if (watching) return;
  watching = true;
  subscribe('undici:client:sendHeaders', (message) => {
    const { request, socket } = message as { request?: object; socket?: SocketSeen & object };
    if (!request || !socket) return;
    const before = requestsBySocket.get(socket) ?? 0;
    requestsBySocket.set(socket, before + 1);
    sentOn.set(request, { socket, reused: before > 0, readBefore: socket.bytesRead });
  });
  subscribe('undici:request:error', (message) => {
    const { request, error } = message as { request?: object; error?: unknown };
    const sent = request && sentOn.get(request);
    if (!sent || !sent.reused || sent.socket.bytesRead !== sent.readBefore) return;
    if (typeof error === 'object' && error !== null && CLOSED_UNDER_REQUEST.has(String((error as { code?: unknown }).code))) staleFailures.add(error);
  });
}

/**
 * Watches one request of an http.Agent of our own (Bedrock's tunnel agents behind a proxy, proxyTunnel.ts, which keep
 * their tunnels alive): Node says whether the request went out on a socket that carried one before (`reusedSocket`),
 * and the socket's bytes read tell whether any of its answer came. The AWS SDK's HTTP/1.1 handler rejects with the
 * request's own error, which is marked as fetch's cause is above. An agent VS Code puts in place of ours (its proxy
 * under "override") is not watched: nothing is retried there.
 */
export function watchAgentRequest(request: ClientRequest): void {
  let readBefore: number | undefined;
  let answered = false;
  request.once('socket', (socket) => (readBefore = socket.bytesRead));
  request.once('response', () => (answered = true));
  request.once('error', (error: NodeJS.ErrnoException) => {
    const socket = request.socket;
    if (answered || !request.reusedSocket || !socket || socket.bytesRead !== readBefore) return;
    if (CLOSED_UNDER_REQUEST.has(String(error.code))) staleFailures.add(error);
  });
}

/** True when the rejection (fetch's, or the AWS SDK's) is a request that failed on a reused connection before a byte of its answer. */
export function failedOnStaleConnection(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  if (staleFailures.has(error)) return true;
  const cause = (error as { cause?: unknown }).cause;
  return typeof cause === 'object' && cause !== null && staleFailures.has(cause);
}

/** A request fetch can send again as it was: its body is not a stream, which the first try consumed. */
function resendable(input: Parameters<typeof fetch>[0], init: RequestInit | undefined): boolean {
  if (typeof input !== 'string' && !(input instanceof URL)) return false;
  return !(init?.body instanceof ReadableStream);
}

/** A fetch that asks again, once, a request that failed on a stale kept-alive connection (see above). */
export function retryingStaleConnections(inner: typeof fetch = (input, init) => globalThis.fetch(input, init)): typeof fetch {
  watchConnections();
  return async (input, init) => {
    try {
      return await inner(input, init);
    } catch (error) {
      if (!failedOnStaleConnection(error) || init?.signal?.aborted || !resendable(input, init)) throw error;
      // The failed connection is gone from the pool; this goes on another, or a new one.
      return inner(input, init);
    }
  };
}
