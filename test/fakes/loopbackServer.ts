/**
 * The server side every fake shares, whatever its protocol: it listens on a
 * free port of 127.0.0.1, reads each request whole, logs it, tracks whether
 * its client is still there, plays the faults that come before an answer,
 * answers a handler that throws with a 500, and closes without racing a
 * write: handlers stop first, answers already written go out whole, and only
 * then are connections dropped.
 */
import type net from 'node:net';
import { Connection, parseJson, type FakeReply, type FakeServer, type FakeState, type LoggedRequest } from './fakeServer';

/** One response, on either protocol (an HTTP/1.1 response or an HTTP/2 stream): what the fakes write to. */
export interface ResponseSink {
  readonly headersSent: boolean;
  readonly destroyed: boolean;
  respond(status: number, headers: Record<string, string>): void;
  write(bytes: Uint8Array, written?: () => void): void;
  end(bytes?: Uint8Array | string): void;
  /** Drops the exchange unfinished once what was written (headers too) is out: HTTP/2 resets the stream, HTTP/1.1 ends the connection. */
  cut(): void;
  /** Drops it at once, before or instead of the rest of the response. */
  reset(): void;
  /** True once the fake has ended, cut or reset it: its close is then not the client leaving. */
  endedByFake(): boolean;
  /** The exchange is over: finished, cut, or the client left. */
  onClose(listener: () => void): void;
  /** The last byte is out. */
  onFinish(listener: () => void): void;
}

/** What a request says before its body. */
export type RequestHead = Pick<LoggedRequest, 'method' | 'path' | 'headers' | 'httpVersion'>;

/** One exchange between its request's arrival and its response's close. */
interface InFlight {
  readonly connection: Connection;
  readonly response: ResponseSink;
  /** Settles once the handler has returned (or failed and been answered): it writes nothing after. */
  readonly handled: Promise<void>;
  readonly closed: Promise<void>;
}

export class LoopbackServer {
  private readonly inFlight = new Set<InFlight>();
  private readonly sockets = new Set<net.Socket>();
  /** Requests each HTTP/1.1 connection has carried. */
  private readonly carried = new WeakMap<net.Socket, number>();
  private closing = false;

  constructor(private readonly state: FakeState) {}

  /**
   * Counts a request arriving on an HTTP/1.1 connection, and drops that connection unread when it carried one before
   * and a dropOnReuse is scripted. True when it was dropped.
   */
  droppedOnReuse(socket: net.Socket): boolean {
    const before = this.carried.get(socket) ?? 0;
    this.carried.set(socket, before + 1);
    const how = before > 0 ? this.state.takeDropOnReuse() : undefined;
    if (!how) return false;
    if (how === 'reset') socket.resetAndDestroy();
    else socket.destroy();
    return true;
  }

  /** Reads a request's body whole, logs it, and hands it to `handle`, keeping it until its response has closed. */
  receive(
    body: NodeJS.ReadableStream,
    head: RequestHead,
    response: ResponseSink,
    handle: (request: LoggedRequest, connection: Connection) => Promise<void>,
  ): void {
    const chunks: Buffer[] = [];
    body.on('data', (chunk: Buffer) => chunks.push(chunk));
    body.on('end', () => {
      // A request that arrives while the server closes (on a kept-alive connection) finds it gone.
      if (this.closing) return response.reset();
      const request: LoggedRequest = { ...head, body: parseJson(Buffer.concat(chunks).toString('utf8')), receivedAt: performance.now() };
      const connection = new Connection();
      const closed = new Promise<void>((resolve) =>
        response.onClose(() => {
          if (!response.endedByFake() && !this.closing) this.state.noteClosedEarly();
          request.respondedAt ??= performance.now();
          connection.close();
          resolve();
        }),
      );
      response.onFinish(() => (request.respondedAt = performance.now()));
      this.state.record(request);
      const handled = handle(request, connection).catch((error: unknown) => {
        if (response.destroyed) return;
        if (!response.headersSent) response.respond(500, { 'content-type': 'text/plain' });
        response.end(`fake server error: ${String(error)}`);
      });
      const exchange: InFlight = { connection, response, handled, closed };
      this.inFlight.add(exchange);
      void Promise.all([handled, closed]).then(() => this.inFlight.delete(exchange));
    });
  }

  /** Listens on a free port of 127.0.0.1 and returns the handle tests use; its close is `close` below. */
  async listen(server: net.Server, scheme: 'http' | 'https' = 'http'): Promise<FakeServer> {
    server.on('connection', (socket: net.Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    const port = await listenOnLoopback(server);
    return fakeServerHandle(this.state, port, () => this.close(server), scheme);
  }

  /**
   * Refuses new requests, ends every exchange's waits (delays, stalls,
   * pauses) as its client leaving would, waits for the handlers to return,
   * lets what they ended go out whole, drops what they left unfinished, and
   * only then stops listening and drops the remaining (idle) connections.
   * Destroying sockets first would cut answers already written and leave
   * handlers writing to closed connections. (An HTTP server's own close comes
   * last too: it drops as idle every connection whose request has arrived,
   * answered or not.)
   */
  private async close(server: net.Server): Promise<void> {
    this.closing = true;
    const exchanges = [...this.inFlight];
    for (const exchange of exchanges) exchange.connection.close();
    await Promise.all(exchanges.map((exchange) => exchange.handled));
    for (const exchange of exchanges) {
      if (!exchange.response.endedByFake()) exchange.response.reset();
    }
    await Promise.all(exchanges.map((exchange) => exchange.closed));
    const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await stopped;
  }
}

/** Listens on a free port of 127.0.0.1 (never another interface) and returns the port. */
export async function listenOnLoopback(server: net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as net.AddressInfo).port;
}

/**
 * Plays what a reply does before any answer: the wait for the first byte, a
 * stall until the client leaves, a reset, or an error answer (`isError`, by
 * default a scripted status; sent by `sendError` in the provider's own shape).
 * True when the exchange ends there.
 */
export async function playFaultBeforeAnswer(
  connection: Connection,
  reply: FakeReply,
  response: Pick<ResponseSink, 'reset'>,
  sendError: (reply: FakeReply) => void,
  isError: (reply: FakeReply) => boolean = (scripted) => Boolean(scripted.status),
): Promise<boolean> {
  await connection.wait(reply.firstByteDelayMs);
  if (connection.closed) return true;
  if (reply.stall) {
    await connection.untilClosed();
    return true;
  }
  if (reply.resetBeforeResponse) {
    response.reset();
    return true;
  }
  if (isError(reply)) {
    sendError(reply);
    return true;
  }
  return false;
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
    get droppedOnReuse() {
      return state.droppedOnReuse;
    },
    dropOnReuse: (count, how = 'close') => state.dropOnReuse(count, how),
    script: (...replies) => state.script(replies),
    scriptModel: (model, reply) => state.scriptModel(model, reply),
    waitForClosedEarly: (count) => state.waitForClosedEarly(count),
    waitForRequests: (count) => state.waitForRequests(count),
    reset: () => state.reset(),
    close,
  };
}
