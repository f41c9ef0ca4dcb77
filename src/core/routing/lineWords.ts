/**
 * The words of the line being read, held until the line is known to be prose
 * or code: scratch shared by the scan (lineScan.ts, features.ts, proseWords.ts) and the rules that look
 * at a term's neighbours (ruledTerms.ts). One request is read at a time (the
 * work is synchronous), so one set of buffers serves every call.
 */

/** Words of the current line, held until the line is known to be prose or code. */
export const lineHashes = new Int32Array(512);
export const lineStarts = new Int32Array(512);
export const lineEnds = new Int32Array(512);
/** 1 for a word inside `inline code`: an identifier, not what the user asks for. */
export const lineInline = new Uint8Array(512);
/** 1 for a one-letter name other than "a" and "I" (`x`, `f`): in an equation, a symbol, not a word. */
export const lineSymbol = new Uint8Array(512);
/** Words that are part of a file path (`src/cost.ts`): a name, not what is asked, so no word group matches them. */
export const lineInPath = new Uint8Array(512);
/** Paths named in the current line, kept as files once the line is known not to be a log line. */
export const linePaths: string[] = [];

/**
 * A word of the line outside its paths says something of them: not a number, a one-letter status (git's `M`, `A`)
 * or a label (`modified:`, `Goal:`).
 */
export function asksBesidePaths(source: string, count: number): boolean {
  for (let w = 0; w < count; w++) {
    if (lineInPath[w] || lineHashes[w] === 0 || lineEnds[w]! - lineStarts[w]! <= 1 || source.charCodeAt(lineEnds[w]!) === 58) continue;
    return true;
  }
  return false;
}

/** Whether a word of the line after its first is in `set` (hashes). */
export function lineHasWord(count: number, set: ReadonlySet<number>): boolean {
  for (let w = 1; w < count; w++) if (set.has(lineHashes[w]! >>> 0)) return true;
  return false;
}
