/**
 * Runs the real chat bundle in headless Chromium, served the way the host
 * serves it (same HTML, same strict CSP), with a fake `acquireVsCodeApi` that
 * records what the page posts. Host messages are dispatched with
 * window.postMessage, which is how VS Code delivers them.
 */
import { build } from 'esbuild';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { chatPanelHtml, newNonce, type AttachmentChip, type HostToWebview } from '../../src/shared/chatProtocol';

const REPO = join(import.meta.dirname, '..', '..');

export interface OpenOptions {
  /** Let the page write and read the system clipboard. */
  clipboard?: 'granted' | 'missing';
  /** What the fake `getState()` returns, as VS Code would after a reload. */
  savedState?: unknown;
  /** 'manual': idle callbacks wait until the test runs them, with a deadline it chooses (see installManualIdle). */
  idle?: 'manual';
  /** The origin the page's policy lets it fetch from (the direct stream's server), as the host names it. */
  connectOrigin?: string;
}

export class ChatHarness {
  /** Pages opened since the last closePages. */
  private opened: ChatPage[] = [];

  private constructor(
    /** Paths the pages asked the server for, to prove nothing was fetched from model output. */
    readonly requests: string[],
    private readonly browser: Browser,
    private readonly server: Server,
    private readonly bundleDir: string,
  ) {}

  static async start(): Promise<ChatHarness> {
    const bundleDir = await mkdtemp(join(tmpdir(), 'switchboard-chat-'));
    await build({
      entryPoints: [join(REPO, 'src/webview/chat/main.ts')],
      bundle: true,
      format: 'iife',
      platform: 'browser',
      target: 'es2022',
      outfile: join(bundleDir, 'chat.js'),
      logLevel: 'error',
    });
    const [script, style] = await Promise.all([
      readFile(join(bundleDir, 'chat.js')),
      readFile(join(REPO, 'media/chat.css')),
    ]);

    const requests: string[] = [];
    const server = createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      requests.push(url.pathname);
      if (url.pathname === '/chat.js') {
        response.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
      } else if (url.pathname === '/chat.css') {
        response.writeHead(200, { 'content-type': 'text/css' }).end(style);
      } else if (url.pathname === '/panel.html') {
        const origin = `http://${request.headers.host ?? '127.0.0.1'}`;
        const options = JSON.parse(url.searchParams.get('options') ?? '{}') as OpenOptions;
        response.writeHead(200, { 'content-type': 'text/html' }).end(testPage(origin, options));
      } else if (url.pathname === '/favicon.ico') {
        response.writeHead(204).end();
      } else {
        response.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

    return new ChatHarness(requests, await launchTestChromium(), server, bundleDir);
  }

  get origin(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async open(options: OpenOptions = {}): Promise<ChatPage> {
    const context = await this.browser.newContext();
    if (options.clipboard === 'granted') {
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: this.origin });
    }
    const page = await context.newPage();
    const chat = new ChatPage(context, page);
    this.opened.push(chat);
    await page.goto(`${this.origin}/panel.html?options=${encodeURIComponent(JSON.stringify(options))}`);
    await page.locator('#composer').waitFor();
    return chat;
  }

  /**
   * A page that has had the host's init and an empty history, settled: where most tests start. With `idle: 'manual'`,
   * also idle until it asks for nothing more (its warm-up done, warmUp.ts), as a page is by the time anyone asks.
   */
  async openReady(options: OpenOptions = {}): Promise<ChatPage> {
    const chat = await this.open(options);
    await chat.fromHost(INIT, { type: 'history', messages: [], totalCostUsd: 0 });
    await chat.settle();
    if (options.idle === 'manual') await chat.drainIdle();
    return chat;
  }

  /** Closes the pages opened since the last call (closing one a test already closed does nothing). */
  async closePages(): Promise<void> {
    const pages = this.opened;
    this.opened = [];
    for (const chat of pages) await chat.close();
  }

  async close(): Promise<void> {
    await this.browser.close();
    await new Promise((resolve) => this.server.close(resolve));
    await rm(this.bundleDir, { recursive: true, force: true });
  }
}

/** Headless Chromium for the webview tests. */
export function launchTestChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.SWITCHBOARD_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** The host's page, plus the fake VS Code API in a nonce'd script ahead of the bundle. */
function testPage(origin: string, options: OpenOptions): string {
  const nonce = newNonce();
  const html = chatPanelHtml({ cspSource: origin, nonce, scriptUri: '/chat.js', styleUri: '/chat.css', ...(options.connectOrigin !== undefined && { connectOrigin: options.connectOrigin }) });
  // tsx compiles with keepNames, which wraps named inner functions in __name(); functions
  // serialised into the page (this one, and page.evaluate callbacks) need it defined there.
  return withFakeVsCodeApi(html, nonce, options);
}

/** `html` with the fake VS Code API (see fakeVsCodeApi) in a script under `nonce`, ahead of the bundle. */
export function withFakeVsCodeApi(html: string, nonce: string, options: OpenOptions = {}): string {
  const keepNamesShim = 'var __name = (fn) => fn;';
  const idle = options.idle === 'manual' ? `(${installManualIdle.toString()})();` : '';
  const fake = `<script nonce="${nonce}">${keepNamesShim}${idle}(${fakeVsCodeApi.toString()})(${JSON.stringify(options)});</script>\n`;
  const entry = html.indexOf('<script nonce=');
  return html.slice(0, entry) + fake + html.slice(entry);
}

/** Runs in the page. Mirrors VS Code: the API can be acquired once, and messages are structured-cloned. */
function fakeVsCodeApi(options: OpenOptions): void {
  const test = {
    posted: [] as unknown[],
    violations: [] as string[],
    state: options.savedState,
  };
  Object.assign(window, { __test: test });
  document.addEventListener('securitypolicyviolation', (event) => {
    test.violations.push(`${event.violatedDirective} blocked ${event.blockedURI}`);
  });
  if (options.clipboard === 'missing') Object.defineProperty(navigator, 'clipboard', { value: undefined });
  let acquired = false;
  Object.assign(window, {
    acquireVsCodeApi() {
      if (acquired) throw new Error('An instance of the VS Code API has already been acquired');
      acquired = true;
      return {
        postMessage: (message: unknown) => test.posted.push(structuredClone(message)),
        getState: () => test.state,
        setState: (state: unknown) => {
          test.state = state;
        },
      };
    },
  });
}

/** A deadline as a test describes it: what timeRemaining() returns at each call (the last value repeats). */
export interface TestDeadline {
  remaining: number[];
  didTimeout?: boolean;
}

/**
 * Runs in the page, before its scripts: the browser's requestIdleCallback
 * replaced by a queue the test runs itself, so a test decides when the page
 * is idle and how much of the idle period is left, instead of waiting on the
 * machine's timing.
 */
export function installManualIdle(): void {
  const queue: { id: number; callback: IdleRequestCallback }[] = [];
  let nextId = 1;
  const run = (deadline: TestDeadline): boolean => {
    const entry = queue.shift();
    if (!entry) return false;
    let calls = 0;
    entry.callback({
      didTimeout: deadline.didTimeout ?? false,
      timeRemaining: () => deadline.remaining[Math.min(calls++, deadline.remaining.length - 1)] ?? 0,
    });
    return true;
  };
  Object.assign(window, {
    requestIdleCallback: (callback: IdleRequestCallback) => {
      queue.push({ id: nextId, callback });
      return nextId++;
    },
    cancelIdleCallback: (id: number) => {
      const at = queue.findIndex((entry) => entry.id === id);
      if (at !== -1) queue.splice(at, 1);
    },
    __idle: {
      pending: () => queue.length,
      run,
      /** Runs callbacks (and those they request) with a whole idle period each until none is left; returns how many ran. */
      drain: () => {
        let ran = 0;
        while (ran < 10_000 && run({ remaining: [50] })) ran++;
        return ran;
      },
    },
  });
}

export interface ManualIdle {
  pending(): number;
  run(deadline: TestDeadline): boolean;
  drain(): number;
}

interface TestGlobals {
  __test: { posted: unknown[]; violations: string[]; state: unknown };
}

export type Posted = { type: string } & Record<string, unknown>;

export class ChatPage {
  /** Uncaught exceptions and console errors (Chromium reports CSP violations there too). */
  readonly errors: string[] = [];

  constructor(
    private readonly context: BrowserContext,
    readonly page: Page,
  ) {
    page.on('pageerror', (error) => this.errors.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') this.errors.push(`console: ${message.text()}`);
    });
  }

  /** Delivers messages from the "host" in order, in one task, as a burst of postMessage calls would. */
  async fromHost(...messages: (HostToWebview | unknown)[]): Promise<void> {
    await this.page.evaluate((list) => {
      for (const message of list) window.postMessage(message, '*');
    }, messages);
  }

  async posted(): Promise<Posted[]> {
    return this.page.evaluate(() => (window as unknown as TestGlobals).__test.posted as Posted[]);
  }

  async postedOfType(type: string): Promise<Posted[]> {
    return (await this.posted()).filter((message) => message.type === type);
  }

  async waitForPosted(type: string): Promise<Posted> {
    await this.page.waitForFunction(
      (wanted) => (window as unknown as TestGlobals).__test.posted.some((m) => (m as Posted).type === wanted),
      type,
    );
    const [first] = await this.postedOfType(type);
    if (!first) throw new Error(`no ${type} message`);
    return first;
  }

  async violations(): Promise<string[]> {
    return this.page.evaluate(() => (window as unknown as TestGlobals).__test.violations);
  }

  /** Resolves after the page has handled everything sent so far and painted once. */
  async settle(): Promise<void> {
    await this.page.evaluate(
      () => new Promise<void>((resolve) => setTimeout(() => requestAnimationFrame(() => setTimeout(resolve, 0)), 0)),
    );
  }

  /** start, the text in chunks of `chunkSize`, then done (unless `footer` is null). */
  async streamAnswer(id: string, text: string, options: StreamOptions = {}): Promise<void> {
    const chunkSize = options.chunkSize ?? 7;
    const chunks: HostToWebview[] = [];
    for (let offset = 0, seq = 0; offset < text.length; offset += chunkSize, seq++) {
      chunks.push({ type: 'chunk', id, seq, text: text.slice(offset, offset + chunkSize) });
    }
    await this.fromHost({
      type: 'start',
      id,
      requestedModel: 'openai:gpt-5.4',
      attachments: options.attachments ?? [],
      userText: options.userText ?? 'question',
    });
    await this.fromHost(...chunks);
    if (options.footer !== null) {
      await this.fromHost({ type: 'done', id, footer: options.footer ?? FOOTER, totalCostUsd: options.totalCostUsd ?? 0.0123 });
    }
    await this.settle();
  }

  /** With `idle: 'manual'`: idle callbacks the page is waiting for. */
  async idlePending(): Promise<number> {
    return this.page.evaluate(() => (window as unknown as { __idle: ManualIdle }).__idle.pending());
  }

  /** With `idle: 'manual'`: runs the oldest idle callback with `deadline`; false when none was waiting. */
  async runIdle(deadline: TestDeadline): Promise<boolean> {
    return this.page.evaluate((deadline) => (window as unknown as { __idle: ManualIdle }).__idle.run(deadline), deadline);
  }

  /** With `idle: 'manual'`: lets the page be idle until it asks for nothing more; returns how many callbacks ran. */
  async drainIdle(): Promise<number> {
    return this.page.evaluate(() => (window as unknown as { __idle: ManualIdle }).__idle.drain());
  }

  async close(): Promise<void> {
    await this.context.close();
  }
}

export interface StreamOptions {
  chunkSize?: number;
  userText?: string;
  attachments?: AttachmentChip[];
  /** null: leave the answer streaming. */
  footer?: Extract<HostToWebview, { type: 'done' }>['footer'] | null;
  totalCostUsd?: number;
}

export const FOOTER: Extract<HostToWebview, { type: 'done' }>['footer'] = {
  model: 'gpt-5.4',
  requestedModel: 'gpt-5.4',
  fellBack: false,
  inputTokens: 1234,
  outputTokens: 56,
  costUsd: 0.0123,
  latencyMs: 2300,
  estimated: false,
};

export const INIT: HostToWebview = {
  type: 'init',
  models: [
    { ref: 'openai:gpt-5.4', label: 'GPT-5.4 (OpenAI)' },
    { ref: 'anthropic:claude-sonnet-5', label: 'Claude Sonnet 5 (Anthropic)' },
  ],
  selectedModel: 'auto',
  hasCredentials: true,
};
