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
