import { openEmojiStart, replaceHiddenCharacters } from '../shared/hiddenCharacters';
import type { CliIO } from './cliSupport';

/**
 * Model text on its way to a terminal. An answer is untrusted (a prompt injected through an attached file can
 * steer it), and a terminal obeys the control sequences in what it prints: ESC sequences set the clipboard
 * (OSC 52), the title, link text to another address (OSC 8), hide or rewrite lines; a lone carriage return
 * writes over the line before it. Those characters are shown as "?"; tab and line ends pass. Bidi controls and
 * invisible characters (src/shared/hiddenCharacters.ts) make a line read otherwise than it is (Trojan Source: a
 * command that looks harmless and is not), so each is shown by its code point, "<U+202E>", as the editor boxes
 * it. Only for a terminal: a pipe or file gets the bytes sent.
 */
/** C0 (ESC among them), DEL and C1 controls, but tab and line ends (a lone CR is dealt with first). */
const CONTROLS = /(?![\t\n\r])\p{Cc}/gu;

const visible = (text: string) => replaceHiddenCharacters(text.replace(/\r(?!\n)/g, '?').replace(CONTROLS, '?'), (hidden) => `<${hidden.codePoint}>`);

/**
 * A filter for streamed chunks: a carriage return at the end of a chunk waits to see whether a line feed follows,
 * and an emoji at the end waits for its joiner or tags (which, alone, would be shown by code point).
 */
export function terminalFilter(): { write(chunk: string): string; end(): string } {
  let held = '';
  return {
    write(chunk) {
      let text = held + chunk;
      const returnHeld = text.endsWith('\r');
      if (returnHeld) text = text.slice(0, -1);
      const open = returnHeld ? text.length : openEmojiStart(text);
      held = text.slice(open) + (returnHeld ? '\r' : '');
      return visible(text.slice(0, open));
    },
    end() {
      // A carriage return that nothing followed would overwrite the line on the next write.
      const rest = held.endsWith('\r') ? `${visible(held.slice(0, -1))}?` : visible(held);
      held = '';
      return rest;
    },
  };
}

/** One whole piece of text (a line, a table, a message) as a terminal should get it: see terminalFilter. */
export function shownOnTerminal(text: string): string {
  return visible(text);
}

/**
 * `io` with each stream that is a terminal filtered: every command's human-readable output quotes what came from
 * a ledger (model ids, task names another process wrote), a config file or a server's error message, any of
 * which could carry an OSC 52 clipboard write, a title change or a right-to-left override. One place, so no line
 * is left out; pipes and files still get the exact bytes. A streamed answer is filtered first by its own
 * terminalFilter (which holds a chunk's final carriage return), so what arrives here has no lone one to misjudge,
 * and what it marked ("<U+202E>") is plain text a second pass leaves alone.
 */
export function terminalSafeIO(io: CliIO): CliIO {
  return {
    ...io,
    ...(io.stdoutIsTTY ? { stdout: (text: string) => io.stdout(shownOnTerminal(text)) } : {}),
    ...(io.stderrIsTTY ? { stderr: (text: string) => io.stderr(shownOnTerminal(text)) } : {}),
  };
}
