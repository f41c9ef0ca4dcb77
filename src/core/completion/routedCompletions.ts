import type { SwitchboardConfig } from '../config';
import { formatModelRef } from '../modelRef';
import { isNativeFimModel } from '../providers/fimModels';
import type { RouteResult } from '../router';
import type { Switchboard } from '../switchboard';
import type { CompletionEngineDeps, CompletionSettings, CompletionSource, SnippetSource } from './completionContract';
import { CompletionEngine } from './completionEngine';

/**
 * Completion settings for the engine, from Switchboard's settings and the
 * model the completion route will try first.
 */
export function completionSettingsFor(config: SwitchboardConfig, switchboard: Switchboard): CompletionSettings {
  const { eligible } = switchboard.router.plan('completion');
  const first = eligible[0];
  const kind = first ? (switchboard.registry.settingsFor(first.provider)?.kind ?? first.provider) : '';
  const providerFim = first ? config.providers.custom[first.provider]?.fim : undefined;
  const { completion } = config;
  return {
    debounceMs: completion.debounceMs,
    multiline: completion.multiline,
    fim: first ? isNativeFimModel(kind, first.model, providerFim) : false,
    modelKey: eligible.map(formatModelRef).join(','),
    // Single-line answers are short; a quarter of the budget keeps a runaway model cheap.
    maxTokens: { singleLine: Math.max(16, Math.round(completion.maxTokens / 4)), multiLine: completion.maxTokens },
    budgets: { prefixChars: completion.prefixChars, suffixChars: completion.suffixChars, snippetChars: completion.contextChars },
    temperature: 0.1,
    speculate: completion.speculate,
    speculationBackoff: completion.speculationBackoff,
    adaptiveDebounce: completion.adaptiveDebounce,
    nextLine: completion.nextLine,
    speculateNextLine: completion.speculateNextLine,
    earlyFirstLine: completion.earlyFirstLine,
    preconnect: completion.preconnect,
  };
}

export interface RoutedEngineOptions {
  snippets?: SnippetSource;
  /** Each model request's outcome, e.g. for the CLI's --json. */
  onResult?: (result: RouteResult) => void;
  /** Each model request as it starts: a caller that ends early can wait for its ledger record. */
  onRun?: (run: Promise<RouteResult>) => void;
  onServedWithoutRequest?: (source: Exclude<CompletionSource, 'model'>) => void;
  onError?: (error: unknown) => void;
  /** Each step of each call (see CompletionEngineDeps.onStep), for a debug log. */
  onStep?: CompletionEngineDeps['onStep'];
  /** One request for a script, not typing in an editor: no connection warm-up ahead of it. */
  oneShot?: boolean;
}

/**
 * The completion engine wired to the router: what the editor and
 * `switchboard complete` share, so both build the same prompt and clean the
 * answer the same way. The router writes one ledger record per request; while
 * it would refuse one (see `Router.refusal`), the engine makes none.
 */
export function createRoutedCompletionEngine(switchboard: Switchboard, options: RoutedEngineOptions = {}): CompletionEngine {
  // Settings are recomputed only when the config or provider credentials change, not per keystroke.
  let cachedFor: SwitchboardConfig | undefined;
  let cachedUsable = '';
  let settings: CompletionSettings | undefined;
  const currentSettings = (): CompletionSettings => {
    const config = switchboard.currentConfig;
    const usable = switchboard.registry
      .allStatuses()
      .map((s) => (s.usable ? s.id : ''))
      .join(',');
    if (!settings || cachedFor !== config || cachedUsable !== usable) {
      settings = completionSettingsFor(config, switchboard);
      cachedFor = config;
      cachedUsable = usable;
    }
    return settings;
  };

  return new CompletionEngine({
    settings: currentSettings,
    // Checked by the engine before each request, not left to the router, whose refusal is an error record per pause.
    mayRequest: () => switchboard.router.refusal('completion') === undefined,
    ...(!options.oneShot && { warm: () => void switchboard.router.warm('completion') }),
    ...(options.snippets ? { snippets: options.snippets } : {}),
    request: async (request, signal, onText) => {
      const run = switchboard.router.run('completion', request, { signal, onText });
      options.onRun?.(run);
      const result = await run;
      options.onResult?.(result);
      if (result.record.outcome === 'error') throw new Error(result.error ?? 'completion failed');
      return { text: result.text };
    },
    onServedWithoutRequest: (source) => {
      switchboard.router.recordServedWithoutRequest('completion', source);
      options.onServedWithoutRequest?.(source);
    },
    ...(options.onError ? { onError: options.onError } : {}),
    ...(options.onStep ? { onStep: options.onStep } : {}),
  });
}
