import { KEY_HOME } from '../core/keyHost';
import type { ProviderRegistry } from '../core/providerRegistry';
import type { RouteResult } from '../core/router';
import { PROVIDER_WAYS } from '../shared/providerSetup';

export type KeyFix = { kind: 'allowHost'; host: string } | { kind: 'setKey' };

/**
 * What fixes a request that failed for a key: a provider that takes one (OpenAI, Anthropic) was tried or skipped
 * and is now out for its key. Kept back from its host (keyHost.ts): allowing that host, since a new key would be
 * kept back too. Refused with a 401, or none set: a key. Out for an invalid endpoint setting, or not for a key at
 * all: undefined. No `vscode` here: the unit tests run it on a real registry after a real request.
 */
export function keyFixFor(result: Pick<RouteResult, 'record'>, registry: Pick<ProviderRegistry, 'status'>): KeyFix | undefined {
  const out = (result.record.attempts ?? [])
    .filter(({ provider }) => Object.hasOwn(KEY_HOME, provider))
    .map(({ provider }) => registry.status(provider))
    .filter((status) => status !== undefined && !status.usable && !status.invalidSetting);
  const host = out.find((status) => status?.withheldKeyHost)?.withheldKeyHost;
  if (host) return { kind: 'allowHost', host };
  return out.length > 0 ? { kind: 'setKey' } : undefined;
}

/** The button that applies a fix, in the words of the notice that kept a key back ("Allow for gpu-box"). */
export function keyFixLabel(fix: KeyFix): string {
  return fix.kind === 'allowHost' ? `Allow for ${fix.host}` : PROVIDER_WAYS.setKey;
}

/** The failure notification's button that runs Check Setup; labelled with the command's title. */
export const CHECK_SETUP = 'Check Setup';

/**
 * The buttons of the notification after an Ask or Plan failed. Check Setup first when a provider that can be used
 * was asked and did not answer (a local server not running, a model its server does not list): it asks every
 * provider and says which answers and why not. The key fix beside it when a provider is out for its key: with the
 * default routes a local server's failure comes with Anthropic skipped for want of a key, and the server is what the
 * user set up. Only the key fix for a key that was refused or missing. The log alone says what happened, not what
 * to do.
 */
export function failureActions(result: Pick<RouteResult, 'record'>, registry: Pick<ProviderRegistry, 'status'>, fix: KeyFix | undefined): string[] {
  const unanswered = (result.record.attempts ?? []).some(({ provider, skipped }) => !skipped && registry.status(provider)?.usable === true);
  return [...(unanswered || !fix ? [CHECK_SETUP] : []), ...(fix ? [keyFixLabel(fix)] : []), 'Open Log'];
}
