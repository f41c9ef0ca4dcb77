import type { CliIO } from './cliSupport';

/**
 * Model text on its way to a terminal. An answer is untrusted (a prompt injected through an attached file can
 * steer it), and a terminal obeys the control sequences in what it prints: ESC sequences set the clipboard
 * (OSC 52), the title, hide or rewrite lines; a lone carriage return writes over the line before it. Those
 * characters are shown as "?"; tab and line ends pass. Only for a terminal: a pipe or file gets the bytes sent.
 */
/** C0 (ESC among them), DEL and C1 controls, but tab and line ends (a lone CR is dealt with first). */
const CONTROLS = /(?![\t\n\r])\p{Cc}/gu;

/** A filter for streamed chunks: a carriage return at the end of a chunk waits to see whether a line feed follows. */
export function terminalFilter(): { write(chunk: string): string; end(): string } {
  let heldReturn = false;
  return {
    write(chunk) {
      let text = (heldReturn ? '\r' : '') + chunk;
      heldReturn = text.endsWith('\r');
      if (heldReturn) text = text.slice(0, -1);
      return text.replace(/\r(?!\n)/g, '?').replace(CONTROLS, '?');
    },
    end() {
      const rest = heldReturn ? '?' : '';
      heldReturn = false;
      return rest;
    },
  };
}

/** One whole piece of text (a line, a table, a message) as a terminal should get it: see terminalFilter. */
export function shownOnTerminal(text: string): string {
  return text.replace(/\r(?!\n)/g, '?').replace(CONTROLS, '?');
}

/**
 * `io` with each stream that is a terminal filtered: every command's human-readable output quotes what came from
 * a ledger (model ids, task names another process wrote), a config file or a server's error message, any of
 * which could carry an OSC 52 clipboard write or a title change. One place, so no line is left out; pipes and
 * files still get the exact bytes. A streamed answer is filtered first by its own terminalFilter (which holds a
 * chunk's final carriage return), so what arrives here has no lone one to misjudge.
 */
export function terminalSafeIO(io: CliIO): CliIO {
  return {
    ...io,
    ...(io.stdoutIsTTY ? { stdout: (text: string) => io.stdout(shownOnTerminal(text)) } : {}),
    ...(io.stderrIsTTY ? { stderr: (text: string) => io.stderr(shownOnTerminal(text)) } : {}),
  };
}
