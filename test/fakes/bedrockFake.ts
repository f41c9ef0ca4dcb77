/**
 * A fake Bedrock runtime: HTTP/2 over cleartext (h2c, prior knowledge), which
 * is what the AWS SDK's HTTP/2 handler speaks to an http:// endpoint, and on
 * the same port HTTP/1.1, which its HTTP/1.1 handler speaks (Bedrock through a
 * proxy, core/providers/bedrockProxy.ts): each connection's first bytes say
 * which (HTTP/2's preface begins `PRI `). Serves
 * POST /model/{modelId}/converse-stream as an AWS event stream (binary frames
 * with CRCs) and /model/{modelId}/converse as JSON. Signatures are not checked;
 * only the access key id, when `accessKeyId` is set.
 */
import http from 'node:http';
import http2 from 'node:http2';
import https from 'node:https';
import net from 'node:net';
import { Duplex } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { EventStreamCodec, type MessageHeaders } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import type { Usage } from '../../src/core/types';
import {
  FakeState,
  defaultAnswer,
  type Connection,
  planAnswer,
  type AnswerWriter,
  type FakeReply,
  type FakeServer,
  type FakeServerOptions,
  type LoggedRequest,
  overContextWindow,
} from './fakeServer';
import { httpResponseSink, retryHeaders } from './httpFake';
import { LoopbackServer, playFaultBeforeAnswer, type RequestHead, type ResponseSink } from './loopbackServer';

export interface FakeBedrockOptions extends FakeServerOptions {
  /** When set, requests signed with another access key id get 403 UnrecognizedClientException. */
  accessKeyId?: string;
  /** Serves https (HTTP/1.1 only) with this key and certificate: Bedrock's real endpoint, as reached through a proxy. */
  tls?: { key: string; cert: string };
}

/** HTTP status the real service uses for each exception. */
const STATUS_BY_EXCEPTION: Readonly<Record<string, number>> = {
  AccessDeniedException: 403,
  UnrecognizedClientException: 403,
  ExpiredTokenException: 403,
  ValidationException: 400,
  ResourceNotFoundException: 404,
  ThrottlingException: 429,
  ModelNotReadyException: 429,
  ModelTimeoutException: 408,
  ModelErrorException: 424,
  ServiceQuotaExceededException: 400,
  InternalServerException: 500,
  ServiceUnavailableException: 503,
};

const EXCEPTION_BY_STATUS: Readonly<Record<number, string>> = {
  400: 'ValidationException',
  401: 'UnrecognizedClientException',
  403: 'AccessDeniedException',
  404: 'ResourceNotFoundException',
  408: 'ModelTimeoutException',
  424: 'ModelErrorException',
  429: 'ThrottlingException',
  500: 'InternalServerException',
  503: 'ServiceUnavailableException',
};

const codec = new EventStreamCodec(toUtf8, fromUtf8);
/** The real service pads events with a random-length `p` field; the SDK must ignore it. */
const PADDING = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJ';

/** The fake Bedrock's HTTP/2 sessions (one a TCP connection), to count them and play what a server does to them. */
export interface FakeHttp2Sessions {
  /** Sessions (connections) opened so far. */
  readonly opened: number;
  /** PING frames received, on any session (a client checking a kept session is still there). */
  readonly pings: number;
  /** Streams refused so far by refuseOnReusedSession. */
  readonly refused: number;
  /** Refuses the next `count` requests that arrive on a session which carried one before (RST_STREAM REFUSED_STREAM), unread. */
  refuseOnReusedSession(count: number): void;
  /** Closes every open session as a server does an idle one (GOAWAY, then the connection), resolving once they are closed. */
  closeAll(): Promise<void>;
  /**
   * Sends GOAWAY (no error, naming the last stream it took) on every open session and leaves the connection to the
   * client, resolving once the client has closed each one: a client closes a session on reading a GOAWAY, so by then it
   * has seen it (closeAll's close on the server's side says nothing about what the client has read).
   */
  goAwayAll(): Promise<void>;
}

export type FakeBedrock = FakeServer & { readonly http2: FakeHttp2Sessions };

export async function startFakeBedrock(options: FakeBedrockOptions = {}): Promise<FakeBedrock> {
  const state = new FakeState(options.defaults, options.replyFor, options.answerer);
  const loopback = new LoopbackServer(state);
  const receive = (body: NodeJS.ReadableStream, head: RequestHead, response: ResponseSink) =>
    loopback.receive(body, head, response, (request, connection) => handle(request, { response, connection }));
  const h2 = http2.createServer();
  const sessions = new Set<http2.ServerHttp2Session>();
  const streamsBySession = new WeakMap<http2.Http2Session, number>();
  const lastStreamIds = new WeakMap<http2.Http2Session, number>();
  let toRefuse = 0;
  const http2Sessions = {
    opened: 0,
    pings: 0,
    refused: 0,
    refuseOnReusedSession: (count: number) => void (toRefuse = count),
    closeAll: async () => {
      await Promise.all([...sessions].map((session) => new Promise<void>((closed) => (session.closed ? closed() : session.close(closed)))));
    },
    goAwayAll: async () => {
      await Promise.all(
        [...sessions].map(
          (session) =>
            new Promise<void>((closed) => {
              if (session.closed || session.destroyed) return closed();
              session.once('close', closed);
              session.goaway(http2.constants.NGHTTP2_NO_ERROR, lastStreamIds.get(session) ?? 0);
            }),
        ),
      );
    },
  };
  h2.on('session', (session) => {
    http2Sessions.opened++;
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
    session.on('error', () => undefined);
    session.on('ping', () => http2Sessions.pings++);
  });
  h2.on('stream', (stream, headers) => {
    // A reset stream (client abort, or a scripted cut) reports an error here; it is expected.
    stream.on('error', () => {});
    const carried = streamsBySession.get(stream.session!) ?? 0;
    if (stream.id !== undefined) lastStreamIds.set(stream.session!, stream.id);
    streamsBySession.set(stream.session!, carried + 1);
    if (carried > 0 && toRefuse > 0) {
      toRefuse--;
      http2Sessions.refused++;
      stream.close(http2.constants.NGHTTP2_REFUSED_STREAM);
      return;
    }
    receive(stream, { method: String(headers[':method']), path: String(headers[':path']), headers, httpVersion: '2.0' }, h2Response(stream));
  });
  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (loopback.droppedOnReuse(req.socket)) return;
    receive(req, { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, httpVersion: req.httpVersion }, httpResponseSink(res));
  };
  const h1 = http.createServer(onRequest);
  const secure = options.tls ? https.createServer(options.tls, onRequest) : undefined;
  // One port for both: a connection's first bytes are HTTP/2's preface or an HTTP/1.1 request line.
  const server = secure ?? net.createServer((socket) => {
    socket.on('error', () => socket.destroy());
    socket.once('data', (first: Buffer) => {
      socket.pause();
      if (first.subarray(0, 4).toString('latin1') === 'PRI ') {
        // HTTP/2 reads a socket's handle directly, past bytes given back to it: it is handed a stream that replays them.
        h2.emit('connection', replaying(socket, first));
        return;
      }
      socket.unshift(first);
      h1.emit('connection', socket);
      socket.resume();
    });
  });

  async function handle(request: LoggedRequest, exchange: Exchange): Promise<void> {
    const { connection } = exchange;
    const route = /^\/model\/([^/]+)\/(converse-stream|converse)$/.exec(request.path.split('?')[0] ?? '');
    if (options.accessKeyId !== undefined && signedAccessKey(request) !== options.accessKeyId) {
      return sendException(exchange, {
        errorCode: 'UnrecognizedClientException',
        errorMessage: 'The security token included in the request is invalid.',
      });
    }
    if (request.method !== 'POST' || !route?.[1]) {
      return sendException(exchange, { errorCode: 'ResourceNotFoundException', errorMessage: 'Unknown operation' });
    }
    const model = decodeURIComponent(route[1]);
    const reply = state.nextReply(model, request);
    if (overContextWindow(reply, request.body)) return sendException(exchange, { errorCode: 'ValidationException', errorMessage: 'Input is too long for requested model.' });
    // An exception name alone asks for an error answer, unless it names the in-stream error.
    const isError = (scripted: FakeReply) => Boolean(scripted.status || (scripted.errorCode && scripted.streamErrorAfterChunks === undefined));
    if (await playFaultBeforeAnswer(connection, reply, exchange.response, (scripted) => sendException(exchange, scripted), isError)) return;

    const streamed = route[2] === 'converse-stream';
    const plan = planAnswer(model, reply, request.body, (prompt) => defaultAnswer(model, prompt), streamed);
    if (!streamed) {
      state.billWhole(plan);
      return sendWhole(exchange, plan.text, plan.usage, reply);
    }
    await state.stream(plan, connection, eventStreamWriter(exchange, plan.usage, reply, plan.thinking.length));
  }

  const listening = await loopback.listen(server, secure ? 'https' : 'http');
  return Object.assign(listening, { http2: http2Sessions });
}

/** `socket` as a stream that first gives `first`, the bytes already read from it. */
function replaying(socket: net.Socket, first: Buffer): Duplex {
  const replay = new Duplex({
    read: () => void socket.resume(),
    write: (chunk: Buffer, _encoding, written) => void socket.write(chunk, written),
    final: (ended) => void socket.end(ended),
    destroy: (error, destroyed) => {
      socket.destroy();
      destroyed(error);
    },
  });
  replay.push(first);
  socket.on('data', (chunk: Buffer) => {
    if (!replay.push(chunk)) socket.pause();
  });
  socket.on('end', () => replay.push(null));
  socket.on('close', () => replay.destroy());
  return replay;
}

function h2Response(stream: http2.ServerHttp2Stream): ResponseSink {
  let endedByFake = false;
  const reset = () => {
    endedByFake = true;
    stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
  };
  return {
    get headersSent() {
      return stream.headersSent;
    },
    get destroyed() {
      return stream.destroyed;
    },
    respond: (status, headers) => stream.respond({ ':status': status, ...headers }),
    write: (bytes, written) => void stream.write(bytes, written),
    end: (bytes) => {
      endedByFake = true;
      stream.end(bytes);
    },
    cut: () => {
      endedByFake = true;
      // A reset discards what is still queued: it waits until the pieces already written are out.
      stream.write(new Uint8Array(0), reset);
    },
    reset,
    endedByFake: () => endedByFake,
    onClose: (listener) => void stream.on('close', listener),
    onFinish: (listener) => void stream.on('finish', listener),
  };
}

interface Exchange {
  response: ResponseSink;
  connection: Connection;
}

/** The access key id from a SigV4 Authorization header. */
function signedAccessKey(request: LoggedRequest): string | undefined {
  const authorization = request.headers.authorization;
  if (typeof authorization !== 'string') return undefined;
  return /Credential=([^/,\s]+)\//.exec(authorization)?.[1];
}

/** An error as the AWS REST-JSON protocol sends it: status, x-amzn-errortype, JSON message. */
function sendException(exchange: Exchange, reply: FakeReply): void {
  const name = reply.errorCode ?? EXCEPTION_BY_STATUS[reply.status ?? 500] ?? 'InternalServerException';
  const status = reply.status ?? STATUS_BY_EXCEPTION[name] ?? 500;
  if (reply.errorText !== undefined) {
    // Not AWS's own: a page from what stands in front of it (a proxy, a gateway), or a stack dump, maybe never ending.
    exchange.response.respond(status, {
      'content-type': reply.errorType ?? 'text/plain; charset=utf-8',
      ...(!reply.errorBodyNeverEnds && { 'content-length': String(Buffer.byteLength(reply.errorText)) }),
      ...retryHeaders(reply),
    });
    if (reply.errorBodyNeverEnds) exchange.response.write(typeof reply.errorText === 'string' ? Buffer.from(reply.errorText) : reply.errorText);
    else exchange.response.end(typeof reply.errorText === 'string' ? reply.errorText : Buffer.from(reply.errorText));
    return;
  }
  const body = JSON.stringify({ message: reply.errorMessage ?? `Simulated ${name}` });
  exchange.response.respond(status, {
    'content-type': 'application/json',
    'x-amzn-requestid': randomUUID(),
    'x-amzn-errortype': `${name}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
    ...(reply.serverDate && { date: reply.serverDate.toUTCString() }),
    ...retryHeaders(reply),
  });
  exchange.response.end(body);
}

function wireUsage(usage: Usage) {
  return {
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    totalTokens: usage.inputTokens + usage.outputTokens + usage.cacheReadTokens + usage.cacheWriteTokens,
    ...(usage.cacheReadTokens > 0 && { cacheReadInputTokens: usage.cacheReadTokens }),
    ...(usage.cacheWriteTokens > 0 && { cacheWriteInputTokens: usage.cacheWriteTokens }),
  };
}

function sendWhole(exchange: Exchange, answer: string, usage: Usage, reply: FakeReply): void {
  exchange.response.respond(200, { 'content-type': 'application/json', 'x-amzn-requestid': randomUUID() });
  exchange.response.end(
    JSON.stringify({
      output: { message: { role: 'assistant', content: [{ text: answer }] } },
      stopReason: 'end_turn',
      usage: wireUsage(usage),
      metrics: { latencyMs: 1 },
      ...(reply.invokedModelId && { trace: { promptRouter: { invokedModelId: reply.invokedModelId } } }),
    }),
  );
}

function frame(kind: 'event' | 'exception', type: string, payload: Record<string, unknown>): Uint8Array {
  const headers: MessageHeaders = {
    ':message-type': { type: 'string', value: kind },
    [kind === 'event' ? ':event-type' : ':exception-type']: { type: 'string', value: type },
    ':content-type': { type: 'string', value: 'application/json' },
  };
  return codec.encode({ headers, body: fromUtf8(JSON.stringify(payload)) });
}

/** The first `reasoningPieces` pieces are reasoning (reply.reasoning): block 0, the answer's text then block 1. */
function eventStreamWriter(exchange: Exchange, usage: Usage, reply: FakeReply, reasoningPieces = 0): AnswerWriter {
  const stream = exchange.response;
  const started = Date.now();
  let padding = 0;
  const pad = () => PADDING.slice(0, 1 + (padding++ % PADDING.length));
  const send = (type: string, payload: Record<string, unknown>) => stream.write(frame('event', type, { ...payload, p: pad() }));
  return {
    headers() {
      stream.respond(200, {
        'content-type': 'application/vnd.amazon.eventstream',
        'x-amzn-requestid': randomUUID(),
      });
    },
    openers() {
      send('messageStart', { role: 'assistant' });
    },
    text(piece, index) {
      if (index < reasoningPieces) {
        const kind = reply.reasoning?.bedrock;
        // A blob member goes over the event stream's JSON as base64; the SDK hands it over as bytes.
        const reasoningContent = kind === 'redacted' ? { redactedContent: Buffer.from(piece, 'utf8').toString('base64') } : { text: piece };
        send('contentBlockDelta', { contentBlockIndex: 0, delta: { reasoningContent } });
        if (kind === 'signed' && index === reasoningPieces - 1) {
          send('contentBlockDelta', { contentBlockIndex: 0, delta: { reasoningContent: { signature: 'EqQBCkgIARABGAIiQFakeSignatureOfTheThinkingBlock' } } });
          send('contentBlockStop', { contentBlockIndex: 0 });
        }
        return;
      }
      send('contentBlockDelta', { contentBlockIndex: reasoningPieces > 0 ? 1 : 0, delta: { text: piece } });
    },
    halfText(piece, index) {
      const delta = index < reasoningPieces ? { reasoningContent: { text: piece } } : { text: piece };
      const whole = frame('event', 'contentBlockDelta', { contentBlockIndex: index < reasoningPieces || reasoningPieces === 0 ? 0 : 1, delta, p: pad() });
      stream.write(whole.subarray(0, Math.floor(whole.length / 2)));
    },
    malformed() {
      const corrupt = frame('event', 'contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'corrupt' } });
      // Flip one payload byte so the frame's CRC no longer matches.
      const index = corrupt.length - 8;
      corrupt[index] = (corrupt[index] ?? 0) ^ 0xff;
      stream.end(corrupt);
    },
    streamError() {
      const name = reply.errorCode ?? 'ModelStreamErrorException';
      const member = name.charAt(0).toLowerCase() + name.slice(1);
      stream.end(frame('exception', member, { message: reply.errorMessage ?? `Simulated ${name}` }));
    },
    finish() {
      send('contentBlockStop', { contentBlockIndex: 0 });
      send('messageStop', { stopReason: reply.stopAtMaxTokens ? 'max_tokens' : 'end_turn' });
      const trace = reply.invokedModelId ? { trace: { promptRouter: { invokedModelId: reply.invokedModelId } } } : {};
      stream.end(
        frame('event', 'metadata', { usage: wireUsage(usage), metrics: { latencyMs: Date.now() - started }, ...trace, p: pad() }),
      );
    },
    end() {
      stream.end();
    },
    cut() {
      stream.cut();
    },
  };
}
