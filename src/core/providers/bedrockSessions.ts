import type { ClientHttp2Session } from 'node:http2';
import { performance } from 'node:perf_hooks';
import type { NodeHttp2Handler } from '@smithy/node-http-handler';
import { sharesConnection } from './connectionPhases';

/**
 * A kept session that sat idle this long is pinged (HTTP/2 PING) before a request goes on it, and closed if the PING
 * is not answered within `pingDeadlineMs`: the request then opens a fresh session. A connection a NAT or firewall
 * forgot while idle (its timeout, a restart, a laptop that slept or changed networks) says nothing, no FIN, no GOAWAY;
 * a request sent into it waited for the first-token limit, read as the model's silence, and rested the model.
 * Chromium checks its HTTP/2 sessions the same way after 10 s without a read. The PING costs one round trip to the
 * region, only on a request after such a spell; a session used within it is taken as it is (a time read and a map
 * look-up). The deadline is far above a round trip to any region, and well inside ghost text's 3 s first-token limit,
 * which a fresh connection must still fit in. Not settings: nothing a user would tune. Tests shorten `idleMs`.
 *
 * The idle spell is the longer of the monotonic clock's and the wall clock's: the monotonic clock (performance.now,
 * CLOCK_MONOTONIC on Linux) stands still while the machine is suspended, so a laptop that slept an hour with a
 * session idle for 5 s would read 5 s idle on waking, the very drop this check is for; the wall clock counts the
 * sleep (`wallClock`, which a test moves on to play one).
 */
export const sessionCheck = { idleMs: 10_000, pingDeadlineMs: 1000, wallClock: (): number => Date.now() };

/** When a session went idle, by both clocks (sessionCheck). */
interface IdleStamp {
  monotonic: number;
  wall: number;
}

function idleStamp(): IdleStamp {
  return { monotonic: performance.now(), wall: sessionCheck.wallClock() };
}

function idleFor(since: IdleStamp): number {
  return Math.max(performance.now() - since.monotonic, sessionCheck.wallClock() - since.wall);
}

/** The SDK's pooled-session reference (ClientHttp2SessionRef), what its connection manager leases and releases. */
interface SessionRef {
  deref(): ClientHttp2Session;
  useCount(): number;
  destroy(): void;
}
interface RequestContext {
  destination: URL;
}
/** The handler's connection manager (NodeHttp2ConnectionManager; not in the handler's public type). */
interface ConnectionManager {
  lease(context: RequestContext, configuration: object): SessionRef;
  release(context: RequestContext, ref: SessionRef): void;
  getUrlString(context: RequestContext): string;
}
type Handle = NodeHttp2Handler['handle'];

/**
 * ConverseStream's request path (`…/model/{modelId}/converse-stream`, the id URL-encoded, after any path the endpoint
 * has), the one event stream whose session may be shared.
 */
const CONVERSE_STREAM_PATH = /\/model\/[^/]+\/converse-stream$/;

/**
 * Bedrock's HTTP/2 way, one session per endpoint kept across requests, instead of a TCP and TLS handshake for each.
 *
 * The AWS SDK's NodeHttp2Handler pools sessions by endpoint, except for a request it is told is an event stream
 * (`isEventStream`, which ConverseStream's is, for its answer) or under `disableConcurrentStreams`: those get a session
 * of their own, closed once the answer ends. Measured before this: three requests, three TCP connections; for ghost
 * text, a handshake (two or three round trips more to the region) at every pause in typing. The isolation is there
 * for bidirectional event streams, whose request body streams for as long as the exchange lasts; ConverseStream's
 * request is one JSON body, and its answer is one HTTP/2 stream among others, as any response is. So the handler is
 * told it is not one, and leases from its pool, which already drops a session on GOAWAY, error or close. Only for
 * ConverseStream (its path, `…/converse-stream`): any other event-stream command the client is given later, such as a
 * bidirectional one, keeps the session of its own the SDK gives it.
 *
 * Idle sessions are unref'd by the SDK (they keep no process alive) and closed with the client (dispose). A session
 * that went stale while idle: a server's GOAWAY takes it out of the pool before the next request; a stream the server
 * refuses (REFUSED_STREAM, or above a GOAWAY's last stream id, which nghttp2 closes as refused) was by HTTP/2's rule
 * not processed, and is asked again once (refusedUnprocessed, bedrock.ts's send); a connection gone silent without a
 * word (a NAT's idle drop) is found by a PING before reuse after an idle spell (sessionCheck, below).
 */
export function sharingHttp2Sessions(handler: NodeHttp2Handler): NodeHttp2Handler {
  const handle = handler.handle.bind(handler);
  const checking = checkingIdleSessions((handler as unknown as { connectionManager: ConnectionManager }).connectionManager);
  handler.handle = (request, options = {}) => {
    const sent = CONVERSE_STREAM_PATH.test(request.path) ? { ...options, isEventStream: false } : options;
    const check = checking(request, options.abortSignal as AbortSignal | undefined);
    return check ? check.then(() => handle(request, sent)) : handle(request, sent);
  };
  return handler;
}

/**
 * Watches the sessions `manager` leases: when each last went idle (its last stream closed, the last thing read on
 * it). Returns the check to make before a request: the session it would go on, if idle past `sessionCheck.idleMs`,
 * pinged (one PING for any requests waiting on it), and closed when no answer comes in time (the SDK's pool drops a
 * session once it is destroyed); undefined when there is nothing to wait for, as on a warm session.
 */
function checkingIdleSessions(manager: ConnectionManager): (request: Parameters<Handle>[0], signal: AbortSignal | undefined) => Promise<void> | undefined {
  // The session each endpoint's requests went on last: the pool hands out its first live one, the one kept.
  const lastLeased = new Map<string, SessionRef>();
  const poolKeys = new Map<string, string>();
  const idleSince = new WeakMap<ClientHttp2Session, IdleStamp>();
  const pinging = new WeakMap<ClientHttp2Session, Promise<void>>();
  const lease = manager.lease.bind(manager);
  const release = manager.release.bind(manager);
  manager.lease = (context, configuration) => {
    const ref = lease(context, configuration);
    lastLeased.set(manager.getUrlString(context), ref);
    // Handed a session another request opened and is still connecting: its handshake is this request's wait too.
    const session = ref.deref();
    if (session.connecting) sharesConnection(session.socket);
    return ref;
  };
  manager.release = (context, ref) => {
    release(context, ref);
    if (ref.useCount() === 0) idleSince.set(ref.deref(), idleStamp());
  };
  return (request, signal) => {
    if (lastLeased.size === 0) return undefined;
    // The handler's own key for the endpoint's pool (its authority, as a URL), parsed once per endpoint.
    const authority = `${request.protocol}//${request.hostname}${request.port ? `:${request.port}` : ''}`;
    let url = poolKeys.get(authority);
    if (url === undefined) poolKeys.set(authority, (url = manager.getUrlString({ destination: new URL(authority) })));
    const ref = lastLeased.get(url);
    if (!ref) return undefined;
    const session = ref.deref();
    if (session.destroyed || session.closed) {
      lastLeased.delete(url);
      return undefined;
    }
    const since = idleSince.get(session);
    if (ref.useCount() > 0 || since === undefined || idleFor(since) < sessionCheck.idleMs) return undefined;
    let check = pinging.get(session);
    if (!check) {
      check = answersPing(session, sessionCheck.pingDeadlineMs).then((alive) => {
        pinging.delete(session);
        if (alive) idleSince.set(session, idleStamp());
        else ref.destroy();
      });
      pinging.set(session, check);
    }
    return signal ? untilAborted(check, signal) : check;
  };
}

/** Whether `session` answers a PING within `deadlineMs`. */
function answersPing(session: ClientHttp2Session, deadlineMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    // Not unref'd: a CLI waiting on this request has nothing else keeping it alive (idle sessions are unref'd).
    const timer = setTimeout(() => resolve(false), deadlineMs);
    let sent = false;
    try {
      sent = session.ping((error) => {
        clearTimeout(timer);
        resolve(!error);
      });
    } catch {
      // A session closing as it was asked (a GOAWAY just read): not one to send on either.
    }
    if (!sent) {
      clearTimeout(timer);
      resolve(false);
    }
  });
}

/** `check`, or sooner when `signal` aborts (the handler then refuses the request as aborted). */
function untilAborted(check: Promise<void>, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      signal.removeEventListener('abort', done);
      resolve();
    };
    signal.addEventListener('abort', done, { once: true });
    void check.then(done);
  });
}

/**
 * True when the request's HTTP/2 stream was refused by the server (RST_STREAM REFUSED_STREAM, or past a GOAWAY's last
 * stream id): RFC 9113 §8.7 guarantees it was not processed, so nothing was billed and it may be sent again.
 */
export function refusedUnprocessed(error: unknown): boolean {
  for (let at = error, depth = 0; typeof at === 'object' && at !== null && depth < 5; at = (at as { cause?: unknown }).cause, depth++) {
    const { code, message } = at as { code?: unknown; message?: unknown };
    if (code === 'ERR_HTTP2_STREAM_ERROR' && typeof message === 'string' && message.includes('NGHTTP2_REFUSED_STREAM')) return true;
  }
  return false;
}
