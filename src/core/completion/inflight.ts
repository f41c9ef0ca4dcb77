import { makeAnchor, typedSinceAnchor, type PrefixAnchor } from './prefixAnchor';
import { sameSuffixHead, suffixHeadOf } from './typedThrough';

/** Characters a user may type while a request is out and still join it. */
const MAX_TYPED_WHILE_WAITING = 120;

export interface InflightStart {
  uri: string;
  prefix: string;
  suffix: string;
  /** The final completion for `prefix`, undefined when the model gave nothing usable or failed. */
  result: Promise<string | undefined>;
  /** The answer so far, cleaned like the final text will be (see `previewCompletion`). */
  partial: () => string;
  /** Whether the answer may span lines; a single-line one ends at the cursor's line. */
  multiline: boolean;
  /** Stops the request; only called while it is running. */
  abort: () => void;
}

export interface InflightRequest extends InflightStart {
  anchor: PrefixAnchor;
  suffixHead: string;
  waiters: number;
  settled: boolean;
}

/** A call that may reuse the running request: `typed` is what the user typed since it started. */
export interface JoinableRequest {
  readonly typed: string;
  readonly request: InflightRequest;
}

/**
 * The one completion request that may be running, and the calls waiting for it.
 *
 * A call whose prefix is the request's prefix plus a few typed characters
 * waits for it instead of asking again, as long as the answer streamed so far
 * starts with those characters (or could still, once more arrives: not when
 * they hold a line break and the request asked for the rest of its line only). A call
 * that cannot use it supersedes it: the request is aborted, so it stops
 * billing, unless some other call is still waiting for it.
 */
export class InflightRequests {
  private current: InflightRequest | undefined;

  get running(): boolean {
    return this.current !== undefined;
  }

  /** Registers a started request as the current one, superseding any other. */
  start(start: InflightStart): InflightRequest {
    this.supersede();
    const request: InflightRequest = {
      ...start,
      anchor: makeAnchor(start.prefix),
      suffixHead: suffixHeadOf(start.suffix),
      waiters: 0,
      settled: false,
    };
    this.current = request;
    const settle = (): void => {
      request.settled = true;
      if (this.current === request) this.current = undefined;
    };
    start.result.then(settle, settle);
    return request;
  }

  /** The running request a call at this position can wait for, if any. Has no side effects. */
  match(uri: string, prefix: string, suffix: string): JoinableRequest | undefined {
    const request = this.current;
    if (!request || request.settled || request.uri !== uri || !sameSuffixHead(request.suffixHead, suffix)) return undefined;
    let partial: string | undefined;
    const typedLength = typedSinceAnchor(request.anchor, prefix, MAX_TYPED_WHILE_WAITING, (count) => {
      const typed = prefix.slice(prefix.length - count);
      // A single-line answer never holds a line break: after Enter, waiting for it only delays the request the new line needs.
      if (!request.multiline && typed.includes('\n')) return false;
      partial ??= request.partial();
      return partial.startsWith(typed) || typed.startsWith(partial);
    });
    if (typedLength === undefined) return undefined;
    return { typed: prefix.slice(prefix.length - typedLength), request };
  }

  /**
   * Waits for the request on behalf of a call. The rest of its answer after
   * what was typed, or undefined if the answer turned out not to start with it.
   * `signal` is the call's: once it aborts, the call no longer keeps the request alive.
   */
  join(joinable: JoinableRequest, signal: AbortSignal): Promise<string | undefined> {
    const release = this.hold(joinable.request, signal);
    const { typed } = joinable;
    return joinable.request.result.then(
      (text) => {
        release();
        if (text === undefined || !text.startsWith(typed)) return undefined;
        const rest = text.slice(typed.length);
        return rest.trim() === '' ? undefined : rest;
      },
      () => {
        release();
        return undefined;
      },
    );
  }

  /**
   * Counts a call as waiting for `request` until `signal` aborts or `release`
   * is called. The abort listener releases synchronously, so a request whose
   * caller VS Code has just cancelled can be superseded by the very next call.
   */
  hold(request: InflightRequest, signal: AbortSignal): () => void {
    let held = true;
    request.waiters++;
    const release = (): void => {
      if (!held) return;
      held = false;
      request.waiters--;
      signal.removeEventListener('abort', release);
    };
    signal.addEventListener('abort', release, { once: true });
    if (signal.aborted) release();
    return release;
  }

  /**
   * Aborts the current request unless a call still waits for it (or
   * regardless, with `force`); either way it can no longer be joined.
   */
  supersede(force = false): void {
    const request = this.current;
    if (!request) return;
    this.current = undefined;
    if (!request.settled && (force || request.waiters === 0)) request.abort();
  }
}
