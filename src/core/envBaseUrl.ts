import type { SwitchboardConfig } from './config';
import { isHttpUrl } from './urls';
import { openAiServerUrlProblem } from './requestPathUrl';
import { redactUrl } from './redactUrl';

/** The variable the OpenAI SDK reads for its server: the user's own environment, as OPENAI_API_KEY is. */
export const OPENAI_BASE_URL_ENV = 'OPENAI_BASE_URL' as const;

/**
 * Whether an OPENAI_BASE_URL the user has not confirmed may be used, asked per exact address. Given only where the
 * environment may not be the user's own: in a dev container or Codespace the extension host's environment comes from
 * the repository's `.devcontainer/devcontainer.json` (`remoteEnv`, `containerEnv`), so a cloned repository could
 * choose where prompts and code go. `waiting`: not answered yet; `declined`: the user said no.
 */
export type EnvBaseUrlConsent = (url: string) => 'use' | 'waiting' | 'declined';

/**
 * OPENAI_BASE_URL, honoured by the CLI and the extension alike. On a desktop window and in the CLI it is the user's
 * environment (their shell, their launcher): no file in a repository can set it, so it may choose the server as the
 * User setting may. Where it may come from a repository (a remote window: `consent` given), it counts only once the
 * user confirmed that address; until then, or when declined, openai is left out (`unconfirmedBaseUrl`), never sent to
 * api.openai.com in its place (and, as for any server in a remote window, a loopback address there is the remote's,
 * core/remoteWindow.ts). What the user wrote in Switchboard's own configuration (the
 * User setting, a --config file's providers.openai.baseUrl), set or set wrong, comes first. A value that is not an
 * http(s) URL leaves openai out naming the variable, as a wrong setting does, rather than quietly sending requests
 * (and the key) to api.openai.com. The key rule (core/keyHost.ts) applies to the result as to a setting: the
 * registry reads it. `baseUrlFrom` tells the status bar and the log where the server came from.
 */
export function withEnvBaseUrl(config: SwitchboardConfig, env: NodeJS.ProcessEnv, consent?: EnvBaseUrlConsent): SwitchboardConfig {
  const fromEnv = env[OPENAI_BASE_URL_ENV]?.trim();
  const openai = config.providers.openai;
  if (!fromEnv || openai.baseUrl !== '' || openai.invalidSetting) return config;
  // An Azure deployment's URL, or one ending in a request's path, is refused as a setting's is (core/requestPathUrl.ts), before any question about it.
  const pasted = isHttpUrl(fromEnv) ? openAiServerUrlProblem(fromEnv, 'openai') : undefined;
  const answer = isHttpUrl(fromEnv) && !pasted ? (consent?.(fromEnv) ?? 'use') : undefined;
  const taken =
    answer === undefined
      ? { ...openai, baseUrl: '', invalidSetting: OPENAI_BASE_URL_ENV, ...(pasted ? { invalidProblem: pasted } : {}) }
      : answer !== 'use'
        ? { ...openai, baseUrl: '', unconfirmedBaseUrl: { url: fromEnv, declined: answer === 'declined' } }
        : { ...openai, baseUrl: fromEnv, baseUrlFrom: OPENAI_BASE_URL_ENV };
  return { ...config, providers: { ...config.providers, openai: taken } };
}

/** Why openai is out while the environment's server waits for the user's answer, or after they declined it. */
export function unconfirmedBaseUrlReason(unconfirmed: { url: string; declined: boolean }): string {
  const state = unconfirmed.declined ? 'you declined it' : 'waiting for your answer to Switchboard\'s question';
  // Shown as is in the status bar's tooltip and Check Setup: a gateway's password or ?key= is masked (redactUrl.ts).
  return `${OPENAI_BASE_URL_ENV} (${redactUrl(unconfirmed.url)}) comes from this remote window's environment, which the repository's dev container configuration can set: nothing goes to openai until you confirm that address (${state}; Reload Window asks again, or set switchboard.providers.openai.baseUrl in your User settings)`;
}

/**
 * The OPENAI_BASE_URL server Use a Local Server's offer may ask for its models, when it is the one in effect: no
 * User setting (`userBaseUrl` empty), the variable an http(s) URL, and, where the environment may be a repository's
 * (`confirmed` given: a remote window), an address the user confirmed. An unconfirmed one gets no request at all,
 * not even the model listing: that request too would go where the repository chose.
 */
export function offerableEnvServer(env: NodeJS.ProcessEnv, userBaseUrl: string, confirmed?: (url: string) => boolean): string | undefined {
  const fromEnv = env[OPENAI_BASE_URL_ENV]?.trim();
  if (userBaseUrl !== '' || !fromEnv || !isHttpUrl(fromEnv)) return undefined;
  return !confirmed || confirmed(fromEnv) ? fromEnv : undefined;
}
