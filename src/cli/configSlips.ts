import { closestName } from './didYouMean';

/**
 * Keys a new user writes in a --config file that are no typo, so "did you mean" cannot find them: each gets the
 * sentence that says where the thing they meant lives. Keys the settings do name never reach here.
 */

/** The built-in providers whose key comes from one environment variable. */
const KEY_VARIABLES: Record<string, string> = { openai: 'OPENAI_API_KEY', anthropic: 'ANTHROPIC_API_KEY' };

/** Names a key to the provider's account goes by in other tools' config files. */
const KEY_NAMES = new Set(['apikey', 'api_key', 'api-key', 'key', 'token', 'secret', 'accesskeyid', 'secretaccesskey', 'aws_access_key_id', 'aws_secret_access_key']);

/** Local servers people name as providers: each speaks OpenAI's API, which is the `openai` provider's `baseUrl`. */
const OPENAI_COMPATIBLE = new Set(['ollama', 'lmstudio', 'lm-studio', 'lm_studio', 'vllm', 'llamacpp', 'llama.cpp', 'llama-cpp', 'localai', 'openrouter', 'litellm', 'local']);

/**
 * Why `key` (dotted, as the file nests it) is not a setting, when the reason is one of these slips:
 * - VS Code's own name, `switchboard.routes.chat`, pasted from settings.json (the file's keys have no `switchboard.`);
 * - an API key written into the file (never read from it: keys come from the environment);
 * - a local server named as a provider of its own (`providers.ollama`).
 * `isSetting` says whether a dotted key is a setting or a section of settings.
 */
export function configSlip(key: string, isSetting: (key: string) => boolean): string | undefined {
  const withoutPrefix = key.replace(/^switchboard\./, '');
  if (key === 'switchboard') return 'the settings go at the top of the file, without a "switchboard" object around them ({"routes": …}, not {"switchboard": {"routes": …}})';
  if (withoutPrefix !== key && isSetting(withoutPrefix)) return `is VS Code's name for the setting, and a --config file's keys have no "switchboard." (write "${withoutPrefix}")`;
  const provider = /^providers\.([^.]+)(?:\.(.+))?$/.exec(key);
  if (!provider) return undefined;
  const [, id, rest] = provider;
  if (rest !== undefined && KEY_NAMES.has(rest.toLowerCase())) {
    const variable = KEY_VARIABLES[id!];
    if (variable) return `no key is read from a config file (it is shared, and may be committed): set ${variable} in the environment`;
    if (id === 'bedrock') return 'no key is read from a config file: Bedrock uses the AWS credential chain (AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), or providers.bedrock.profile';
  }
  // A typo of one (`olama`) is that slip too: "did you mean providers.ollama" would send the user to a key that is no setting either.
  const server = rest === undefined ? (OPENAI_COMPATIBLE.has(id!.toLowerCase()) ? id : closestName(id!, [...OPENAI_COMPATIBLE])) : undefined;
  if (server !== undefined) {
    const read = server === id ? '' : ` (read as "${server}")`;
    return `is not a provider${read}: a server speaking OpenAI's API (Ollama, LM Studio, vLLM, OpenRouter) is the openai provider's: set "providers.openai.baseUrl" to its address, e.g. http://localhost:11434/v1 ("switchboard models --base-url URL" lists its models)`;
  }
  return undefined;
}
