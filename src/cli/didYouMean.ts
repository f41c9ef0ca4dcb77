import { editDistance } from '../core/editDistance';

/**
 * The closest of `candidates` to what was typed, for "did you mean" in an error: one a typo away (a letter
 * missing, extra, wrong or two swapped: `cost` → `costs`, `--modle` → `--model`), or two such edits in a longer
 * word. Undefined when none is that close: a wrong guess reads as an instruction.
 */
export function closestName(typed: string, candidates: readonly string[]): string | undefined {
  const word = typed.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    // Limited to the best so far: a candidate no closer is dropped as soon as that is certain.
    const distance = editDistance(word, candidate.toLowerCase(), bestDistance, { transpositions: true });
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  if (best === undefined) return undefined;
  // Short words are a letter or two from many others ("by" and "ask"): only one edit counts there.
  const allowed = Math.min(2, Math.floor(Math.max(word.length, best.length) / 4));
  if (bestDistance <= Math.max(1, allowed) && bestDistance < word.length) return best;
  return undefined;
}
