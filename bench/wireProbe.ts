/**
 * Watches the HTTP traffic to one fake server from inside the process, using
 * Node's diagnostics channels (no change to the fakes or to the SDK):
 *   server side  `http.server.request.start` (+ the request's `end`: the whole
 *                body has arrived) and `http.server.response.finish` (the
 *                last byte of the answer was handed to the socket);
 *   client side  undici's `request:create` (fetch built the request) and
 *                `request:trailers` (the client has read the last byte).
 * Client, server and bench share one process, so all times are on the same
 * `performance.now()` clock.
 *
 * It can also choose each answer from the request it answers: the request's
 * `end` listener registered here runs before the fake's own (diagnostics
 * channels publish before the `request` event), so a reply scripted at that
 * moment is the one the fake takes from its queue for this very request.
 */
import diagnostics from 'node:diagnostics_channel';
import type http from 'node:http';
import type { Socket } from 'node:net';
import type { FakeReply, FakeServer } from '../test/fakes/index';

export interface WireTimes {
  /** The request's path, e.g. `/v1/chat/completions`. */
  path?: string;
  /** undici built the request (the SDK called fetch). */
  clientCreated?: number;
  /** undici wrote the last byte of the request body to the socket: the request has left. */
  clientSent?: number;
  /** The fake has received the whole request body. */
  serverReceived?: number;
  /** The fake handed the last byte of its answer to the socket. */
  serverFinished?: number;
  /** undici has read the whole response. */
  clientReceivedAll?: number;
  /** The request came on a connection the fake had not served before. */
  newConnection?: boolean;
  /** The client closed the response before the fake finished it (an aborted request). */
  closedEarly?: boolean;
  /** The text the fake was told to answer (by `answerWith`). */
  answer?: string;
  /** `performance.timeOrigin + performance.now()` when the fake had the whole request, for clocks of other processes. */
  serverReceivedEpoch?: number;
  /** The same when the fake wrote its last byte. */
  serverFinishedEpoch?: number;
}

interface ServerStart {
  request: http.IncomingMessage;
  response: http.ServerResponse;
  socket: Socket;
}

interface UndiciRequest {
  request: { origin?: unknown };
}

export class WireProbe {
  /** One entry per request, in arrival order. */
  readonly requests: WireTimes[] = [];
  private pendingClient: Array<{ created: number; sent?: number }> = [];
  private readonly byResponse = new WeakMap<http.ServerResponse, WireTimes>();
  private readonly sockets = new WeakSet<Socket>();
  private replyFor: ((body: unknown) => FakeReply | undefined) | undefined;
  private readonly origin: string;

  constructor(private readonly fake: FakeServer) {
    this.origin = fake.url;
    diagnostics.subscribe('http.server.request.start', this.onServerStart);
    diagnostics.subscribe('http.server.response.finish', this.onServerFinish);
    diagnostics.subscribe('undici:request:create', this.onClientCreate);
    diagnostics.subscribe('undici:request:bodySent', this.onClientSent);
    diagnostics.subscribe('undici:request:trailers', this.onClientTrailers);
  }

  /** Chooses the fake's reply for each request from its parsed JSON body. */
  answerWith(replyFor: (body: unknown) => FakeReply | undefined): void {
    this.replyFor = replyFor;
  }

  /** The times of the requests seen since the last call, and forgets them. */
  take(): WireTimes[] {
    const taken = this.requests.splice(0);
    this.pendingClient = [];
    return taken;
  }

  dispose(): void {
    diagnostics.unsubscribe('http.server.request.start', this.onServerStart);
    diagnostics.unsubscribe('http.server.response.finish', this.onServerFinish);
    diagnostics.unsubscribe('undici:request:create', this.onClientCreate);
    diagnostics.unsubscribe('undici:request:bodySent', this.onClientSent);
    diagnostics.unsubscribe('undici:request:trailers', this.onClientTrailers);
  }

  private readonly onServerStart = (message: unknown): void => {
    const { request, response, socket } = message as ServerStart;
    if (socket.localPort !== this.fake.port) return;
    const times: WireTimes = {};
    const client = this.pendingClient.shift();
    if (client) {
      times.clientCreated = client.created;
      if (client.sent !== undefined) times.clientSent = client.sent;
    }
    times.path = request.url ?? '';
    times.newConnection = !this.sockets.has(socket);
    this.sockets.add(socket);
    this.requests.push(times);
    this.byResponse.set(response, times);
    response.once('close', () => {
      if (!response.writableFinished) times.closedEarly = true;
    });
    const chunks: Buffer[] = [];
    const replyFor = this.replyFor;
    if (replyFor) request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.once('end', () => {
      times.serverReceived = performance.now();
      times.serverReceivedEpoch = performance.timeOrigin + times.serverReceived;
      if (!replyFor) return;
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        body = undefined;
      }
      const reply = replyFor(body);
      if (reply?.text !== undefined) times.answer = reply.text;
      if (reply) this.fake.script(reply);
    });
  };

  private readonly onServerFinish = (message: unknown): void => {
    const times = this.byResponse.get((message as ServerStart).response);
    if (!times) return;
    times.serverFinished = performance.now();
    times.serverFinishedEpoch = performance.timeOrigin + times.serverFinished;
  };

  private readonly onClientCreate = (message: unknown): void => {
    if (String((message as UndiciRequest).request.origin) !== this.origin) return;
    this.pendingClient.push({ created: performance.now() });
  };

  private readonly onClientSent = (message: unknown): void => {
    if (String((message as UndiciRequest).request.origin) !== this.origin) return;
    const now = performance.now();
    // The body may finish sending before or after the server's request event.
    const pending = this.pendingClient.find((entry) => entry.sent === undefined);
    if (pending) pending.sent = now;
    else {
      const times = this.requests.findLast((entry) => entry.clientSent === undefined);
      if (times) times.clientSent = now;
    }
  };

  private readonly onClientTrailers = (message: unknown): void => {
    if (String((message as UndiciRequest).request.origin) !== this.origin) return;
    // Sequential runs only: the latest request without a client end is this one.
    const times = this.requests.findLast((entry) => entry.clientReceivedAll === undefined && entry.serverFinished !== undefined);
    if (times) times.clientReceivedAll = performance.now();
  };
}
