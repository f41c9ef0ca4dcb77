/*
 * Edit distance for "did you mean": a route's misspelt provider (config/providerHint.ts), a routed model id the
 * price table does not know (prices/priceWarnings.ts), the CLI's misspelt command or flag (cli/didYouMean.ts).
 */

export interface EditDistanceOptions {
  /**
   * Two neighbouring letters swapped counts as one edit, not two (`--modle` → `--model`): one slip of the fingers
   * when typing a name by hand. Each letter takes part in one swap at most (the optimal string alignment distance).
   */
  transpositions?: boolean;
}

/** Levenshtein distance (with `transpositions`, swaps too), given up (returning `limit`) once every path costs `limit` or more. */
export function editDistance(a: string, b: string, limit: number, options: EditDistanceOptions = {}): number {
  // Rows of the table: edits between a's first i letters and b's first j. A swap looks two rows back.
  let beforePrevious: number[] | undefined;
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (options.transpositions && beforePrevious && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, beforePrevious[j - 2]! + 1);
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    // Still exact with swaps: a swap into the next row costs at least this row's minimum.
    if (rowMin >= limit) return limit;
    beforePrevious = previous;
    previous = current;
  }
  return Math.min(previous[b.length]!, limit);
}
