import type { SettingNamer } from '../config/settingNamer';
import { formatModelRef } from '../modelRef';
import type { PriceTable } from '../prices/priceTable';
import type { ProviderError } from '../providers/providerError';
import type { ModelRef, ModelRequest, Task } from '../types';
import { estimateTokens, promptTextOf } from '../usageEstimate';

/**
 * A prompt a model refused as longer than its context window (providers/promptTooLong.ts). The model is healthy: it
 * does not rest, and the next request, shorter, goes to it as before. Only a model whose context window is known to
 * be larger may take the prompt, so the route goes on only to such models; the others (a smaller or equal window, or
 * one the price table does not list, whose size nothing says) are passed over, each listed in the record. Asking them
 * would only be refused again, or worse, a model with a smaller window that tokenizes differently might answer from a
 * prompt its server cut short. Where none is left, the request stops with the sizes and what to do.
 */
export interface TooLongInRun {
  /** The model that refused last. */
  by: ModelRef;
  /** The prompt's tokens: as the provider counted them, else estimated (four characters a token). */
  promptTokens: number;
  promptCounted: boolean;
  /** Its context window: as the provider stated it, else the price table's; undefined where neither says. */
  windowTokens?: number;
  windowFrom?: 'provider' | 'price table';
  /** A model is asked only with a known window larger than this. */
  need: number;
  /** How many of the run's attempts there were, the refusal among them: what comes after it was passed over or failed anew. */
  at: number;
}

const count = (n: number) => n.toLocaleString('en-US');

/** What the refusal of `ref` tells the rest of the run (kept over a previous one: a model asked after it needed more). */
export function noteTooLong(previous: TooLongInRun | undefined, ref: ModelRef, error: ProviderError, request: ModelRequest, prices: PriceTable, at: number): TooLongInRun {
  const stated = error.promptTooLong ?? {};
  const listed = prices.lookup(ref.provider, ref.model)?.maxInputTokens;
  const promptTokens = stated.promptTokens ?? estimateTokens(promptTextOf(request));
  const windowTokens = stated.limitTokens ?? listed;
  const need = Math.max(previous?.need ?? 0, windowTokens ?? 0, promptTokens);
  return {
    by: ref,
    promptTokens,
    promptCounted: stated.promptTokens !== undefined,
    ...(windowTokens !== undefined && { windowTokens, windowFrom: stated.limitTokens !== undefined ? ('provider' as const) : ('price table' as const) }),
    need,
    at,
  };
}

/** Why `ref` is not asked after such a refusal; undefined when its known window is larger than the prompt needs. */
export function passedOverAsTooSmall(tooLong: TooLongInRun, ref: ModelRef, prices: PriceTable): string | undefined {
  const window = prices.lookup(ref.provider, ref.model)?.maxInputTokens;
  if (window !== undefined && window > tooLong.need) return undefined;
  const why = window === undefined ? 'its context window is not known (the price table does not list it)' : `its context window (${count(window)} tokens) is not larger`;
  return `not asked: the prompt was too long for ${formatModelRef(tooLong.by)}, and ${why}`;
}

/**
 * The request's error once no model could take the prompt: how long it is, the window it passed, and what to do.
 * `explicit`: one model was asked for by name, so the route's others were never in question.
 */
export function tooLongMessage(tooLong: TooLongInRun, task: Task, explicit: boolean, settingName: SettingNamer): string {
  const prompt = tooLong.promptCounted ? `${count(tooLong.promptTokens)} tokens (${tooLong.by.provider}'s count)` : `about ${count(tooLong.promptTokens)} tokens (estimated at four characters a token)`;
  const window =
    tooLong.windowTokens === undefined
      ? 'its context window (not in the price table)'
      : `its context window of ${count(tooLong.windowTokens)} tokens${tooLong.windowFrom === 'price table' ? " (the price table's figure)" : ''}`;
  const others = explicit ? '' : `; no other model of the ${task} route is known to have a larger window`;
  return (
    `the prompt is too long for ${formatModelRef(tooLong.by)}: ${prompt}, more than ${window}${others}. ` +
    `Shorten the selection, attach fewer files or start a new conversation, or use a model with a larger context window (${settingName(`routes.${task}`)})`
  );
}
