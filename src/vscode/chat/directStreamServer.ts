/**
 * The chat panel's direct stream (`switchboard.chat.directStream`): streamed
 * text goes from the extension host to the panel over a loopback HTTP response
 * instead of VS Code's postMessage relay (its batched RPC writer and the
 * compressed websocket of a web workbench). One server per extension host, on
 * 127.0.0.1 with a port the OS picks; one response per answer, at a path whose
 * token (256 random bits) is the only way in.
 *
 * Why a plain chunked response read with fetch, not server-sent events: the
 * page reads it with a ReadableStream, so what it has not read stays in TCP's
 * buffers and `write` returning false is the host's back-pressure (EventSource
 * reads as fast as the network allows and reconnects by itself, which would
 * replay text); and lines of JSON need no escaping rules of their own.
 *
 * Frames, one JSON value a line: first `{"proof":P}` (the page was given P by
 * postMessage, so a server that is not this one, on a port that is not ours,
 * cannot pass as it), then `[seq,"text"]` per chunk, last `{"end":seq}`.
 *
 * Who can read: a request must name 127.0.0.1 and this port in its Host header
 * (a DNS-rebound name is refused), come from a page (an Origin header, which
 * a browser's cross-origin fetch always sends; in a desktop window only a
 * `vscode-webview:` one, so no website can read even a token it somehow
 * learnt), and carry the token of an answer not yet read; a token is used
 * once. CORS headers go only on that answer's response. No `vscode` import:
 * tested in plain Node.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** With no page holding the port and no answer streaming, the server closes after this long. */
export const DIRECT_STREAM_IDLE_CLOSE_MS = 30_000;
/** An answer's response not fetched this long after its answer ended is dropped (its page went away). */
export const UNREAD_ANSWER_TTL_MS = 60_000;

const ANSWER_PATH = '/answer/';

function randomToken(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

export interface DirectStreamServerOptions {
  idleCloseMs?: number;
  unreadTtlMs?: number;
  /** 0 (the default): the system picks. A test names one already taken, to see a listen fail. */
  port?: number;
  /**
   * Which pages may read (the Origin header): `webview` (a desktop window, the default) only VS Code's webviews
   * (`vscode-webview://…`); `any` (a browser workbench, whose webviews are served from an http(s) origin that
   * depends on how VS Code is hosted) any page that sends an Origin, the token then being the only key.
   */
  pages?: 'webview' | 'any';
}

/** Whether a request's Origin header may read an answer (see DirectStreamServerOptions.pages). */
export function pageMayRead(origin: string | undefined, pages: 'webview' | 'any'): boolean {
  if (origin === undefined || origin === '' || origin === 'null') return false;
  return pages === 'any' || /^vscode-webview:\/\/[A-Za-z0-9.-]+$/.test(origin);
}

export class DirectStreamServer {
  private server: Server | undefined;
  private opening: Promise<number> | undefined;
  private port: number | undefined;
  private readonly answers = new Map<string, DirectAnswerStream>();
  private holders = 0;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly idleCloseMs: number;
  readonly unreadTtlMs: number;
  private readonly askedPort: number;
  private readonly pages: 'webview' | 'any';

  constructor(options: DirectStreamServerOptions = {}) {
    this.pages = options.pages ?? 'webview';
    this.idleCloseMs = options.idleCloseMs ?? DIRECT_STREAM_IDLE_CLOSE_MS;
    this.unreadTtlMs = options.unreadTtlMs ?? UNREAD_ANSWER_TTL_MS;
    this.askedPort = options.port ?? 0;
  }

  /** The port, once listening. */
  get listeningPort(): number | undefined {
    return this.port;
  }

  get origin(): string | undefined {
    return this.port === undefined ? undefined : `http://127.0.0.1:${this.port}`;
  }

  /** Listens (once; again after an idle close) and returns the port; rejects when it cannot listen. */
  open(): Promise<number> {
    this.opening ??= new Promise<number>((resolve, reject) => {
      const server = createServer((request, response) => this.serve(request, response));
      server.on('error', (error) => {
        this.opening = undefined;
        this.server = undefined;
        reject(error);
      });
      server.listen({ host: '127.0.0.1', port: this.askedPort, exclusive: true }, () => {
        this.server = server;
        this.port = (server.address() as AddressInfo).port;
        resolve(this.port);
      });
    });
    return this.opening;
  }

  /** A page whose policy names this port: the server stays open until the returned release is called. */
  hold(): () => void {
    this.holders++;
    this.cancelIdle();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holders--;
      this.scheduleIdle();
    };
  }

  /** A stream for one answer, while listening; its `url` and `proof` go to the page in the answer's `start`. */
  offer(): DirectAnswerStream | undefined {
    if (this.port === undefined) return undefined;
    const token = randomToken(32);
    const stream = new DirectAnswerStream(`${this.origin}${ANSWER_PATH}${token}`, randomToken(16), () => {
      this.answers.delete(token);
      this.scheduleIdle();
    }, this.unreadTtlMs);
    this.answers.set(token, stream);
    this.cancelIdle();
    return stream;
  }

  /** Answers whose response is not finished (tests, and the idle rule). */
  get openAnswers(): number {
    return this.answers.size;
  }

  async close(): Promise<void> {
    this.cancelIdle();
    for (const stream of [...this.answers.values()]) stream.abandon();
    const server = this.server;
    this.server = undefined;
    this.opening = undefined;
    this.port = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private scheduleIdle(): void {
    if (this.holders > 0 || this.answers.size > 0 || !this.server || this.idleTimer) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      if (this.holders === 0 && this.answers.size === 0) void this.close();
    }, this.idleCloseMs);
    this.idleTimer.unref?.();
  }

  private cancelIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  private serve(request: IncomingMessage, response: ServerResponse): void {
    // DNS rebinding: a page of another site that made its name resolve to 127.0.0.1 still sends its own name.
    if (request.headers.host !== `127.0.0.1:${this.port}`) return void response.writeHead(421).end();
    const path = request.url ?? '';
    const token = path.startsWith(ANSWER_PATH) ? path.slice(ANSWER_PATH.length) : '';
    const stream = token ? this.answers.get(token) : undefined;
    if (!stream || stream.isRead) return void response.writeHead(404).end();
    const origin = request.headers.origin;
    // Not a page allowed to read (no Origin: not a browser's fetch; in a desktop window, a website): the token stays unread.
    if (origin === undefined || !pageMayRead(origin, this.pages)) return void response.writeHead(403).end();
    const cors = { 'access-control-allow-origin': origin, vary: 'origin' };
    if (request.method === 'OPTIONS') {
      // Chromium's Private Network Access preflight, for a page it counts as less private than loopback.
      const privateNetwork = request.headers['access-control-request-private-network'] === 'true' ? { 'access-control-allow-private-network': 'true' } : {};
      return void response.writeHead(204, { ...cors, ...privateNetwork, 'access-control-allow-methods': 'GET' }).end();
    }
    if (request.method !== 'GET') return void response.writeHead(405).end();
    response.socket?.setNoDelay(true);
    response.writeHead(200, { ...cors, 'content-type': 'application/x-ndjson; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
    stream.attach(response);
  }
}

/**
 * One answer's response: chunks written as they come; while the socket's buffer is full (`write` returned
 * false: the page is not reading) or the page has not connected yet, they gather into one pending write.
 */
export class DirectAnswerStream {
  private response: ServerResponse | undefined;
  private pending = '';
  private congested = false;
  private ended: number | undefined;
  private done = false;
  private ttl: ReturnType<typeof setTimeout> | undefined;
  /** The last chunk handed to the socket. */
  writtenSeq = -1;
  /** Characters of chunk text handed to the socket. */
  writtenChars = 0;
  private pendingSeq = -1;
  private pendingChars = 0;
  /** Called when the response closed before its end was written (the page went away or cancelled). */
  onBroken: (() => void) | undefined;
  /** Called when chunks up to `seq` were handed to the socket (the benchmark's post times). */
  onWritten: ((seq: number) => void) | undefined;

  constructor(
    readonly url: string,
    readonly proof: string,
    private readonly finished: () => void,
    private readonly unreadTtlMs = UNREAD_ANSWER_TTL_MS,
  ) {}

  get isRead(): boolean {
    return this.response !== undefined || this.done;
  }

  /** Chunk text waiting for the socket (back-pressure) or for the page to connect. */
  get pendingLength(): number {
    return this.pending.length;
  }

  write(seq: number, text: string): void {
    if (this.done) return;
    this.pending += `${JSON.stringify([seq, text])}\n`;
    this.pendingSeq = seq;
    this.pendingChars += text.length;
    this.pump();
  }

  /** No more chunks: `{"end":lastSeq}` follows what is pending, then the response ends. */
  end(lastSeq: number): void {
    if (this.done || this.ended !== undefined) return;
    this.ended = lastSeq;
    this.pump();
    // Never fetched (the page failed to, or went away): not kept for good.
    if (!this.response && !this.done) {
      this.ttl = setTimeout(() => this.abandon(), this.unreadTtlMs);
      this.ttl.unref?.();
    }
  }

  /** Stops at once (the page said it reads no more, or the server closes): nothing more is written. */
  abandon(): void {
    if (this.done) return;
    this.finish();
    this.response?.destroy();
  }

  attach(response: ServerResponse): void {
    this.response = response;
    if (this.ttl) clearTimeout(this.ttl);
    response.on('drain', () => {
      this.congested = false;
      this.pump();
    });
    response.on('close', () => {
      if (this.done) return;
      this.finish();
      this.onBroken?.();
    });
    this.congested = !response.write(`${JSON.stringify({ proof: this.proof })}\n`);
    this.pump();
  }

  private pump(): void {
    const response = this.response;
    if (!response || this.congested || this.done) return;
    if (this.pending) {
      const text = this.pending;
      this.pending = '';
      this.writtenSeq = this.pendingSeq;
      this.writtenChars += this.pendingChars;
      this.pendingChars = 0;
      this.congested = !response.write(text);
      this.onWritten?.(this.writtenSeq);
    }
    if (this.ended !== undefined && !this.pending && !this.congested) {
      this.finish();
      response.end(`${JSON.stringify({ end: this.ended })}\n`);
    }
  }

  private finish(): void {
    this.done = true;
    if (this.ttl) clearTimeout(this.ttl);
    this.finished();
  }
}
