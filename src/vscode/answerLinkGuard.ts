/**
 * A model's answer on its way into an Ask or Plan editor, with its links to anything but the web and mail broken.
 *
 * VS Code's Markdown extension makes each link of a Markdown editor a document link, and the editor opens a
 * Ctrl+clicked document link with command links allowed: `[Fix it](command:workbench.action.terminal.sendSequence?…)`
 * in an answer would type into the terminal what the answer chose (an in-host test saw the link offered), and a
 * `vscode://` or `vscode-insiders://` link hands its arguments to another extension, any other scheme to whatever
 * program the system has for it. So where a link's address starts (`](`, `<`, a reference's `]:`, an HTML `href=`,
 * `src=` or `<video placeholder=`) with a scheme other than http, https or mailto, a backslash goes before its colon:
 * `command\:…` is no address to the Markdown extension (it is a file name there, opened as one), the text still reads
 * as written, and the preview, which shows such links as text anyway (answerPreview.ts), unescapes it. An HTML
 * attribute's value is read with its entities decoded (`command&#58;…`, `c&#111;mmand:…`), so an `&` before its
 * scheme's end gets a backslash too.
 *
 * A fenced block (```` ``` ```` or `~~~`) is left as it is: it holds no links. Not a line that only looks like a fence:
 * one inside an HTML block (which holds HTML links), a backtick fence whose info string holds a backtick. An inline code
 * span is not exempt: the extension pairs backticks by a pattern of its own (across lines, escapes not read), so a
 * guess here would let `` `[Fix it](command:…) `` through; inline code's `<xsl:template>` reads `<xsl\:template>`.
 *
 * Streamed: each piece is passed on at once, but for a colon at its very end, which waits for the next character
 * (`<std::string>` is not a scheme).
 */

const SAFE_SCHEMES = new Set(['http', 'https', 'mailto']);
/**
 * Schemes VS Code acts on itself, which a `::` does not exempt: `[x](command::id)` is the URI `command:` with the path
 * `:id`, which VS Code's command opener runs as the command `:id`. None of VS Code's own commands has such an id, but
 * an extension may register any; so here the first colon gets its backslash. Elsewhere `::` is C++'s or Rust's path
 * separator (`<std::string>`), which no one clicks.
 */
const SCHEMES_DESPITE_DOUBLE_COLON = new Set(['command', 'vscode', 'vscode-insiders']);
/** What comes before a colon that ends a link's scheme; the scheme is group 1. */
const SCHEME_BEFORE_COLON = /(?:\]\(\s*<?|\]:[ \t]*<?|<|\b(?:href|src|placeholder)\s*=\s*["']?)([A-Za-z][A-Za-z0-9+.-]{0,31})$/i;
/** An HTML attribute the extension reads a link from, its value just opened: the value is read entity-decoded. */
const LINK_ATTRIBUTE_OPENED = /\b(?:href|src|placeholder)\s*=\s*["']$/i;
/** Where a scheme can no longer be: past these, an `&` in the value is no part of one. */
const SCHEME_ENDS = new Set([':', '/', '?', '#', '"', "'", '>', ' ', '\t', '\n']);
/** As much of the text before a colon as SCHEME_BEFORE_COLON can need (a run of white space is kept as one character). */
const CONTEXT_CHARS = 64;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
/**
 * The start of an HTML block (CommonMark's kinds): a line opening with a tag, a comment, a declaration. Types 1–5 end
 * at their closing marker, blank lines and all; the others at a blank line. A fence line inside one is no fence.
 */
const HTML_BLOCK_START = /^ {0,3}<(?:(script|pre|style|textarea)\b|(!--)|(\?)|(!\[CDATA\[)|(![A-Za-z])|\/?[A-Za-z])/i;

export class AnswerLinkGuard {
  /** The last characters passed on, for the context of a colon. */
  private context = '';
  /** The current line (for a fence's marker, an HTML block's start or end) and its backticks (a backtick fence's info string holds none). */
  private line = '';
  private lineBackticks = 0;
  private fence: string | undefined;
  /** The spaces before the open fence's marker: a line indented less ends the list item the fence is in (and it). */
  private fenceIndent = 0;
  /** The current line's leading spaces so far, and whether anything else has come on it. */
  private lineIndent = 0;
  private lineStarted = false;
  /** In an HTML block: what ends it ('' a blank line, else a marker a line holds). */
  private htmlBlockEnd: string | RegExp | undefined;
  /** Inside a link attribute's value, before where a scheme would end (see LINK_ATTRIBUTE_OPENED). */
  private inAttributeScheme = false;
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
      // The colon held back for the next piece is the next character after the last one here.
      const next = index + 1 < input.length ? input[index + 1] : this.heldColon ? ':' : undefined;
      if (char === ':' && this.breaksLink(next, ended)) out += '\\';
      if (this.inAttributeScheme && SCHEME_ENDS.has(char)) this.inAttributeScheme = false;
      // `command&#58;…`: decoded, a scheme; `command\&#58;…` decodes to `command\:…`, no scheme.
      if (char === '&' && this.inAttributeScheme) out += '\\';
      out += char;
      this.advance(char);
    }
    return out;
  }

  private breaksLink(next: string | undefined, ended: boolean): boolean {
    if (this.fence !== undefined) return false;
    const scheme = SCHEME_BEFORE_COLON.exec(this.context)?.[1]?.toLowerCase();
    if (scheme === undefined) return false;
    if (next === ':' && !ended) return SCHEMES_DESPITE_DOUBLE_COLON.has(scheme);
    return !SAFE_SCHEMES.has(scheme);
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
    if (this.fence === undefined && (char === '"' || char === "'") && LINK_ATTRIBUTE_OPENED.test(this.context)) this.inAttributeScheme = true;
    if (char === '\n') {
      this.endLine();
      return;
    }
    this.line += char;
    if (char === '`') this.lineBackticks++;
  }

  private endLine(): void {
    const marker = FENCE.exec(this.line)?.[1];
    // "``` `" opens no fence (CommonMark: a backtick fence's info string holds no backtick): the line is a paragraph's.
    const opens = marker !== undefined && (marker[0] !== '`' || this.lineBackticks === marker.length) && this.htmlBlockEnd === undefined;
    if (marker !== undefined && (this.fence !== undefined || opens)) {
      // A fence closes with a marker of its own character at least as long as the one that opened it.
      if (this.fence === undefined) {
        this.fence = marker;
        this.fenceIndent = this.line.length - this.line.trimStart().length;
      } else if (marker[0] === this.fence[0] && marker.length >= this.fence.length) this.fence = undefined;
    } else if (this.fence === undefined) {
      this.followHtmlBlock();
    }
    this.line = '';
    this.lineBackticks = 0;
    this.lineIndent = 0;
    this.lineStarted = false;
    this.inAttributeScheme = false;
  }

  /** Whether the line just ended starts, goes on with or ends an HTML block. */
  private followHtmlBlock(): void {
    const blank = this.line.trim() === '';
    if (this.htmlBlockEnd === undefined) {
      const start = HTML_BLOCK_START.exec(this.line);
      if (!start) return;
      const [, raw, comment, instruction, cdata, declaration] = start;
      this.htmlBlockEnd = raw ? new RegExp(`</${raw}>`, 'i') : comment ? '-->' : instruction ? '?>' : cdata ? ']]>' : declaration ? '>' : '';
    } else if (this.htmlBlockEnd === '' && blank) {
      this.htmlBlockEnd = undefined;
      return;
    }
    // Types 1–5 end on the line that holds their marker (the start line too).
    const end = this.htmlBlockEnd;
    if (end !== '' && (typeof end === 'string' ? this.line.includes(end) : end.test(this.line))) this.htmlBlockEnd = undefined;
  }
}
