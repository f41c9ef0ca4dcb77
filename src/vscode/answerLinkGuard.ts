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
 * the preview, which shows such links as text anyway (answerPreview.ts), unescapes it. A fenced block (```` ``` ````
 * or `~~~`) is left as it is: it holds no links. An inline code span is not exempt: whether a backtick opens one is
 * known only from what follows it (a lone backtick is text, a span may close on a later line, a backslash, an HTML
 * tag or an autolink may take the backtick first), so a guess would let `` `[Fix it](command:…) `` through; inline
 * code's `<xsl:template>` reads `<xsl\:template>` instead.
 *
 * Streamed: each piece is passed on at once, but for a colon at its very end, which waits for the next character
 * (`<std::string>` is not a scheme).
 */

const SAFE_SCHEMES = new Set(['http', 'https', 'mailto']);
/** What comes before a colon that ends a link's scheme; the scheme is group 1. */
const SCHEME_BEFORE_COLON = /(?:\]\(\s*<?|\]:\s*<?|<|\b(?:href|src)\s*=\s*["']?)([A-Za-z][A-Za-z0-9+.-]{0,31})$/i;
/** As much of the text before a colon as SCHEME_BEFORE_COLON can need (a run of white space is kept as one character). */
const CONTEXT_CHARS = 64;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

export class AnswerLinkGuard {
  /** The last characters passed on, for the context of a colon. */
  private context = '';
  /** The current line's start (for a fence's marker) and its backticks (a backtick fence's info string holds none). */
  private line = '';
  private lineBackticks = 0;
  private fence: string | undefined;
  /** The spaces before the open fence's marker: a line indented less ends the list item the fence is in (and it). */
  private fenceIndent = 0;
  /** The current line's leading spaces so far, and whether anything else has come on it. */
  private lineIndent = 0;
  private lineStarted = false;
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
      this.startLine(char);
      if (char === ':' && this.breaksLink(ended ? undefined : input[index + 1], ended)) out += '\\';
      out += char;
      this.advance(char);
    }
    return out;
  }

  private breaksLink(next: string | undefined, ended: boolean): boolean {
    if (this.fence !== undefined) return false;
    if (next === ':' && !ended) return false;
    const scheme = SCHEME_BEFORE_COLON.exec(this.context)?.[1];
    return scheme !== undefined && !SAFE_SCHEMES.has(scheme.toLowerCase());
  }

  /**
   * A fence opened with spaces before it may be a list item's (`1. Run:` then `   ```bash`): a line indented less ends
   * the item and its fence with it, so links count again from its first character. (Were the fence not in a list,
   * its code now has its links broken, which only costs a backslash.)
   */
  private startLine(char: string): void {
    if (this.lineStarted || char === '\n') return;
    if (char === ' ') {
      this.lineIndent++;
      return;
    }
    this.lineStarted = true;
    if (this.fence !== undefined && this.lineIndent < this.fenceIndent) this.fence = undefined;
  }

  private advance(char: string): void {
    // `](` then a hundred spaces then `command:` is still a link: a run of white space is one character here.
    if (!(/\s/.test(char) && /\s$/.test(this.context))) this.context = (this.context + char).slice(-CONTEXT_CHARS);
    if (char === '\n') {
      this.endLine();
      return;
    }
    if (this.line.length < 16) this.line += char;
    if (char === '`') this.lineBackticks++;
  }

  private endLine(): void {
    const marker = FENCE.exec(this.line)?.[1];
    // "``` `" opens no fence (CommonMark: a backtick fence's info string holds no backtick): the line is a paragraph's.
    const opens = marker !== undefined && (marker[0] !== '`' || this.lineBackticks === marker.length);
    if (marker !== undefined && (this.fence !== undefined || opens)) {
      // A fence closes with a marker of its own character at least as long as the one that opened it.
      if (this.fence === undefined) {
        this.fence = marker;
        this.fenceIndent = this.line.length - this.line.trimStart().length;
      } else if (marker[0] === this.fence[0] && marker.length >= this.fence.length) this.fence = undefined;
    }
    this.line = '';
    this.lineBackticks = 0;
    this.lineIndent = 0;
    this.lineStarted = false;
  }
}
