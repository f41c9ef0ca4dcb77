/**
 * Where the speculative request (made at once after a suggestion is taken in
 * full) keeps being wasted: the user goes on another way than its answer, or
 * it had none. With `speculationBackoff`, a speculation is left out where the
 * last one made at a similar place in the same document (the end of a
 * finished line, or inside a line) was not taken; the call then waits the
 * debounce like any other. One left out clears that record, so the next
 * suggestion taken there speculates again: a user whose habits change is not
 * kept waiting for good.
 */

/** Similar places: a suggestion taken to the end of a finished line is followed by the next lines, one inside a line by its rest. */
export type SpeculationPlace = 'line-end' | 'in-line';

interface Speculation {
  /** What its answer showed; undefined until it came, or when it had nothing to show. */
  text: string | undefined;
}

export class SpeculationRecord {
  /** The last speculation per document and place, until it is taken or found not taken. */
  private readonly pending = new Map<string, Speculation>();

  /**
   * A suggestion (`taken`) was taken in full at `place`: true when a
   * speculation is worth making there. A pending speculation whose answer is
   * what was taken counts as taken; one left at this place otherwise was not.
   */
  mayFollow(uri: string, place: SpeculationPlace, taken: string): boolean {
    for (const [key, speculation] of this.pending) {
      if (key.startsWith(`${uri}\u0000`) && speculation.text !== undefined && speculation.text === taken) this.pending.delete(key);
    }
    const key = keyOf(uri, place);
    if (!this.pending.has(key)) return true;
    this.pending.delete(key);
    return false;
  }

  /** A speculation is made at `place`; `answered` is told what it showed. */
  made(uri: string, place: SpeculationPlace): { answered(text: string | undefined): void } {
    const speculation: Speculation = { text: undefined };
    this.pending.set(keyOf(uri, place), speculation);
    // A bounded record: one entry per document and place, the oldest documents forgotten first.
    if (this.pending.size > MAX_RECORDS) this.pending.delete(this.pending.keys().next().value as string);
    return {
      answered(text) {
        speculation.text = text;
      },
    };
  }
}

const MAX_RECORDS = 64;

function keyOf(uri: string, place: SpeculationPlace): string {
  return `${uri}\u0000${place}`;
}
