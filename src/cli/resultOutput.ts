// What the CLI prints about a routed request: its failure line, its budget warning, the footer a person at a terminal
// reads, and the --json object a script reads. Kept apart from running the request so each command's output is
// worded in one place.
import { redactUrl } from '../core/redactUrl';
import type { SettingNamer } from '../core/config/settingNamer';
import { formatRecordCost } from '../core/cost';
import { KEY_HOME } from '../core/keyHost';
import { withApiPath } from '../core/urls';
import type { RouteResult } from '../core/router';
import type { Switchboard } from '../core/switchboard';
import type { FailedAttempt } from '../core/types';
import { cliSettingName, LOCAL_SERVER_CONFIG } from './cliSupport';
import { proxyFailureNote } from './proxyNote';
import { doctorCommand, refusedAwsAdvice, refusedKeyAdvice, refusedKeyProviders } from './refusedKey';

/**
 * Why a request failed, for its one line on stderr. A key that was sent and refused is named with where it came from
 * and how to mend it. With no provider usable at all and no key or server of the user's in play, the router's error
 * names each model's missing key; a first run with a local server in mind learns there the way that needs no key.
 */
export function failureMessage(result: RouteResult, switchboard: Switchboard, fallback: string, run: { configFile: string | undefined; env: NodeJS.ProcessEnv }): string {
  const error = result.error ?? fallback;
  const failures = [...result.record.attempts, { provider: result.record.provider, error }];
  const words = failureWords(error, failures, switchboard, run);
  // A host not reached with a proxy variable set: whether Node used it is what the user behind a proxy must know.
  const proxy = proxyFailureNote(failures.map((attempt) => attempt.error), run.env);
  return proxy ? `${words}; ${proxy}` : words;
}

function failureWords(error: string, failures: readonly { provider: string; error: string }[], switchboard: Switchboard, run: { configFile: string | undefined; env: NodeJS.ProcessEnv }): string {
  const { registry } = switchboard;
  // A server of the user's own answering 404 for an openai: model mostly does not serve it (the default routes name
  // OpenAI's models): the command that lists what it serves, and the routes to it, is the way on.
  const server = switchboard.currentConfig.providers.openai.baseUrl;
  const openaiNotFound = failures.some((attempt) => attempt.provider === 'openai' && /\(404\)/.test(attempt.error));
  // A server named with no path (Ollama's http://localhost:11434) answers 404 for everything: the API is under /v1,
  // and "switchboard models" would be refused the same way until the address has it.
  const underV1 = server && openaiNotFound ? withApiPath(server) : undefined;
  if (underV1) return `${error}; ${redactUrl(server)} has no /v1: an OpenAI-compatible server's API is under it, so give the address as ${underV1}`;
  if (server && !server.includes(`//${KEY_HOME.openai}`) && openaiNotFound) return `${error}; "switchboard models" lists the models ${server} serves and the routes to them`;
  // Credentials that were sent and refused: which, from where, refused by whom, and how to mend them.
  const refused = refusedKeyAdvice(registry, switchboard.currentConfig, refusedKeyProviders(registry, failures.map((attempt) => attempt.provider)));
  // doctor asks each API key's server for its models; Bedrock's credentials it only resolves, which checks nothing.
  if (refused.length > 0) refused.push(`"${doctorCommand(run.configFile)}" checks a key without sending a prompt`);
  const aws = refusedAwsAdvice(registry, switchboard.currentConfig, run.env, failures, cliSettingName(run.configFile));
  if (aws) refused.push(aws);
  if (refused.length > 0) return `${error}; ${refused.join('; ')}`;
  if (registry.anyUsable() || registry.invalidSettingReasons().length > 0) return error;
  // "with no key" only to a user who has none: a key found, or a server of theirs asked keyless, is already a setup.
  if (registry.allStatuses().some((status) => status.keySource !== undefined)) return error;
  return `${error}; or, with no key, a local OpenAI-compatible server: ${LOCAL_SERVER_CONFIG}`;
}

/**
 * What a budget past its limit let through (`budget.action` `warn` or `downgrade`), in words. The editor says so
 * in its status bar; a script's run has nothing else to say it, and the next one would be refused under `block`.
 */
export function budgetWarning(result: RouteResult, switchboard: Switchboard, settingName: SettingNamer): string | undefined {
  const { budgetAction: action } = result.record;
  if (action !== 'warn' && action !== 'downgrade') return undefined;
  // Where the limit stood when the request went (the gate's words): the spend read now has the request in it, and
  // a limit only this request's worst case would pass was said to be "reached" when it was not.
  const status = switchboard.budget.gate.mostPressing();
  const reached = result.budgetReason ?? (status ? switchboard.budget.gate.overMessage(status) : 'a budget limit applies');
  // The limit's --config key, where a CLI user raises it: the gate's words say which limit, not where it is set.
  const key = result.budgetSetting ?? (result.budgetReason === undefined ? status?.limit.setting : undefined);
  const setting = key ? ` (${settingName(key)})` : '';
  return `${reached}${setting}; ${action === 'warn' ? 'sent anyway' : downgradedTo(result)}, as budget.action is "${action}"`;
}

/**
 * Where `downgrade` sent the request, naming the model that answered and the one it would have gone to. Auto's
 * downgrade is to its cheap tier, whose models need not be the route's at all: "the route's cheapest model" would
 * send the reader to a route that never named it.
 */
function downgradedTo(result: RouteResult): string {
  const { provider, model, routing } = result.record;
  const answered = `${provider}:${model}`;
  if (!result.downgradedToCheapTier) return `sent to the route's cheapest model only, ${answered}${result.downgradedFrom ? ` instead of ${result.downgradedFrom}` : ''}`;
  const from = result.downgradedFrom ? ` instead of the strong tier's ${result.downgradedFrom}` : ' instead of the strong tier Auto picked';
  // The cheap tier failed and handed the request back to the strong tier: that line says who answered.
  return routing?.tier === 'cheap' ? `sent to Auto's cheap tier, ${answered}${from}` : `sent to Auto's cheap tier${from}`;
}

/** Whether Auto's hand-over was the budget's downgrade, which budgetWarning says with the limit's key: not said twice. */
export function handedOverByBudget(result: RouteResult): boolean {
  return result.downgradedToCheapTier === true && result.record.routing?.tier === 'cheap';
}

/**
 * A model of the route a limit stopped (a provider's own, under `block`) while another answered, one line each:
 * "openai:gpt-5.4 was not asked: daily openai budget reached: …; answered by anthropic:claude-haiku-4-5 instead".
 * The editor lists it among the answer's fallbacks; on the CLI the answer came from another model with no word.
 */
export function budgetSkippedLines(result: RouteResult): string[] {
  const { record } = result;
  if (!result.budgetSkipped || record.outcome !== 'ok') return [];
  return result.budgetSkipped.map((skipped) => `${skipped.model} was not asked: ${skipped.reason}; answered by ${record.provider}:${record.model} instead`);
}

/**
 * "anthropic:claude-haiku-4-5 (cheap tier), 1,204 in / 310 out tokens, $0.0021, 2.4 s": what the chat panel's
 * footer says under an answer, for a person at a terminal (scripts have --json).
 */
export function answerFooter(result: RouteResult): string {
  const { record } = result;
  const tier = record.routing?.tier ? ` (${record.routing.tier} tier)` : '';
  const input = record.usage.inputTokens + record.usage.cacheReadTokens + record.usage.cacheWriteTokens;
  const tokens = `${input.toLocaleString('en-US')} in / ${record.usage.outputTokens.toLocaleString('en-US')} out tokens${record.usageEstimated ? ' (estimated)' : ''}`;
  return `${record.provider}:${record.model}${tier}, ${tokens}, ${formatRecordCost(record)}, ${(record.latencyMs / 1000).toFixed(1)} s`;
}

/** The JSON object printed by `ask --json` and `complete --json`. */
export function resultJson(result: RouteResult, text = result.text) {
  const { record } = result;
  return {
    text,
    task: record.task,
    provider: record.provider,
    model: record.model,
    requestedModel: record.requestedModel,
    usage: record.usage,
    usageEstimated: record.usageEstimated,
    costUsd: record.costUsd,
    // `local`: a model of a server on this machine that nobody priced, $0; `gateway`: the gateway's own figure.
    ...(record.costSource ? { costSource: record.costSource } : {}),
    latencyMs: record.latencyMs,
    firstTokenMs: record.firstTokenMs,
    outcome: record.outcome,
    attempts: record.attempts,
    ...(record.budgetAction ? { budgetAction: record.budgetAction } : {}),
    ...(record.routing ? { routing: record.routing } : {}),
    // Never left the machine (no model of the route had credentials): the ledger's field, which costs --json counts
    // in notSentRequests; a script told only "error" took it for a provider's failure.
    ...(record.notSent ? { notSent: record.notSent } : {}),
    ...(result.error ? { error: result.error } : {}),
  };
}

/**
 * `complete --json`: one shape whether or not a request was made. The engine may make none (the cursor inside a
 * word, a finished statement), and a script reading `.model` or `.usage.outputTokens` must not find the key gone:
 * every key is always there, null where there is nothing to say, `text` "" and `costUsd` 0 when nothing was sent.
 */
export function completionJson(result: RouteResult | undefined, text: string, notSentBecause?: string) {
  const none = {
    text,
    task: 'completion' as const,
    provider: null,
    model: null,
    requestedModel: null,
    usage: null,
    usageEstimated: false,
    costUsd: 0,
    // Always there for complete (one shape): null unless the record names how its cost was found.
    costSource: null as string | null,
    latencyMs: null,
    firstTokenMs: null,
    outcome: null,
    attempts: [],
    budgetAction: null,
    routing: null,
    notSent: null as 'setup' | null,
    error: null as string | null,
  };
  if (result) return { ...none, ...resultJson(result, text) };
  // Refused before the engine ran, the setup missing (no credentials, an empty route): said as ask --json says it.
  return notSentBecause === undefined ? none : { ...none, outcome: 'error' as const, notSent: 'setup' as const, error: notSentBecause };
}

/**
 * What the models before the answer came to, for a person at a terminal: "fell back after anthropic:claude-haiku-4-5
 * (anthropic is overloaded (529)); not asked: bedrock:us.amazon.nova-micro-v1:0 (no AWS credentials)". Said only
 * when a model was asked and failed: a route whose first models have no key (the default routes, for a user with
 * one provider's key) answers from the first usable one on every request, and a line each time would be noise
 * (`doctor` says which are out and why). The reasons are cut to their first clause; `--json` has them whole.
 */
export function fallbackLine(result: RouteResult): string | undefined {
  const { record } = result;
  if (record.outcome !== 'ok') return undefined;
  const failed = record.attempts.filter((attempt) => !attempt.skipped);
  if (failed.length === 0) return undefined;
  const notAsked = record.attempts.filter((attempt) => attempt.skipped);
  const failedWords = failed.map((attempt) => `${attempt.provider}:${attempt.model} (${attempt.error})`).join(', ');
  return `fell back after ${failedWords}${notAsked.length > 0 ? `; not asked: ${modelsByReason(notAsked, firstClause)}` : ''}`;
}

/**
 * The models not asked when none answered, with their whole reasons: what to set up is the way on ("not asked:
 * bedrock:us.amazon.nova-micro-v1:0 (no AWS credentials: set AWS_PROFILE, …)"). None when every model was not asked:
 * the refusal's own message says that case.
 */
export function notAskedLine(result: RouteResult): string | undefined {
  const { record } = result;
  if (record.outcome !== 'error') return undefined;
  const notAsked = record.attempts.filter((attempt) => attempt.skipped);
  if (notAsked.length === 0 || notAsked.length === record.attempts.length) return undefined;
  return `not asked: ${modelsByReason(notAsked, (reason) => reason)}`;
}

/** "bedrock:a, bedrock:b (no AWS credentials), gpu:llama3.1 (no gpu API key)": models sharing a reason named together. */
function modelsByReason(attempts: readonly FailedAttempt[], words: (reason: string) => string): string {
  const byReason = new Map<string, string[]>();
  for (const attempt of attempts) {
    const reason = words(attempt.error);
    byReason.set(reason, [...(byReason.get(reason) ?? []), `${attempt.provider}:${attempt.model}`]);
  }
  return [...byReason].map(([reason, models]) => `${models.join(', ')} (${reason})`).join(', ');
}

/** "no AWS credentials" of "no AWS credentials: set AWS_PROFILE, …". */
function firstClause(reason: string): string {
  return reason.split(/: |; /)[0] ?? reason;
}
