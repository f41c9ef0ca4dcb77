/** HTTP/1.1 plumbing for the SSE fakes (OpenAI, Anthropic). */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Connection, type FakeReply, type FakeState, parseJson, type FakeServer, type LoggedRequest } from './fakeServer';

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
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request: LoggedRequest = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: req.headers,
        body: parseJson(Buffer.concat(chunks).toString('utf8')),
        receivedAt: performance.now(),
      };
      const connection = new Connection();
      res.on('close', () => {
        if (!res.writableFinished && !cutByServer.has(res)) state.noteClosedEarly();
        request.respondedAt ??= performance.now();
        connection.close();
      });
      res.on('finish', () => (request.respondedAt = performance.now()));
      state.record(request);
      handle({ request, response: res, connection }).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`fake server error: ${String(error)}`);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return fakeServerHandle(state, port, async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
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
  await connection.wait(reply.firstByteDelayMs);
  if (connection.closed) return true;
  if (reply.stall) {
    await connection.untilClosed();
    return true;
  }
  if (reply.resetBeforeResponse) {
    resetConnection(response);
    return true;
  }
  if (reply.status) {
    sendError(response, reply);
    return true;
  }
  return false;
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

/** A scripted error body that is not JSON, when the reply has one: sent whole, with its length. */
export function sendErrorText(response: http.ServerResponse, status: number, reply: FakeReply, headers: Record<string, string> = {}): boolean {
  if (reply.errorText === undefined) return false;
  response.writeHead(status, { 'content-type': reply.errorType ?? 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(reply.errorText), ...headers });
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

export function fakeServerHandle(state: FakeState, port: number, close: () => Promise<void>, scheme: 'http' | 'https' = 'http'): FakeServer {
  return {
    url: `${scheme}://127.0.0.1:${port}`,
    port,
    get requests() {
      return state.requests;
    },
    get closedEarly() {
      return state.closedEarly;
    },
    get bills() {
      return state.bills;
    },
    script: (...replies) => state.script(replies),
    scriptModel: (model, reply) => state.scriptModel(model, reply),
    waitForClosedEarly: (count) => state.waitForClosedEarly(count),
    waitForRequests: (count) => state.waitForRequests(count),
    reset: () => state.reset(),
    close,
  };
}

/** The bearer token or x-api-key a request carried. */
export function presentedKey(request: LoggedRequest): string | undefined {
  const authorization = request.headers.authorization;
  if (typeof authorization === 'string' && authorization.startsWith('Bearer ')) return authorization.slice(7);
  const apiKey = request.headers['x-api-key'];
  return typeof apiKey === 'string' ? apiKey : undefined;
}
