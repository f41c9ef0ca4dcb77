/**
 * The adaptive debounce: how long to wait after a keystroke before asking the
 * model, from where the cursor is and how this user types.
 *
 * A fixed debounce is wrong both ways: shorter than a user's slower keystrokes
 * inside a word, it fires requests the next key makes useless; longer than
 * needed at the end of a line, it adds its whole length to the wait for ghost
 * text. People pause where a thought ends (after `(`, `{`, `=`, `:`, `,`, `;`,
 * `.`, at the end or start of a line) and rarely inside a word, so:
 *   - where a pause is likely: no wait of our own (VS Code already waits 50 ms
 *     before it calls the provider);
 *   - inside a word: the user's slow keystroke (90th percentile of recent
 *     gaps), at least the setting and at most twice it: only a real break fires;
 *   - elsewhere (after a word and a space): the user's usual gap, at most the
 *     setting: a gap longer than usual is a pause;
 *   - inside a word, right after a letter that left the ghost text being typed
 *     into: long enough for a typo to be taken back (`typoGraceMs`), 2 to 4
 *     times the setting.
 * Until enough keystrokes were seen, the setting is used.
 */

/** Gaps longer than this are pauses, not the rhythm of typing. */
const MAX_TYPING_GAP_MS = 1_000;
/** Recent gaps kept: about a line of typing. */
const KEPT_GAPS = 40;
/** Gaps needed before the rhythm is trusted. */
const MIN_GAPS = 8;

export type PauseLikelihood = 'likely' | 'mid-word' | 'other';

/** Characters after which people tend to stop and read or think. */
const PAUSE_AFTER = new Set(['(', '[', '{', '=', ':', ',', ';', '.', '>', '}', ')']);
const WORD_CHAR = /[\p{L}\p{N}_$]/u;

/**
 * How likely a pause is at the cursor, from its line up to the cursor. The
 * engine asks only where at most closers follow on the line, so that is not
 * looked at here.
 */
export function pauseLikelihood(linePrefix: string): PauseLikelihood {
  const before = linePrefix.trimEnd();
  // Start of a line (after Enter and its indentation): the next line is being thought of.
  if (before === '') return 'likely';
  const last = before.charAt(before.length - 1);
  if (before.length === linePrefix.length && WORD_CHAR.test(last)) return 'mid-word';
  return PAUSE_AFTER.has(last) ? 'likely' : 'other';
}

/**
 * Bounds of the wait after a keystroke that left the ghost text inside a word (see `typoGraceMs`), in multiples
 * of the debounce setting: people take back a typo 200 to 550 ms after typing it (the bench's trace), longer than
 * their slow keystroke; 300 to 600 ms at the default 150. Multiples, not fixed times, so a setting that asks
 * for a longer (or no) wait moves this wait with it, and a replay that compresses time through the setting
 * compresses this wait too.
 */
const MIN_TYPO_GRACE_DEBOUNCES = 2;
const MAX_TYPO_GRACE_DEBOUNCES = 4;

/** Keystroke gaps in one document, as the calls VS Code makes for them arrive. */
export class TypingRhythm {
  private readonly gaps: number[] = [];
  private last: { uri: string; at: number } | undefined;

  /** A call arrived for a keystroke at `now`. */
  note(uri: string, now: number): void {
    const last = this.last;
    this.last = { uri, at: now };
    if (!last || last.uri !== uri) return;
    const gap = now - last.at;
    // Several calls for one keystroke (a re-trigger) say nothing about typing.
    if (gap <= 0 || gap > MAX_TYPING_GAP_MS) return;
    this.gaps.push(gap);
    if (this.gaps.length > KEPT_GAPS) this.gaps.shift();
  }

  /** The `p`th percentile of recent gaps, or undefined while too few were seen. */
  gapPercentile(p: number): number | undefined {
    if (this.gaps.length < MIN_GAPS) return undefined;
    const sorted = [...this.gaps].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
  }

  /**
   * The wait after a letter that left ghost text the user had typed into so far, inside a word: most
   * likely a typo, taken back with Backspace before long, after which the ghost text serves again.
   * A request at the usual mid-word wait would be thrown away then. Twice the user's slow keystroke,
   * within 2 to 4 times the setting (`baseMs`; the lower bound until the rhythm is known).
   */
  typoGraceMs(baseMs: number, linePrefix: string): number {
    const usual = this.debounceMs(baseMs, linePrefix);
    if (pauseLikelihood(linePrefix) !== 'mid-word') return usual;
    const slow = this.gapPercentile(90);
    const least = MIN_TYPO_GRACE_DEBOUNCES * baseMs;
    const grace = slow === undefined ? least : Math.min(MAX_TYPO_GRACE_DEBOUNCES * baseMs, Math.max(least, 2 * slow));
    return Math.max(usual, grace);
  }

  /** The debounce for a call at this place, given the setting (`baseMs`). */
  debounceMs(baseMs: number, linePrefix: string): number {
    const where = pauseLikelihood(linePrefix);
    if (where === 'likely') return 0;
    if (where === 'mid-word') return Math.max(baseMs, Math.min(2 * baseMs, this.gapPercentile(90) ?? baseMs));
    return Math.min(baseMs, this.gapPercentile(50) ?? baseMs);
  }
}
