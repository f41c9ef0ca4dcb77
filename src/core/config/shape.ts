import type { GatewayName, ModelRef, Task } from '../types';
import type { EditorProxySettings } from '../providers/bedrockProxy';
import type { WorkspaceAwsFile } from '../awsWorkspaceFiles';

/* The settings' typed shape: what resolveConfig (../config.ts) makes of what the user wrote. */

export type MultilineMode = 'auto' | 'always' | 'never';

export interface CustomProviderConfig {
  /** Which wire protocol the endpoint speaks. */
  type: 'openai' | 'anthropic';
  baseUrl: string;
  /** Environment variable holding the key; none needed for local servers. */
  apiKeyEnv?: string;
  /** The endpoint's models do native fill-in-the-middle through /v1/completions. */
  fim?: boolean;
  /** The endpoint is a gateway whose own cost figures are read (recognised by host for openrouter.ai). */
  gateway?: GatewayName;
  /** This provider's own first-token and idle limits, over `timeouts.*` (a local server loading a model). */
  timeouts?: ProviderTimeouts;
}

/**
 * One provider's limits in place of `timeouts.firstTokenMs` / `timeouts.completionFirstTokenMs`, set in that
 * provider's settings: a local server may take a minute to load a model while a cloud API should fail over fast.
 */
export interface ProviderTimeouts {
  firstTokenMs?: number;
  completionFirstTokenMs?: number;
}

/**
 * Set when the provider's server setting (baseUrl, Bedrock's endpoint) is invalid: the provider is
 * left out until it is fixed rather than sent to its default host (see resolveConfig's `server`).
 */
export interface InvalidServer {
  /** The setting as the user wrote it, e.g. `switchboard.providers.openai.baseUrl`. */
  invalidSetting?: string;
  /** What is wrong with it, where that is more than "not an http(s) URL" (an Azure deployment's URL: core/azureDeploymentUrl.ts). */
  invalidProblem?: string;
}

export interface PriceOverride {
  input?: number;
  output?: number;
  cacheRead?: number;
  cacheWrite?: number;
}

export interface SwitchboardConfig {
  routes: Record<Task, ModelRef[]>;
  providers: {
    /** sendKeyTo: hosts besides the provider's own that may get its key (core/keyHost.ts). */
    /** baseUrlFrom: set when the server came from the user's OPENAI_BASE_URL, not a setting (core/envBaseUrl.ts). */
    /** unconfirmedBaseUrl: a remote window's OPENAI_BASE_URL not (yet) confirmed, openai left out. */
    /** remoteLoopback: a remote window, whose loopback is not the user's machine (core/remoteWindow.ts). */
    openai: { baseUrl: string; sendKeyTo: string[]; baseUrlFrom?: 'OPENAI_BASE_URL'; unconfirmedBaseUrl?: { url: string; declined: boolean }; remoteLoopback?: true } & InvalidServer;
    anthropic: { baseUrl: string; sendKeyTo: string[]; remoteLoopback?: true } & InvalidServer;
    /** remoteWindow: the AWS SDK's own endpoint sources (AWS_ENDPOINT_URL…, a profile's endpoint_url) are not used (core/remoteWindow.ts). */
    /** editorProxy: VS Code's proxy settings, in the editor only: they decide whether Bedrock goes through a proxy (providers/bedrockProxy.ts). */
    /** workspaceAwsFile: AWS_CONFIG_FILE or AWS_SHARED_CREDENTIALS_FILE names a file in the workspace; Bedrock is left out (core/awsWorkspaceFiles.ts). */
    bedrock: { region: string; endpoint: string; profile: string; remoteWindow?: true; editorProxy?: EditorProxySettings; workspaceAwsFile?: WorkspaceAwsFile } & InvalidServer;
    custom: Record<string, CustomProviderConfig>;
  };
  /** USD per million tokens, keyed by `provider:model` or bare model id. */
  prices: Record<string, PriceOverride>;
  /**
   * `provider:model` refs that cost nothing while their provider's server is on this machine (and the window is
   * not remote), though the price table prices a model of that name: a vendor-named model (`openai:gpt-5.4-nano`)
   * LM Studio or vLLM serves from a local file. Nowhere else: the same name at the vendor's API is billed.
   */
  freeOnLocalServer: string[];
  /**
   * ignoreEnvironment: SWITCHBOARD_LEDGER is not used; set by the editor while an unconfirmed container's environment
   * sets it (vscode/containerSettings.ts), where it would outrank `path` and could hide spend from the budget.
   */
  ledger: { path: string; ignoreEnvironment?: true };
  /** `providers`: each provider's own limits, by id, from its settings (the built-ins' `providers.<id>.timeouts`, a custom one's entry). */
  timeouts: { firstTokenMs: number; completionFirstTokenMs: number; providers?: Record<string, ProviderTimeouts> };
  budget: BudgetConfig;
  completion: {
    enabled: boolean;
    languages: Record<string, boolean>;
    debounceMs: number;
    prefixChars: number;
    suffixChars: number;
    contextChars: number;
    maxTokens: number;
    multiline: MultilineMode;
    speculate: boolean;
    speculationBackoff: boolean;
    adaptiveDebounce: boolean;
    nextLine: boolean;
    speculateNextLine: boolean;
    earlyFirstLine: boolean;
    preconnect: boolean;
  };
  chat: {
    maxTokens: number;
    /** Keep only a few chunk messages in flight to the panel, batching the rest while the webview catches up. */
    flowControl: boolean;
    /** With flow control: at most one chunk message a frame of the panel, timed to arrive just before it (chunkPacer.ts). */
    framePacing: boolean;
    /** Streamed text to the panel by a loopback HTTP response instead of VS Code's postMessage (directStreamServer.ts). */
    directStream: boolean;
  };
  plan: { maxTokens: number };
  /**
   * The project's sandbox wrote this into its own User settings (`npm start` without keys): one of the three things
   * the "simulated, not billed" label needs (src/vscode/sandboxSimulation.ts). Only the user's own layer counts.
   */
  sandbox: { simulated: boolean };
  /** Globs of files whose text is never sent (`files.exclude` is added by the editor). */
  exclude: string[];
  /** Auto: each chat and plan request goes to the route's cheap or strong tier by a local score. */
  auto: {
    enabled: boolean;
    /** The dial: the share of requests (on the evaluation set) allowed on the strong tier. */
    strongShare: number;
    /**
     * The cheap tier of each route as the user set it; empty means the
     * built-in cheap models of the providers the route's strong list uses.
     * The strong tier is `routes[task]`.
     */
    cheapRoutes: Record<AutoRoutedTask, ModelRef[]>;
  };
}

/** The routes Auto decides for; inline completions always use their own cheap route. */
export type AutoRoutedTask = 'chat' | 'plan';
export const AUTO_ROUTED_TASKS: readonly AutoRoutedTask[] = ['chat', 'plan'];

/** What happens at a limit: a warning only, the cheapest model of each route only, or no requests. */
export type BudgetAction = 'warn' | 'downgrade' | 'block';
export const BUDGET_ACTIONS: readonly BudgetAction[] = ['warn', 'downgrade', 'block'];

export interface BudgetLimits {
  /** 0: no limit. */
  dailyUsd: number;
  monthlyUsd: number;
}

/**
 * A limit the user set to a value that is not one ("5" as text, -5): it
 * counts as reached until fixed. Falling back to the default (0, no limit)
 * would lift a cap the user meant to have, with only a warning to say so.
 */
export interface InvalidBudgetLimit {
  period: 'day' | 'month';
  /** Undefined: the limit is over every provider's spend. */
  provider?: string;
  /** The setting, without `switchboard.`: `budget.dailyUsd`, `budget.providers.openai.monthlyUsd`. */
  setting: string;
  /** What is wrong with it: "must be a number from 0 to 1000000 (USD)". */
  problem: string;
}

export interface BudgetConfig extends BudgetLimits {
  /** Limits for one provider's spend, by provider id. */
  providers: Record<string, Partial<BudgetLimits>>;
  /** Limits set to something that is not a limit: each counts as reached. */
  invalidLimits: InvalidBudgetLimit[];
  /** Share of a limit (0..1) at which the status bar warns. */
  warnAt: number;
  action: BudgetAction;
  /** Requests to a model with no known price, under a budget: counted at `unpricedEstimate`, or refused. */
  unpriced: 'estimate' | 'refuse';
  /** USD per million tokens counted for an unpriced model under a budget. */
  unpricedEstimate: { input: number; output: number };
}

export interface ConfigProblem {
  /** The key as the user wrote it, e.g. `switchboard.routes.chat[1]`. */
  key: string;
  message: string;
}

export interface ResolvedConfig {
  config: SwitchboardConfig;
  problems: ConfigProblem[];
}
