/**
 * Shell heredocs (`cat <<EOF`, `<<-EOF`, `<<'EOF'`): the lines after the operator's line, up to the one that is the
 * delimiter alone, are text handed to the command, not code. A `)` ending one is no `case` arm, a `case x in` no case,
 * and their indentation is the text's own: the rules that read code must pass over them.
 */

/** A heredoc whose text goes on at the end of the text read. */
export interface OpenHeredoc {
  /** The word its last line is. */
  delimiter: string;
  /** `<<-`: that line (and the text's) may start with tabs, which the shell removes. */
  stripsTabs: boolean;
}

/**
 * On a line of code, leftmost first: a heredoc operator and its delimiter (bare, quoted, or escaped: `\EOF`), a
 * quoted string (a `<<` in it is text), or a comment (`# a << b`). Not `<<<`, a here-string on its own line. A
 * delimiter starts with a letter or `_` (`$((1 << 2))` opens none; nor, with ARITHMETIC taken out, `$((x << n))`).
 */
const OPERATOR_LINE = /(?<!<)<<(-?)[ \t]*(?:'([^'\n]+)'|"([^"\n]+)"|\\?([A-Za-z_][\w.-]*))(?!<)|(["'`])(?:\\.|(?!\5).)*\5|(?:^|\s)#.*$/g;

/** Arithmetic, `((…))` and `$((…))`, where `<<` is a shift (`$((x << n))`), not a heredoc. */
const ARITHMETIC = /\(\((?:[^()]|\([^()]*\))*\)\)/g;

/** The heredocs a line of code opens, in order. */
function heredocsOpenedOn(line: string): OpenHeredoc[] {
  const opened: OpenHeredoc[] = [];
  if (!line.includes('<<')) return opened;
  for (const match of line.replace(ARITHMETIC, ' ').matchAll(OPERATOR_LINE)) {
    const delimiter = match[2] ?? match[3] ?? match[4];
    if (delimiter !== undefined) opened.push({ delimiter, stripsTabs: match[1] === '-' });
  }
  return opened;
}

/**
 * Reads `text` line by line from its start (taken to be code), calling `onText` with the start and end of each line
 * of a heredoc's text or its delimiter line; returns the heredoc still open at its end, if any. The last line, ending
 * without a line break (the cursor's line before the cursor), is read as a whole line.
 */
export function scanHeredocs(text: string, onText?: (start: number, end: number) => void): OpenHeredoc | undefined {
  const pending: OpenHeredoc[] = [];
  // Where the line that opened the pending heredocs starts: their text begins on the line after it.
  let openedAt = -1;
  let start = 0;
  for (;;) {
    if (pending.length === 0) {
      // No heredoc open: only a line holding `<<` can open one, so the lines before the next are passed over unread
      // (this runs on the window before the cursor for each shell line read, and most lines have none).
      const next = text.indexOf('<<', start);
      if (next === -1) return undefined;
      start = text.lastIndexOf('\n', next - 1) + 1;
    }
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline;
    const line = text.slice(start, text.charCodeAt(end - 1) === 0x0d ? end - 1 : end);
    const open = pending[0];
    if (open) {
      onText?.(start, end);
      if ((open.stripsTabs ? line.replace(/^\t+/, '') : line) === open.delimiter) pending.shift();
    } else {
      pending.push(...heredocsOpenedOn(line));
      openedAt = start;
    }
    if (newline === -1) return openedAt === start ? undefined : pending[0];
    start = newline + 1;
  }
}

/** The first heredoc a line of code opens (its text starts on the next line), if any. */
export function heredocOpenedOn(line: string): OpenHeredoc | undefined {
  return heredocsOpenedOn(line)[0];
}

/** `text` with each line of a heredoc's text (and its delimiter line) emptied, its line breaks kept: code alone. */
export function withoutHeredocText(text: string): string {
  if (!text.includes('<<')) return text;
  const spans: [number, number][] = [];
  scanHeredocs(text, (start, end) => spans.push([start, end]));
  if (spans.length === 0) return text;
  let out = '';
  let at = 0;
  for (const [start, end] of spans) {
    out += text.slice(at, start);
    at = end;
  }
  return out + text.slice(at);
}
