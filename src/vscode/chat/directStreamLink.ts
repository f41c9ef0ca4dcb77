/**
 * Ties the chat page to the direct stream's server (directStreamServer.ts) for
 * `switchboard.chat.directStream`: a page's policy must name the server's port
 * when the page loads (a CSP cannot be widened later), so the server opens
 * when a page is built with the setting on, not at activation, and an answer
 * goes direct only while the server listens on the port its page names. The
 * page holds the port open; with no page and no answer it closes after an idle spell.
 *
 * Where: a local window, or a browser workbench (`code serve-web`), whose
 * page's 127.0.0.1 is this extension host's when browser and server share a
 * machine; elsewhere (a remote window's desktop, another machine's browser) the
 * fetch fails or meets a server that cannot give the answer's proof, and the
 * answer goes by postMessage. A desktop remote window (SSH, containers, WSL)
 * never tries: its page's loopback is the desktop's, not this host's.
 */
import type { DirectAnswerStream, DirectStreamServer } from './directStreamServer';

export interface DirectStreamWindow {
  /** `vscode.env.remoteName` */
  remoteName: string | undefined;
  /** `vscode.env.uiKind === UIKind.Web` */
  web: boolean;
}

/** Whether this window's page can reach the extension host's loopback (see above). */
export function directStreamReachable(window: DirectStreamWindow): boolean {
  return window.remoteName === undefined || window.web;
}

export class DirectStreamLink {
  /**
   * The page being built or shown (the view it belongs to): only its going away releases the port. A window can have
   * two chat views for a while (the panel moved, or an old one disposed after a newer one resolved); the old one's
   * disposal must not take the current page's stream from it.
   */
  private page: object | undefined;
  /** The origin the current page's policy names; undefined: the page may fetch nothing. */
  private pageOrigin: string | undefined;
  private release: (() => void) | undefined;
  private readonly logged = new Set<string>();
  /** The server could not listen: pages are built without a port until the window reloads (no rebuild on every settings change). */
  private cannotListen = false;

  constructor(
    private readonly server: DirectStreamServer,
    private readonly log: { info(message: string): void; warn(message: string): void },
    /** The setting, read when a page is built and at each answer. */
    private readonly enabled: () => boolean,
    private readonly window: DirectStreamWindow,
  ) {}

  /**
   * For a page about to be built in `page` (its view): the origin its policy may name (the server listening), or
   * undefined. It replaces the page before it.
   */
  async originForNewPage(page: object): Promise<string | undefined> {
    this.releasePage();
    this.page = page;
    if (!this.enabled() || !directStreamReachable(this.window) || this.cannotListen) return undefined;
    try {
      await this.server.open();
    } catch (error) {
      this.cannotListen = true;
      this.warnOnce('listen', `chat: the direct stream (switchboard.chat.directStream) could not listen on 127.0.0.1, so answers stream through VS Code: ${String(error)}`);
      return undefined;
    }
    // Gone, or replaced, while the server opened: it holds nothing.
    if (this.page !== page) return undefined;
    this.release = this.server.hold();
    this.pageOrigin = this.server.origin;
    return this.pageOrigin;
  }

  /** The view `page` went away: its page's hold ends, if it is the current page (another view's leaves it alone). */
  pageGone(page: object): void {
    if (page !== this.page) return;
    this.releasePage();
    this.page = undefined;
  }

  private releasePage(): void {
    this.release?.();
    this.release = undefined;
    this.pageOrigin = undefined;
  }

  /** Whether the page should be rebuilt to follow the setting (turned on with no port in its policy, or off with one). */
  get pageOutdated(): boolean {
    const wanted = this.enabled() && directStreamReachable(this.window) && !this.cannotListen;
    return wanted !== (this.pageOrigin !== undefined);
  }

  /** A direct stream for the next answer, when the page's policy names the server's port and it listens. */
  offer(): DirectAnswerStream | undefined {
    if (!this.enabled() || this.pageOrigin === undefined || this.pageOrigin !== this.server.origin) return undefined;
    return this.server.offer();
  }

  /** An answer's direct stream failed: said once per kind of failure, so a page that cannot fetch does not fill the log. */
  failed(reason: string): void {
    const clean = reason.replace(/[^\x20-\x7e]/g, '?').slice(0, 200);
    this.warnOnce(clean, `chat: the direct stream failed (${clean}); the answer continued through VS Code with nothing lost. Turn switchboard.chat.directStream off if this repeats.`);
  }

  private warnOnce(key: string, message: string): void {
    if (this.logged.has(key)) return;
    this.logged.add(key);
    this.log.warn(message);
  }
}
