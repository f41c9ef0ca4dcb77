import * as vscode from 'vscode';
import { newNonce, type WebviewPage } from '../shared/webviewPage';

/**
 * What a Switchboard webview may load, and the page that loads it: the
 * chat view and the costs panel are built the same way, so the folders a
 * page can reach are named once.
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
