import type { SwitchboardConfig } from '../config';
import { BUILT_IN_PROVIDERS } from '../config/defaults';
import type { SettingNamer } from '../config/settingNamer';
import type { ProviderRegistry } from '../providerRegistry';
import { ConnectionWatch, describeSlowConnection, readWatchingConnections, type SlowConnection } from '../providers/connectionPhases';
import { isProviderError, ProviderError } from '../providers/providerError';
import { redactSecrets } from '../redact';
import type { GatewayName, ModelRef, ModelRequest, Task, Usage } from '../types';
import type { RunOptions } from './types';

/**
 * Past this many characters per max_tokens asked for, an answer is not one
 * the model was allowed to give: no tokenizer packs more than a few
 * characters into a token on average, so a stream this long is a server that
 * ignores the limit (and bills for it). Reading stops there.
 */
export const MAX_CHARS_PER_TOKEN = 16;

/**
 * An inline completion's whole stream may take this many times its first-token limit
 * (switchboard.timeouts.completionFirstTokenMs): 15 s by default. Ghost text is wanted only while the user waits at
 * that spot, and a stream that drips a piece of text now and then, each inside the idle limit, would otherwise hold
 * the completion for as long as max_tokens lets it run (128 tokens at 16 characters a token, a piece every 2 s: over
 * half an hour), with nothing shown. Tied to the first-token limit so that a slow local server, whose user raised
 * that limit, gets more time in all too. Chat, Ask and Plan have no such cap: their answer shows as it streams, a long
 * one legitimately takes minutes, and they can be stopped.
 */
export const COMPLETION_TOTAL_FACTOR = 5;

/** A cost the gateway in front of the provider reported for an answer. */
export interface GatewayCost {
  costUsd: number;
  gateway: GatewayName;
}

/** What one model's attempt came to: nothing before it failed, or an answer (whole, or broken off with `error`). */
export type AttemptOutcome =
  | { kind: 'failed-before-text'; error: ProviderError; usage?: Partial<Usage>; started: boolean; reasoningChars: number }
  | {
      kind: 'answered';
      text: string;
      usage?: Partial<Usage>;
      answeredModel?: string;
      firstTokenMs: number | null;
      error?: ProviderError;
      gatewayCost?: GatewayCost;
      reasoningChars: number;
      /** The provider said it stopped at the request's max output. */
      maxTokensReached?: boolean;
    };

/** What an attempt needs of the router: the provider's adapter, the first-token limits, the elapsed clock. */
export interface AttemptOn {
  registry: Pick<ProviderRegistry, 'adapter' | 'dialledHost'>;
  timeouts: SwitchboardConfig['timeouts'];
  elapsed: () => number;
  /** How a timeout's message names the limit's setting: where the reader raises it (the editor's, the CLI's file). */
  settingName: SettingNamer;
}

/**
 * Asks one model: streams its answer to `options.onText`, under the watchdog for the first token and for a stalled
 * stream, and stops reading past what max_tokens allows.
 */
export async function attempt(
  on: AttemptOn,
  task: Task,
  ref: ModelRef,
  request: ModelRequest,
  options: RunOptions,
  onFirstText: () => void,
): Promise<AttemptOutcome> {
  const attemptStart = on.elapsed();
  const controller = new AbortController();
  const onAbort = () => controller.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const { limit, limitSetting } = firstTokenLimit(on, task, ref.provider);
  const maxChars = request.maxTokens * MAX_CHARS_PER_TOKEN;
  const totalLimit = task === 'completion' ? limit * COMPLETION_TOTAL_FACTOR : Number.POSITIVE_INFINITY;

  let text = '';
  // A thinking model's reasoning, which is never shown: its length only.
  let reasoningChars = 0;
  let started = false;
  let maxTokensReached = false;
  let tooLong = false;
  let firstTokenMs: number | null = null;
  let usage: Partial<Usage> | undefined;
  let answeredModel: string | undefined;
  let gatewayCost: GatewayCost | undefined;
  // One watchdog for both limits: no first token within `limit`, or a stream
  // that sends no text for `limit` after it started (pings and other events
  // do not count; a thinking model's reasoning does, since the model is
  // answering and falling back would pay for its thinking twice). Re-armed
  // lazily rather than reset on every chunk, which would churn a timer per token.
  let timedOut = false;
  let overTotal = false;
  let streamStart = 0;
  let lastEventAt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  // The sockets this attempt opens: a limit that runs out while one is still connecting is said as such (below).
  const connections = new ConnectionWatch(on.registry.dialledHost(ref.provider));
  let slowAtLimit: SlowConnection | undefined;
  const watchdog = () => {
    const now = on.elapsed();
    const idle = now - lastEventAt;
    const left = streamStart + totalLimit - now;
    if (left <= 0) {
      overTotal = true;
      controller.abort();
    } else if (idle >= limit) {
      timedOut = true;
      // Read before the abort: aborting destroys the sockets still connecting (the HTTP/1.1 handler's, a tunnel's).
      if (firstTokenMs === null && reasoningChars === 0 && !started) slowAtLimit = connections.stillConnecting();
      controller.abort();
    } else {
      timer = setTimeout(watchdog, Math.min(limit - idle, left));
    }
  };
  try {
    const adapter = await on.registry.adapter(ref.provider);
    // Started after the SDK is loaded: its first load is not the provider's slowness.
    lastEventAt = streamStart = on.elapsed();
    timer = setTimeout(watchdog, limit);
    for await (const event of readWatchingConnections(connections, adapter.stream(ref.model, request, controller.signal))) {
      if (event.type === 'text') {
        if (!event.text) continue;
        lastEventAt = on.elapsed();
        if (firstTokenMs === null) {
          firstTokenMs = Math.round(lastEventAt - attemptStart);
          onFirstText();
        }
        text += event.text;
        options.onText?.(event.text);
        if (text.length + reasoningChars > maxChars) {
          tooLong = true;
          controller.abort();
          break;
        }
      } else if (event.type === 'reasoning') {
        lastEventAt = on.elapsed();
        reasoningChars += event.chars;
        // max_tokens caps reasoning and answer together, so endless thinking is cut like endless text.
        if (text.length + reasoningChars > maxChars) {
          tooLong = true;
          controller.abort();
          break;
        }
      } else if (event.type === 'usage') {
        usage = { ...usage, ...event.usage };
      } else if (event.type === 'cost') {
        gatewayCost = { costUsd: event.costUsd, gateway: event.gateway };
      } else if (event.type === 'model') {
        answeredModel = event.model;
      } else if (event.type === 'max-tokens') {
        maxTokensReached = true;
      } else {
        started = true;
      }
    }
    if (tooLong) {
      const error = new ProviderError('too-long', ref.provider, `${ref.provider} sent more than the ${request.maxTokens} tokens asked for; stopped reading`);
      return { kind: 'answered', text, usage, answeredModel, firstTokenMs, error, gatewayCost, reasoningChars };
    }
    return { kind: 'answered', text, usage, answeredModel, firstTokenMs, gatewayCost, reasoningChars, maxTokensReached };
  } catch (thrown) {
    let error = toProviderError(thrown, ref.provider);
    if (overTotal) {
      error = new ProviderError(
        'timeout',
        ref.provider,
        `the completion was still streaming after ${totalLimit} ms (${COMPLETION_TOTAL_FACTOR} × ${limitSetting}), too late for ghost text; stopped`,
      );
    } else if (timedOut) {
      const progressed = firstTokenMs !== null || reasoningChars > 0;
      const slow = slowAtLimit;
      if (slow) {
        // The model never got the request: not its slowness, so not its rest. The host rests (the provider's
        // default short rest, as for a host that refused) and the route goes on to its next model. Credentials
        // still coming are the same: the request was not even signed.
        const what = `${describeSlowConnection(slow)}, within the ${limit} ms of ${limitSetting}; the request never reached the model`;
        const lead = slow.phase === 'credentials' ? 'could not sign the request in time' : 'could not be reached in time';
        error = new ProviderError('connection', ref.provider, `${ref.provider} ${lead}: ${what}`, undefined, undefined, 'provider');
      } else {
        error = new ProviderError('timeout', ref.provider, progressed ? `the stream stalled: nothing for ${limit} ms (${limitSetting})` : `no first token within ${limit} ms (${limitSetting})`);
      }
    } else if (options.signal?.aborted) {
      error = new ProviderError('cancelled', ref.provider, 'cancelled');
    }
    if (firstTokenMs === null) return { kind: 'failed-before-text', error, usage, started, reasoningChars };
    return { kind: 'answered', text, usage, answeredModel, firstTokenMs, error, reasoningChars };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }
}

/**
 * The first-token (and idle) limit for `provider`'s attempt, and the setting that holds it, named in the timeout's
 * message: a local server loading a model, or a slow thinking one, may need it raised. The provider's own value
 * (a local server's minute) comes first, so the others still fail over at the general one.
 */
function firstTokenLimit(on: AttemptOn, task: Task, provider: string): { limit: number; limitSetting: string } {
  const field = task === 'completion' ? 'completionFirstTokenMs' : 'firstTokenMs';
  const own = on.timeouts.providers?.[provider]?.[field];
  if (own === undefined) return { limit: on.timeouts[field], limitSetting: on.settingName(`timeouts.${field}`) };
  const settings = (BUILT_IN_PROVIDERS as readonly string[]).includes(provider) ? `providers.${provider}` : `providers.custom.${provider}`;
  return { limit: own, limitSetting: on.settingName(`${settings}.timeouts.${field}`) };
}

function toProviderError(thrown: unknown, provider: string): ProviderError {
  if (isProviderError(thrown)) return thrown;
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  // Shown to the user, logged and written to the ledger: an error from outside the adapters is redacted here.
  return new ProviderError('unknown', provider, redactSecrets(message));
}
