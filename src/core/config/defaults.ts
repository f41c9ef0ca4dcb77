import { DEFAULT_EXCLUDE } from '../exclude';
import type { ProviderKind, Task } from '../types';

export const BUILT_IN_PROVIDERS: readonly ProviderKind[] = ['openai', 'anthropic', 'bedrock'];

/**
 * Defaults: cheap, fast models for completion and strong ones for chat and
 * plan, one of each provider, all still served (none with a shutdown date
 * in the price table or announced: gpt-5/5-mini/5-nano end 2026-12-11,
 * GPT-4o/4.1 end 2027-01-14, so none of those are here).
 */
export const DEFAULT_ROUTES: Record<Task, readonly string[]> = {
  completion: ['openai:gpt-5.4-nano', 'anthropic:claude-haiku-4-5', 'bedrock:us.amazon.nova-micro-v1:0'],
  chat: ['anthropic:claude-sonnet-5', 'openai:gpt-5.4', 'bedrock:us.anthropic.claude-sonnet-5'],
  plan: ['anthropic:claude-opus-5', 'openai:gpt-5.5', 'bedrock:us.anthropic.claude-sonnet-5'],
};

/** Every setting with its default, keyed as in package.json without `switchboard.`. */
export const SETTING_DEFAULTS = {
  'routes.completion': [...DEFAULT_ROUTES.completion],
  'routes.chat': [...DEFAULT_ROUTES.chat],
  'routes.plan': [...DEFAULT_ROUTES.plan],
  'providers.openai.baseUrl': '',
  'providers.anthropic.baseUrl': '',
  'providers.openai.sendKeyTo': [] as string[],
  'providers.anthropic.sendKeyTo': [] as string[],
  'providers.bedrock.region': '',
  'providers.bedrock.endpoint': '',
  'providers.bedrock.profile': '',
  'providers.openai.timeouts': {},
  'providers.anthropic.timeouts': {},
  'providers.bedrock.timeouts': {},
  'providers.custom': {},
  prices: {},
  freeOnLocalServer: [] as string[],
  'ledger.path': '',
  'timeouts.firstTokenMs': 20000,
  'timeouts.completionFirstTokenMs': 3000,
  'budget.dailyUsd': 0,
  'budget.monthlyUsd': 0,
  'budget.providers': {},
  'budget.warnAt': 0.8,
  'budget.action': 'block',
  'budget.unpriced': 'estimate',
  'budget.unpricedEstimate': { input: 3, output: 15 },
  'completion.enabled': true,
  'completion.languages': { '*': true, plaintext: false, markdown: false, scminput: false },
  'completion.debounceMs': 150,
  'completion.prefixChars': 6000,
  'completion.suffixChars': 2000,
  'completion.contextChars': 2000,
  'completion.maxTokens': 128,
  'completion.multiline': 'auto',
  'completion.speculate': true,
  'completion.speculationBackoff': false,
  'completion.adaptiveDebounce': true,
  'completion.nextLine': false,
  'completion.speculateNextLine': false,
  'completion.earlyFirstLine': false,
  'completion.preconnect': false,
  'chat.maxTokens': 4096,
  'chat.flowControl': true,
  'chat.framePacing': false,
  'chat.directStream': true,
  // The sandbox's mark on its own profile: with SWITCHBOARD_SIMULATED, answers read "simulated, not billed".
  'sandbox.simulated': false,
  'plan.maxTokens': 4096,
  exclude: [...DEFAULT_EXCLUDE],
  // Off until an evaluation on real cheap and strong answers shows equal quality for less (eval/router/README.md):
  // the committed set's labels are a rubric's, and on them the default dial keeps 95 % of the quality, not all of it.
  'auto.enabled': false,
  // The dial's default is computed by npm run train:router (model.json's dial.defaultShare);
  // a unit test holds this to it, so the scorer is not loaded just to read one number.
  'auto.strongShare': 0.5,
  'auto.cheapRoutes.chat': [] as string[],
  'auto.cheapRoutes.plan': [] as string[],
} as const;

export type SettingKey = keyof typeof SETTING_DEFAULTS;
export const SETTING_KEYS = Object.keys(SETTING_DEFAULTS) as SettingKey[];
