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
  /**
   * The exit code for a cancelled run: the signal's, or 0 when stdout closed first. `| head -1` closing the pipe
   * is the reader having what it wanted, as for `yes | head -1`; a 130 there would fail `set -o pipefail` scripts.
   */
  exitCode(): number;
  /** Whether the run was stopped because nobody reads stdout any more, not by a signal: nothing to say on stderr. */
  readerGone(): boolean;
  dispose(): void;
}

/** Listens for the end of a run (signals, stdout closed) until disposed, instead of letting a signal kill the process mid-request. */
export function listenForInterruption(io: CliIO): Interruption {
  const controller = new AbortController();
  let code = 130;
  let readerGone = false;
  const handlers = Object.entries(INTERRUPTS).map(([name, exitCode]) => {
    const handler = () => {
      if (!controller.signal.aborted) code = exitCode;
      controller.abort();
    };
    // Once: a second Ctrl+C ends the process at once, should the cancel itself hang.
    process.once(name, handler);
    return [name, handler] as const;
  });
  const onClosed = () => {
    if (!controller.signal.aborted) {
      code = 0;
      readerGone = true;
    }
    controller.abort();
  };
  io.stdoutClosed?.addEventListener('abort', onClosed, { once: true });
  return {
    signal: controller.signal,
    exitCode: () => code,
    readerGone: () => readerGone,
    dispose: () => {
      for (const [name, handler] of handlers) process.removeListener(name, handler);
      io.stdoutClosed?.removeEventListener('abort', onClosed);
    },
  };
}
