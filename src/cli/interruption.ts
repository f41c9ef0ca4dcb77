// Signals and a closed stdout end a run through an AbortSignal, so a request already billed is cancelled and
// recorded rather than lost with the process.
import type { CliIO } from './cliSupport';

/**
 * Signals that end a run before its answer is in, and the exit code each
 * gives (128 + its number, as shells report it). Ctrl+C is not the only one:
 * `timeout`, `kill`, a CI job cancelled or a terminal closed send the others,
 * and a request the provider has begun to bill must still reach the ledger.
 */
const INTERRUPTS = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;

export interface Interruption {
  /** Aborts on any of the signals, or when nobody reads stdout any more. */
  signal: AbortSignal;
  /** The exit code for a cancelled run: the signal's, or 130 when stdout closed. */
  exitCode(): number;
  dispose(): void;
}

/** Listens for the end of a run (signals, stdout closed) until disposed, instead of letting a signal kill the process mid-request. */
export function listenForInterruption(io: CliIO): Interruption {
  const controller = new AbortController();
  let code = 130;
  const handlers = Object.entries(INTERRUPTS).map(([name, exitCode]) => {
    const handler = () => {
      if (!controller.signal.aborted) code = exitCode;
      controller.abort();
    };
    // Once: a second Ctrl+C ends the process at once, should the cancel itself hang.
    process.once(name, handler);
    return [name, handler] as const;
  });
  const onClosed = () => controller.abort();
  io.stdoutClosed?.addEventListener('abort', onClosed, { once: true });
  return {
    signal: controller.signal,
    exitCode: () => code,
    dispose: () => {
      for (const [name, handler] of handlers) process.removeListener(name, handler);
      io.stdoutClosed?.removeEventListener('abort', onClosed);
    },
  };
}
