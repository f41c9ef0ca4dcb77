import * as vscode from 'vscode';
import { describeMessageShape, newNonce, type WebviewPage } from '../shared/webviewPage';

/**
 * What the hosts of the chat view and the costs panel share: the folders a
 * page may load from, the page itself, and how what it posts is received.
 */

/** The only folders a webview may read: its bundle's and the stylesheets' and icons'. */
export interface WebviewRoots {
  bundles: vscode.Uri;
  media: vscode.Uri;
}

export function webviewRoots(extensionUri: vscode.Uri): WebviewRoots {
  return { bundles: vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), media: vscode.Uri.joinPath(extensionUri, 'media') };
}

/** For a webview's `localResourceRoots`. */
export function rootList(roots: WebviewRoots): vscode.Uri[] {
  return [roots.bundles, roots.media];
}

/** The page of `name`: dist/webview/NAME.js and media/NAME.css as this webview may load them, with a fresh nonce. */
export function webviewPage(webview: vscode.Webview, roots: WebviewRoots, name: string): WebviewPage {
  return {
    cspSource: webview.cspSource,
    nonce: newNonce(),
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(roots.bundles, `${name}.js`)).toString(),
    styleUri: webview.asWebviewUri(vscode.Uri.joinPath(roots.media, `${name}.css`)).toString(),
  };
}

/** How a host names itself and its page in the log. */
export interface PageLabel {
  /** The log line's prefix: `chat`, `costs`. */
  host: string;
  /** What the page is called in a warning: `the webview`, `the dashboard`. */
  page: string;
}

/**
 * Hands what a page posts to `handle` once `parse` accepts its shape. Model
 * output is rendered in these pages: anything they send is untrusted until
 * it has the right shape, and a message that has not is logged by its shape
 * only (it may hold what the user typed). A failure of `handle` is logged.
 */
export function receivePageMessages<Message>(
  webview: vscode.Webview,
  parse: (raw: unknown) => Message | undefined,
  log: vscode.LogOutputChannel,
  label: PageLabel,
  handle: (message: Message) => Promise<void>,
): vscode.Disposable {
  return webview.onDidReceiveMessage((raw: unknown) => {
    const message = parse(raw);
    if (!message) {
      log.warn(`${label.host}: dropped a malformed message from ${label.page} (${describeMessageShape(raw)})`);
      return;
    }
    void handle(message).catch((error: unknown) => log.error(`${label.host}: ${String(error)}`));
  });
}
