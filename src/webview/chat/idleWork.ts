/**
 * Work that may wait (re-highlighting finished code blocks) done in the
 * page's idle periods, a bounded step at a time. One long callback would be
 * one long task: the frame due after it, and any chunk or click waiting for
 * it, would be late. So each step is small, a callback takes another only
 * while its deadline leaves room, and a callback without room does nothing
 * but ask for the next idle period.
 */

/** A job: `step()` does one bounded piece of work and says whether any is left. */
export interface IdleJob {
  /** The element the job changes: once it has left the page (a cleared conversation), the job is dropped. */
  readonly element: Element;
  step(): 'more' | 'done';
}

/** A step is started only with at least this much of the idle period left (a step is a few ms on a slow machine). */
const ROOM_FOR_A_STEP_MS = 8;
/**
 * Steps in one callback stop before this long, however long the idle period:
 * another step is taken only if, lasting as long as the longest one so far,
 * it would still end within it.
 */
const CALLBACK_BUDGET_MS = 6;
/** A page that is never idle still gets a step this often. */
const IDLE_TIMEOUT_MS = 1_000;

const jobs: IdleJob[] = [];
let requested = false;

export function runWhenIdle(job: IdleJob): void {
  jobs.push(job);
  request();
}

function request(): void {
  if (requested || jobs.length === 0) return;
  requested = true;
  // Looked up at each call, not at load: the page may provide it late (and tests provide their own).
  if (typeof requestIdleCallback === 'function') requestIdleCallback(runSteps, { timeout: IDLE_TIMEOUT_MS });
  else setTimeout(() => runSteps(undefined), 0);
}

function runSteps(deadline: IdleDeadline | undefined): void {
  requested = false;
  const started = performance.now();
  let longestStep = 0;
  let stepped = false;
  for (let job = jobs[0]; job !== undefined; job = jobs[0]) {
    // Nothing to show the result in: the conversation was cleared or replaced.
    if (!job.element.isConnected) {
      jobs.shift();
      continue;
    }
    if (stepped && !roomForAnother(deadline, performance.now() - started, longestStep)) break;
    // Timed out (the page is never idle enough): one step anyway. Otherwise only with room for one.
    if (!stepped && deadline && !deadline.didTimeout && deadline.timeRemaining() < ROOM_FOR_A_STEP_MS) break;
    const stepStarted = performance.now();
    if (job.step() === 'done') jobs.shift();
    longestStep = Math.max(longestStep, performance.now() - stepStarted);
    stepped = true;
  }
  request();
}

/** Without a deadline (no requestIdleCallback), or after a timeout, one step a task. */
function roomForAnother(deadline: IdleDeadline | undefined, elapsed: number, longestStep: number): boolean {
  if (!deadline || deadline.didTimeout) return false;
  return elapsed + longestStep <= CALLBACK_BUDGET_MS && deadline.timeRemaining() >= Math.max(ROOM_FOR_A_STEP_MS, longestStep);
}
