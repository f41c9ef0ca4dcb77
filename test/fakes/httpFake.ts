/** HTTP/1.1 plumbing for the SSE fakes (OpenAI, Anthropic), and Bedrock's fake when it speaks HTTP/1.1. */
import http from 'node:http';
import type { Connection, FakeReply, FakeServer, FakeState, LoggedRequest } from './fakeServer';
import { LoopbackServer, playFaultBeforeAnswer, type ResponseSink } from './loopbackServer';

export { fakeServerHandle } from './loopbackServer';

export interface HttpExchange {
  request: LoggedRequest;
  response: http.ServerResponse;
  connection: Connection;
}

/** Starts a server on 127.0.0.1 (a free port) that logs each request and hands it to `handle`. */
export async function startHttpFake(
  state: FakeState,
  handle: (exchange: HttpExchange) => Promise<void>,
): Promise<FakeServer> {
  const loopback = new LoopbackServer(state);
  const server = http.createServer((req, res) => {
    if (loopback.droppedOnReuse(req.socket)) return;
    const head = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers };
    loopback.receive(req, head, httpResponseSink(res), (request, connection) => handle({ request, response: res, connection }));
  });
  return loopback.listen(server);
}

const cutByServer = new WeakSet<http.ServerResponse>();

/** Drops the TCP connection before a byte of the response, as an overloaded load balancer may. */
export function resetConnection(response: http.ServerResponse): void {
  cutByServer.add(response);
  response.socket?.destroy();
}

/**
 * Drops the TCP connection mid-response, as a crashing proxy would. The
 * socket is ended rather than destroyed so the pieces already written still
 * reach the client before the chunked body breaks off.
 */
export function cutConnection(response: http.ServerResponse): void {
  cutByServer.add(response);
  response.socket?.end();
}

/** An HTTP/1.1 response as the shared plumbing (and Bedrock's writer) sees it. */
export function httpResponseSink(response: http.ServerResponse): ResponseSink {
  return {
    get headersSent() {
      return response.headersSent;
    },
    get destroyed() {
      return response.destroyed;
    },
    respond: (status, headers) => void response.writeHead(status, headers),
    write: (bytes, written) => void response.write(bytes, written),
    end: (bytes) => void response.end(bytes),
    cut: () => {
      cutByServer.add(response);
      // Headers from respond() go out with the first write: an empty one sends them, if need be, before the end.
      response.write(new Uint8Array(0), () => cutConnection(response));
    },
    reset: () => resetConnection(response),
    endedByFake: () => response.writableEnded || cutByServer.has(response),
    onClose: (listener) => void response.on('close', listener),
    onFinish: (listener) => void response.on('finish', listener),
  };
}

/**
 * Plays what a reply does before any answer: the wait for the first byte, a
 * stall until the client leaves, a reset, or an error status (sent by
 * `sendError`, in the provider's own shape). True when the exchange ends there.
 */
export async function endedBeforeAnswer(
  { response, connection }: Pick<HttpExchange, 'response' | 'connection'>,
  reply: FakeReply,
  sendError: (response: http.ServerResponse, reply: FakeReply) => void,
): Promise<boolean> {
  return playFaultBeforeAnswer(connection, reply, { reset: () => resetConnection(response) }, (scripted) => sendError(response, scripted));
}

export function sendJson(
  response: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}

/**
 * A scripted error body that is not JSON, when the reply has one: sent whole, with its length; or, with
 * `errorBodyNeverEnds`, chunked and never ended (the exchange stays open until the client leaves).
 */
export function sendErrorText(response: http.ServerResponse, status: number, reply: FakeReply, headers: Record<string, string> = {}): boolean {
  if (reply.errorText === undefined) return false;
  const type = { 'content-type': reply.errorType ?? 'text/plain; charset=utf-8' };
  if (reply.errorBodyNeverEnds) {
    response.writeHead(status, { ...type, ...headers });
    response.write(reply.errorText);
    return true;
  }
  response.writeHead(status, { ...type, 'content-length': Buffer.byteLength(reply.errorText), ...headers });
  response.end(reply.errorText);
  return true;
}

export function startEventStream(response: http.ServerResponse, headers: Record<string, string> = {}): void {
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    ...headers,
  });
  // Headers go out now, as a real provider's do, so time-to-first-byte is measurable.
  response.flushHeaders();
}

/** Retry-After headers for a scripted error, when given. */
export function retryHeaders(reply: { retryAfter?: string; retryAfterMs?: string }): Record<string, string> {
  return {
    ...(reply.retryAfter !== undefined && { 'retry-after': reply.retryAfter }),
    ...(reply.retryAfterMs !== undefined && { 'retry-after-ms': reply.retryAfterMs }),
  };
}

/** The bearer token or x-api-key a request carried. */
export function presentedKey(request: LoggedRequest): string | undefined {
  const authorization = request.headers.authorization;
  if (typeof authorization === 'string' && authorization.startsWith('Bearer ')) return authorization.slice(7);
  const apiKey = request.headers['x-api-key'];
  return typeof apiKey === 'string' ? apiKey : undefined;
}
