/**
 * A model's answer on its way into an Ask or Plan editor, with its links to anything but the web and mail broken.
 *
 * VS Code's Markdown extension makes each link of a Markdown editor a document link, and the editor opens a
 * Ctrl+clicked document link with command links allowed: `[Fix it](command:workbench.action.terminal.sendSequence?…)`
 * in an answer would type into the terminal what the answer chose (an in-host test saw the link offered), and a
 * `vscode://` or `vscode-insiders://` link hands its arguments to another extension, any other scheme to whatever
 * program the system has for it. So where a link's address starts (`](`, `<`, a reference's `]:`, an HTML `href=` or
 * `src=`) with a scheme other than http, https or mailto, a backslash goes before its colon: `command\:…` is no
 * address to the Markdown extension (it is a file name there, opened as one), the text still reads as written, and
 * the preview, which shows such links as text anyway (answerPreview.ts), unescapes it. Code is left as it is: a
 * fenced block (```` ``` ```` or `~~~`) and an inline code span (`` `<xsl:template>` ``) are not links.
 *
 * Streamed: each piece is passed on at once, but for a colon at its very end, which waits for the next character
 * (`<std::string>` is not a scheme).
 */

const SAFE_SCHEMES = new Set(['http', 'https', 'mailto']);
/** What comes before a colon that ends a link's scheme; the scheme is group 1. */
const SCHEME_BEFORE_COLON = /(?:\]\(\s*<?|\]:[ \t]*<?|<|\b(?:href|src)\s*=\s*["']?)([A-Za-z][A-Za-z0-9+.-]{0,31})$/i;
/** As much of the text before a colon as SCHEME_BEFORE_COLON can need. */
const CONTEXT_CHARS = 64;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

export class AnswerLinkGuard {
  /** The last characters passed on, for the context of a colon. */
  private context = '';
  /** The current line so far (its start, for a fence) and its backticks (inline code when odd). */
  private line = '';
  private backticks = 0;
  private fence: string | undefined;
  private heldColon = false;

  /** `text` as it should be written, less a final colon held for the next piece. */
  write(text: string): string {
    let input = this.heldColon ? `:${text}` : text;
    this.heldColon = false;
    if (input.endsWith(':')) {
      this.heldColon = true;
      input = input.slice(0, -1);
    }
    return this.pass(input, false);
  }

  /** What is held back, at the end of the answer. */
  end(): string {
    if (!this.heldColon) return '';
    this.heldColon = false;
    return this.pass(':', true);
  }

  private pass(input: string, ended: boolean): string {
    let out = '';
    for (let index = 0; index < input.length; index++) {
      const char = input[index]!;
      if (char === ':' && this.breaksLink(ended ? undefined : input[index + 1], ended)) out += '\\';
      out += char;
      this.advance(char);
    }
    return out;
  }

  private breaksLink(next: string | undefined, ended: boolean): boolean {
    if (this.fence !== undefined || this.backticks % 2 === 1) return false;
    if (next === ':' && !ended) return false;
    const scheme = SCHEME_BEFORE_COLON.exec(this.context)?.[1];
    return scheme !== undefined && !SAFE_SCHEMES.has(scheme.toLowerCase());
  }

  private advance(char: string): void {
    this.context = (this.context + char).slice(-CONTEXT_CHARS);
    if (char === '\n') {
      this.endLine();
      return;
    }
    if (this.line.length < 16) this.line += char;
    if (char === '`' && this.fence === undefined) this.backticks++;
  }

  private endLine(): void {
    const marker = FENCE.exec(this.line)?.[1];
    if (marker !== undefined) {
      // A fence closes with a marker of its own character at least as long as the one that opened it.
      if (this.fence === undefined) this.fence = marker;
      else if (marker[0] === this.fence[0] && marker.length >= this.fence.length) this.fence = undefined;
    }
    this.line = '';
    this.backticks = 0;
  }
}
