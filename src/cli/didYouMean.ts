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
    const distance = editDistance(word, candidate.toLowerCase());
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

/** Edits (insert, delete, replace, swap two neighbours) that turn `a` into `b`. */
function editDistance(a: string, b: string): number {
  // rows[i][j]: edits between a's first i letters and b's first j.
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const replace = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + replace);
      // `--modle`: two letters swapped is one slip of the fingers, not two.
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = value;
    }
  }
  return rows[a.length]![b.length]!;
}
