import { formatModelRef } from '../modelRef';
import type { ProviderError } from '../providers/providerError';
import type { ModelRef } from '../types';

/** How long a model rests after a failure that named no Retry-After. */
export interface CooldownDefaults {
  /** After a 429, a 529 or a Bedrock throttle. */
  throttledMs: number;
  /** After a 5xx, a connection failure or no first token in time. */
  failedMs: number;
}

export const DEFAULT_COOLDOWNS: CooldownDefaults = { throttledMs: 15_000, failedMs: 5_000 };

/** Which models rest after a failure, and until when: a route's other models answer meanwhile. */
export class Cooldowns {
  private readonly rests = new Map<string, { until: number; after: string }>();

  /** `elapsed`: the clock rests are timed on, which only runs forward (see RouterDeps.elapsed). */
  constructor(
    private readonly elapsed: () => number,
    private readonly defaults: CooldownDefaults = DEFAULT_COOLDOWNS,
  ) {}

  /** The cooldown `ref` is still in, if any (`until` and `now` on the elapsed clock). */
  restingUntil(ref: ModelRef, now: number): { until: number; after: string } | undefined {
    const rest = this.rests.get(formatModelRef(ref));
    if (rest && rest.until > now) return rest;
    return undefined;
  }

  /**
   * Throttled models rest for the Retry-After they named (Bedrock rarely
   * names one: then a default); models that failed at the server, on the
   * network or by sending nothing in time rest a shorter while, so a route's
   * other models answer meanwhile instead of each request waiting on them.
   */
  rest(ref: ModelRef, error: ProviderError): void {
    const defaults = this.defaults;
    let ms: number | undefined;
    if (error.kind === 'rate-limited' || error.kind === 'overloaded') ms = error.retryAfterMs ?? defaults.throttledMs;
    else if (error.kind === 'server' || error.kind === 'connection' || error.kind === 'timeout') ms = error.retryAfterMs ?? defaults.failedMs;
    if (ms !== undefined && ms > 0) this.rests.set(formatModelRef(ref), { until: this.elapsed() + ms, after: error.message });
  }
}
