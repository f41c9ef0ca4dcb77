/**
 * What every Switchboard webview page shares: its strict Content Security
 * Policy, its HTML shell and the nonce its one script runs by. No `vscode`
 * and no DOM in here: the host builds pages with it, tests serve them.
 */

/**
 * The only policy a panel needs: scripts by nonce, styles and images from the extension; `connectOrigin`, the chat
 * panel's direct stream (`http://127.0.0.1:PORT`, one origin and port), the only address it may fetch from.
 */
export function webviewCsp(cspSource: string, nonce: string, connectOrigin?: string): string {
  // Never wider than one loopback port: the policy is the page's last word on where its script may send anything.
  if (connectOrigin !== undefined && !/^http:\/\/127\.0\.0\.1:\d{1,5}$/.test(connectOrigin)) throw new Error(`not a loopback origin with a port: ${connectOrigin}`);
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
    ...(connectOrigin !== undefined ? [`connect-src ${connectOrigin}`] : []),
  ].join('; ');
}

export interface WebviewPage {
  /** `webview.cspSource` */
  cspSource: string;
  nonce: string;
  /** `webview.asWebviewUri(dist/webview/NAME.js)` as a string */
  scriptUri: string;
  /** `webview.asWebviewUri(media/NAME.css)` as a string */
  styleUri: string;
  /** The one origin the page may fetch from (the chat panel's direct stream); none by default. */
  connectOrigin?: string;
}

/** The page: the policy, one stylesheet, an empty root element the bundle builds into, and the bundle. */
export function webviewHtml(page: WebviewPage, title: string, rootId: string): string {
  const attr = escapeAttribute;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(webviewCsp(page.cspSource, page.nonce, page.connectOrigin))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(page.styleUri)}">
<title>${attr(title)}</title>
</head>
<body>
<div id="${attr(rootId)}"></div>
<script nonce="${attr(page.nonce)}" src="${attr(page.scriptUri)}"></script>
</body>
</html>`;
}

/** 32 random alphanumerics; Web Crypto exists in both Node and the browser. */
export function newNonce(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return Array.from(bytes, (byte) => alphabet[byte % alphabet.length]).join('');
}

/**
 * A message that failed validation, for the log: its type and size only. It
 * may carry text the user typed or a file, which the log never holds.
 */
export function describeMessageShape(raw: unknown): string {
  const type = (raw as { type?: unknown } | null)?.type;
  const kind = typeof type === 'string' ? `type "${type.replace(/[^\w-]/g, '?').slice(0, 40)}"` : `a ${Array.isArray(raw) ? 'list' : raw === null ? 'null' : typeof raw}`;
  let size: string;
  try {
    size = `${JSON.stringify(raw)?.length ?? 0} characters`;
  } catch {
    size = 'unserialisable';
  }
  return `${kind}, ${size}`;
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
