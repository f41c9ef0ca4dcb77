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

/**
 * Which models rest after a failure, and until when: a route's other models answer meanwhile. A rest is the
 * model's, not the task's: a 429 for gpt-5.4-nano (completion's) says nothing of gpt-5.4 (chat's), and the same
 * model asked for another task meets the same limit. A provider whose host cannot be reached rests whole: every
 * model of it, for every task, would only fail the same way.
 */
export class Cooldowns {
  /** By `provider:model`, and by `provider` alone for a whole provider's rest. */
  private readonly rests = new Map<string, { until: number; after: string }>();

  /** `elapsed`: the clock rests are timed on, which only runs forward (see RouterDeps.elapsed). */
  constructor(
    private readonly elapsed: () => number,
    private readonly defaults: CooldownDefaults = DEFAULT_COOLDOWNS,
  ) {}

  /** The cooldown `ref` is still in, if any (`until` and `now` on the elapsed clock). */
  restingUntil(ref: ModelRef, now: number): { until: number; after: string } | undefined {
    const rests = [this.rests.get(formatModelRef(ref)), this.rests.get(ref.provider)].filter((rest) => rest !== undefined && rest.until > now);
    return rests.sort((a, b) => b!.until - a!.until)[0];
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
    if (ms !== undefined && ms > 0) this.rests.set(error.scope === 'provider' ? ref.provider : formatModelRef(ref), { until: this.elapsed() + ms, after: error.message });
  }
}
