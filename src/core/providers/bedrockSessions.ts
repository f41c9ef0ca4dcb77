import type { NodeHttp2Handler } from '@smithy/node-http-handler';

/**
 * Bedrock's HTTP/2 way, one session per endpoint kept across requests, instead of a TCP and TLS handshake for each.
 *
 * The AWS SDK's NodeHttp2Handler pools sessions by endpoint, except for a request it is told is an event stream
 * (`isEventStream`, which ConverseStream's is, for its answer) or under `disableConcurrentStreams`: those get a session
 * of their own, closed once the answer ends. Measured before this: three requests, three TCP connections; for ghost
 * text, a handshake (two or three round trips more to the region) at every pause in typing. The isolation is there
 * for bidirectional event streams, whose request body streams for as long as the exchange lasts; ConverseStream's
 * request is one JSON body, and its answer is one HTTP/2 stream among others, as any response is. So the handler is
 * told it is not one, and leases from its pool, which already drops a session on GOAWAY, error or close.
 *
 * Idle sessions are unref'd by the SDK (they keep no process alive) and closed with the client (dispose). A session
 * that went stale while idle: a server's GOAWAY takes it out of the pool before the next request; a stream the server
 * refuses (REFUSED_STREAM, or above a GOAWAY's last stream id, which nghttp2 closes as refused) was by HTTP/2's rule
 * not processed, and is asked again once (refusedUnprocessed, bedrock.ts's send); a connection gone silent without a
 * word is what the first-token watchdog is for.
 */
export function sharingHttp2Sessions(handler: NodeHttp2Handler): NodeHttp2Handler {
  const handle = handler.handle.bind(handler);
  handler.handle = (request, options = {}) => handle(request, { ...options, isEventStream: false });
  return handler;
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
