/**
 * Waits that a newer keystroke can cut short: the debounce, a call waiting on a request it does not own, the first
 * line of an answer. They know nothing of completions; apart from completionEngine.ts they can be read, and
 * trusted to let go of their listeners and timers, on their own.
 */

/** A promise with its resolve function, resolved at most once. */
export function deferred<T>(): { promise: Promise<T>; resolve(value: T): void; readonly done: boolean } {
  let resolve!: (value: T) => void;
  let done = false;
  const promise = new Promise<T>((settle) => (resolve = settle));
  return {
    promise,
    resolve(value) {
      if (done) return;
      done = true;
      resolve(value);
    },
    get done() {
      return done;
    },
  };
}

export const ABORTED = Symbol('aborted');

/** Settles with `promise`, or with ABORTED as soon as `signal` aborts (the promise itself carries on). */
export function waitUnlessAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T | typeof ABORTED> {
  if (signal.aborted) return Promise.resolve(ABORTED);
  return new Promise((resolve) => {
    const onAbort = (): void => resolve(ABORTED);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      () => {
        signal.removeEventListener('abort', onAbort);
        resolve(ABORTED);
      },
    );
  });
}

/** Resolves true after `ms`, or false as soon as `signal` aborts (the timer cleared). */
export function sleepUnlessAborted(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
