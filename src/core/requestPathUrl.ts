/**
 * A server address pasted with the path of one request on its end: `http://localhost:11434/v1/chat/completions`, as
 * a server's docs show it in a curl line, or `…/v1/models` from checking the listing. The SDK adds that path itself,
 * so every request went to `…/chat/completions/chat/completions` and was answered 404, which said nothing of the
 * address. Such an address is refused with the one to write, as an Azure deployment's URL is (azureDeploymentUrl.ts).
 * Browser-safe.
 */
import { azureDeploymentUrlProblem } from './azureDeploymentUrl';
import { redactUrl } from './redactUrl';

/** The request paths of the OpenAI dialect, as the SDK appends them to its base (which ends in `/v1`). */
const OPENAI_REQUEST_PATH = /\/(chat\/completions|completions|responses|embeddings|models)\/*$/;
/** Anthropic's SDK appends `/v1/messages` to a base with no `/v1`. */
const ANTHROPIC_REQUEST_PATH = /\/v1\/messages(\/count_tokens)?\/*$/;

/**
 * What is wrong with `url` as the base address of a server speaking `dialect` when it ends in a request's path, with
 * the address to write; else undefined. The address said keeps no password (it is shown and logged).
 */
export function requestPathProblem(url: string, dialect: 'openai' | 'anthropic'): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const match = (dialect === 'openai' ? OPENAI_REQUEST_PATH : ANTHROPIC_REQUEST_PATH).exec(parsed.pathname);
  if (!match) return undefined;
  const pasted = match[0].replace(/\/+$/, '');
  parsed.pathname = parsed.pathname.slice(0, match.index) || '/';
  const base = redactUrl(parsed.toString().replace(/\/(?=$|[?#])/, ''));
  const adds = dialect === 'openai' ? 'the OpenAI SDK adds it to each request itself' : "Anthropic's SDK adds it to each request itself";
  return `ends in ${pasted}, the path of one request: ${adds}, so write the address before it, "${base}"`;
}

/**
 * What is wrong with an OpenAI-compatible server's address pasted as users paste them (an Azure deployment's URL, a
 * request's path on its end), with what to write; else undefined. `provider` names the model prefix Azure's advice uses.
 */
export function openAiServerUrlProblem(url: string, provider: string): string | undefined {
  return azureDeploymentUrlProblem(url, provider) ?? requestPathProblem(url, 'openai');
}
