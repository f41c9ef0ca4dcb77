import { localDay, startOfNextLocalDay } from '../core/localDay';

/** Timers cannot wait longer than about 24.8 days; a later moment is waited for a day at a time. */
const MAX_WAIT_MS = 86_400_000;
/**
 * How long after the moment the timer fires. A little slack; should the
 * clock still read the old day when it fires (a timer runs on a clock of its
 * own, which the wall clock may drift from), the redraw sets the timer again.
 */
const PAST_THE_MOMENT_MS = 50;

/**
 * The next moment the readout changes with nothing else happening: local
 * midnight, where "today" starts again at $0, or a budget's reset, if that
 * comes first (a reset already past has been drawn).
 */
export function nextRedrawAt(now: Date, resetsAt?: Date): Date {
  const midnight = startOfNextLocalDay(now);
  return resetsAt && resetsAt.getTime() > now.getTime() && resetsAt.getTime() < midnight.getTime() ? resetsAt : midnight;
}

/**
 * Keeps the readout's day current. A timer is set for nextRedrawAt at each
 * drawing, budget or not (without one, "today $1.23" once stayed from the day
 * before until the next request). But Node's timers count no time a laptop
 * spends suspended, so a timer set before a suspend fires late by the length
 * of the suspend: whenever the window is focused or used again (check), the
 * day drawn is compared with the clock's. No VS Code import, so it is tested
 * in plain Node; statusBar.ts wires it to the window.
 */
export class DayRedraw {
  private drawnDay: string | undefined;
  private timer: { at: number; handle: ReturnType<typeof setTimeout> } | undefined;

  constructor(
    private readonly redraw: () => void,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Told at each drawing: the day its "today" is, and when a budget it shows resets. */
  drawn(day: string, resetsAt?: Date): void {
    this.drawnDay = day;
    const now = this.now();
    const at = nextRedrawAt(now, resetsAt).getTime();
    if (this.timer?.at === at) return;
    clearTimeout(this.timer?.handle);
    const wait = Math.min(Math.max(at - now.getTime(), 0) + PAST_THE_MOMENT_MS, MAX_WAIT_MS);
    const handle = setTimeout(() => {
      this.timer = undefined;
      this.redraw();
    }, wait);
    this.timer = { at, handle };
  }

  /** The window was focused or used again: redraws if the local day changed since the last drawing. */
  check(): void {
    if (this.drawnDay !== undefined && this.drawnDay !== localDay(this.now())) this.redraw();
  }

  /** When the timer redraws next. */
  get dueAt(): Date | undefined {
    return this.timer && new Date(this.timer.at);
  }

  dispose(): void {
    clearTimeout(this.timer?.handle);
    this.timer = undefined;
  }
}
