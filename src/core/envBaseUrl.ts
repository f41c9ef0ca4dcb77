import type { SwitchboardConfig } from './config';
import { isHttpUrl } from './urls';

/** The variable the OpenAI SDK reads for its server: the user's own environment, as OPENAI_API_KEY is. */
export const OPENAI_BASE_URL_ENV = 'OPENAI_BASE_URL' as const;

/**
 * OPENAI_BASE_URL, honoured by the CLI and the extension alike. It is the user's environment (their shell, their
 * launcher), never the workspace's: no file in a repository can set it, so it may choose the server as the
 * User setting may. What the user wrote in Switchboard's own configuration (the User setting, a --config file's
 * providers.openai.baseUrl), set or set wrong, comes first. A value that is not an http(s) URL leaves openai out
 * naming the variable, as a wrong setting does, rather than quietly sending requests (and the key) to
 * api.openai.com. The key rule (core/keyHost.ts) applies to the result as to a setting: the registry reads it.
 * `baseUrlFrom` tells the status bar and the log where the server came from.
 */
export function withEnvBaseUrl(config: SwitchboardConfig, env: NodeJS.ProcessEnv): SwitchboardConfig {
  const fromEnv = env[OPENAI_BASE_URL_ENV]?.trim();
  const openai = config.providers.openai;
  if (!fromEnv || openai.baseUrl !== '' || openai.invalidSetting) return config;
  const taken = isHttpUrl(fromEnv)
    ? { ...openai, baseUrl: fromEnv, baseUrlFrom: OPENAI_BASE_URL_ENV }
    : { ...openai, baseUrl: '', invalidSetting: OPENAI_BASE_URL_ENV };
  return { ...config, providers: { ...config.providers, openai: taken } };
}
