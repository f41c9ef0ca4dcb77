/**
 * How long the scenarios wait, and for what the DOM does not show (fake servers' request logs, files on disk), a
 * poll. Every wait is on something that happens, never a fixed sleep, so a slow machine makes a scenario slower,
 * not flaky.
 */

/** How long a single UI wait may take; the workbench can be slow on a shared machine. */
export const UI_TIMEOUT_MS = 30_000;

/**
 * Polls `condition` until it holds: for state outside the DOM (fake servers'
 * request logs, files on disk). `describe` says what was awaited, for the error.
 */
export async function waitUntil(condition: () => boolean | Promise<boolean>, describe: string | (() => string), timeoutMs = UI_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() >= deadline) {
      throw new Error(`Timed out after ${timeoutMs / 1000} s waiting for ${typeof describe === 'string' ? describe : describe()}.`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** What is left until `deadline`, at most `atMostMs` and at least 1 ms (Playwright reads a timeout of 0 as none). */
export function timeLeft(deadline: number, atMostMs = Infinity): number {
  return Math.min(atMostMs, Math.max(1, deadline - Date.now()));
}
