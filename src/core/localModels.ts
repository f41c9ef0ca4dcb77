/**
 * A local OpenAI-compatible server (Ollama, LM Studio, vLLM, llama.cpp) serves its own models, not the OpenAI
 * models the default routes name, so every request to it would end in "model not found". These ask the server
 * which models it has (GET /models, which all of them answer in OpenAI's list format) and suggest routes to them.
 * No `vscode` here: the extension's offer uses them, and a unit test runs them against a fake server.
 */
import { DEFAULT_ROUTES } from './config/defaults';
import { isDeprecated, SHIPPED_PRICES } from './prices/priceTable';
import type { Task } from './types';
import { withApiPath } from './urls';
import { redactSecrets } from './redact';
import { redactUrl } from './redactUrl';
import { splitUrlCredentials } from './providers/urlCredentials';
import { allowKeyHow, keyDestination, withheldKeyWords, type KeyAsker } from './keyHost';
import { errorWords } from './providers/errorWords';
import { cleanDetail, saysKeyRefused } from './providers/sdkErrors';

/** `url` is the models address as shown: its credentials masked (redactUrl.ts). */
export type ServerModels = { ids: string[]; url: string } | { problem: string; url: string };

/** Long enough for a server that is loading, short enough that the offer does not come long after the setting. */
const MODEL_LIST_TIMEOUT_MS = 5_000;

/** What a model id may hold: letters, digits and `._:/@+-`, at most 200 of them. */
const MODEL_ID = /^[A-Za-z0-9._:/@+-]{1,200}$/;

/** At most this many ids are kept: a gateway lists hundreds, and a quick pick of them all helps nobody. */
const MAX_MODELS = 200;

/**
 * The most of a /models reply that is read. A gateway's full list with its metadata is a megabyte or two; a
 * server that sends more (or never stops) would otherwise be buffered whole in the extension host or the CLI.
 */
const MAX_MODEL_LIST_BYTES = 8 * 1024 * 1024;

/**
 * The server's model ids, or why there are none (naming the URL asked). `apiKey`: the OpenAI key, sent as its
 * Bearer key only where every request's would go (core/keyHost.ts: this machine, OpenAI's own host, or a host in
 * `sendKeyTo`); a LAN server is asked without it, as it will be for chat.
 */
export async function listServerModels(
  baseUrl: string,
  options: { apiKey?: string; sendKeyTo?: readonly string[]; timeoutMs?: number; asker?: KeyAsker; remoteLoopback?: boolean } = {},
): Promise<ServerModels> {
  // Credentials in the address go as a Basic header, which fetch would refuse in the URL (providers/urlCredentials.ts).
  const { url: bare, authorization } = splitUrlCredentials(baseUrl.trim());
  const url = modelsUrl(bare);
  // The address as said to the user (a problem, the CLI's line, a notification): its credentials masked.
  const shown = redactUrl(modelsUrl(baseUrl.trim()));
  const destination = keyDestination('openai', baseUrl.trim(), options.sendKeyTo ?? [], { remoteLoopback: options.remoteLoopback === true });
  const apiKey = options.apiKey && destination.send ? options.apiKey : undefined;
  const asker = options.asker ?? 'editor';
  // A refusal after a key was held back is not fixed by a new key: the way out is allowing the host. One after the
  // key was sent is: "set OPENAI_API_KEY" would send a user whose key is set (but wrong) looking for nothing.
  const keyWay = asker === 'editor' ? 'Switchboard: Set API Key… for OpenAI' : 'OPENAI_API_KEY';
  const keyHint =
    options.apiKey && !destination.send
      ? `${withheldKeyWords('openai', destination.host)}; ${allowKeyHow('openai', destination.host, asker)}`
      : apiKey
        ? `it refused the API key sent: check the key (${keyWay})`
        : asker === 'editor'
          ? `it wants an API key: ${keyWay}`
          : `it wants an API key: set ${keyWay}`;
  const timeoutMs = options.timeoutMs ?? MODEL_LIST_TIMEOUT_MS;
  let body: unknown;
  try {
    const response = await fetch(url, {
      // The proxy's credentials take the one Authorization header, as in the adapter (providers/openai.ts).
      headers: authorization ? { authorization } : apiKey ? { authorization: `Bearer ${apiKey}` } : {},
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'error',
    });
    if (!response.ok) {
      // A 403 after the key was sent is a permission as often as a key: its body says which (authRefusal).
      const refusal = apiKey && response.status === 403 ? await authRefusal(response, apiKey) : undefined;
      if (!refusal) await response.body?.cancel();
      const hint =
        response.status === 404
          ? ` (does the URL end in /v1?${withApiPath(baseUrl) ? ` try ${withApiPath(baseUrl)}` : ''})`
          : refusal && !saysKeyRefused(403, refusal.words, refusal.code)
            ? ` (it denied access${refusal.code ? ` (${refusal.code})` : ''}: ${refusal.words ?? 'a permission the key lacks, not a refused key'})`
            : response.status === 401 && authorization
              ? ' (it refused the user name and password written in the URL: check them)'
              : response.status === 401 || response.status === 403
              ? ` (${keyHint})`
              : '';
      return { url: shown, problem: `${shown} answered HTTP ${response.status}${hint}` };
    }
    const text = await boundedText(response, MAX_MODEL_LIST_BYTES);
    if (text === undefined) return { url: shown, problem: `${shown} answered with more than ${MAX_MODEL_LIST_BYTES / 1024 / 1024} MB: not a model list Switchboard reads` };
    body = JSON.parse(text);
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    if (timedOut) return { url: shown, problem: `${shown} did not answer within ${timeoutMs / 1000} s (is the server running?)` };
    if (error instanceof SyntaxError) return { url: shown, problem: `${shown} did not answer with JSON (is it an OpenAI-compatible server, and does the URL end in /v1?)` };
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : error instanceof Error ? error.message : String(error);
    return { url: shown, problem: `${shown} could not be reached (${redactSecrets(cause)}; is the server running?)` };
  }
  const data = (body as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) return { url: shown, problem: `${shown} answered without a model list (no "data" array)` };
  // Ids come from the network and end up in settings, notifications and quick picks, where `[x](command:…)` is a
  // link and `$(icon)` an icon: only the characters model ids use (Ollama's name:tag, LM Studio's and vLLM's
  // org/name, llama.cpp's file names) are kept.
  const ids = data.map((entry) => (entry as { id?: unknown } | null)?.id).filter((id): id is string => typeof id === 'string' && MODEL_ID.test(id));
  const unique = [...new Set(ids)].slice(0, MAX_MODELS);
  if (unique.length === 0) return { url: shown, problem: `${shown} lists no models (pull or load one in the server first)` };
  return { url: shown, ids: unique };
}

/** The body as text, or undefined (the rest left unread) once it passes `limit` bytes. */
async function boundedText(response: Response, limit: number): Promise<string | undefined> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The most of an error body read for its words: an error is a line or two, a proxy's page is said as a page. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;

/** The code and words of a refusal's body (OpenAI's `{error: {code, type, message}}` and the other shapes errorWords reads). */
async function authRefusal(response: Response, apiKey: string): Promise<{ code?: string; words?: string }> {
  const text = await boundedText(response, MAX_ERROR_BODY_BYTES).catch(() => undefined);
  if (text === undefined) return {};
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: the text itself, unless it is a web page (a proxy's), which says nothing quotable.
    if (/^\s*<(!doctype|html|head|body|\?xml)\b/i.test(text)) return {};
  }
  const error = typeof body === 'object' && body !== null ? (body as { error?: unknown }).error : undefined;
  const fields = typeof error === 'object' && error !== null ? (error as { code?: unknown; type?: unknown }) : {};
  const code = typeof fields.code === 'string' ? fields.code : typeof fields.type === 'string' ? fields.type : undefined;
  const words = errorWords(body);
  // A server may echo the key it was sent: masked, as every provider error is.
  return { ...(code && { code: cleanDetail(code, apiKey) }), ...(words && { words: cleanDetail(words, apiKey) }) };
}

/**
 * Names that say a model only embeds, reranks or transcribes: it cannot complete code or chat. Besides the words, the
 * embedding families whose names say none of them, as Ollama and LM Studio list them: BGE (`bge-m3`), MiniLM
 * (`all-minilm`), E5 (`multilingual-e5-large`, `e5-mistral-7b-instruct`), GTE (`gte-qwen2-7b-instruct`) and the
 * sentence-transformers models (`paraphrase-multilingual`).
 */
const NOT_GENERATIVE = /embed|rerank|whisper|\btts\b|moderation|(?:^|[^a-z0-9])(?:bge|e5|gte)-|minilm|paraphrase-|sentence-t5/i;
/** Names that say a model was trained for code: the better pick for inline completions. */
const CODER = /cod(?:er|e|estral)|starcoder|deepseek-coder/i;
/** Names that say a model is small (fast enough for ghost text): mini/tiny/small, or 4 billion parameters or fewer. */
const SMALL = /mini|tiny|small|nano|(?:^|[^\d.])(?:0?\.\d+|[1-4](?:\.\d+)?)b\b/i;

/** The models of `ids` that can answer (not embedding and the like). */
export function generativeModels(ids: readonly string[]): string[] {
  return ids.filter((id) => !NOT_GENERATIVE.test(id));
}

/**
 * The suggested model per task, or undefined when none can answer. Each task gets a model of its tier, as the
 * default routes do: inline completions a cheap, fast one; chat and plan a strong one (a plan is the hardest ask).
 *
 * A model the shipped price table knows (a gateway, or OpenAI's own API, listing gpt-5.4-nano beside gpt-5.5) is
 * placed by its list price (modelTiers): the default route's own model for the task if the server lists it, else
 * for completions the cheapest of the cheap tier, for chat the cheapest of the strong tier and for plan the
 * dearest of it. The rest go by their names (a local server's models have no price): chat and plan the first
 * model not named small (servers list the one the user pulled or loaded first, or their default); completions a
 * coder model (a small one first), else a small model, else the chat model.
 */
export function suggestLocalRoutes(ids: readonly string[]): Record<Task, string> | undefined {
  const usable = generativeModels(ids);
  if (usable.length === 0) return undefined;
  const byName = usable.find((id) => !SMALL.test(id)) ?? usable[0]!;
  const coders = usable.filter((id) => CODER.test(id));
  const completionByName = coders.find((id) => SMALL.test(id)) ?? coders[0] ?? usable.find((id) => SMALL.test(id)) ?? byName;
  const tiers = modelTiers(usable);
  const chat = defaultRouteModel('chat', usable) ?? tiers.strong[0] ?? byName;
  return {
    completion: defaultRouteModel('completion', usable) ?? tiers.cheap[0] ?? completionByName,
    chat,
    plan: defaultRouteModel('plan', usable) ?? tiers.strong.at(-1) ?? chat,
  };
}

/** The first model of `task`'s default route that `usable` (a server's, routed as `openai:`) lists. */
function defaultRouteModel(task: Task, usable: readonly string[]): string | undefined {
  const listed = new Set(usable);
  return DEFAULT_ROUTES[task].map((ref) => (ref.startsWith('openai:') ? ref.slice('openai:'.length) : '')).find((id) => listed.has(id));
}

/** A model's output price per million tokens in the shipped table, or undefined when unpriced or being retired. */
function listPrice(ref: string): number | undefined {
  const price = SHIPPED_PRICES.models[ref];
  return price && !isDeprecated(price) ? price.output : undefined;
}

/**
 * The tiers' bounds, from the default routes' own models: the cheap tier costs no more than the dearest model of the
 * completion route (claude-haiku-4-5), the strong tier at least the cheapest of the chat and plan routes
 * (claude-sonnet-5). A model between the two (gpt-5.6-luna) is in neither.
 */
function tierBounds(): { cheapAtMost: number; strongFrom: number } {
  const prices = (task: Task) => DEFAULT_ROUTES[task].map(listPrice).filter((price): price is number => price !== undefined);
  return { cheapAtMost: Math.max(...prices('completion')), strongFrom: Math.min(...prices('chat'), ...prices('plan')) };
}

/** The priced models of `usable` in each tier, cheapest first. */
function modelTiers(usable: readonly string[]): { cheap: string[]; strong: string[] } {
  const { cheapAtMost, strongFrom } = tierBounds();
  const priced = usable
    .map((id) => ({ id, price: listPrice(`openai:${id}`) }))
    .filter((model): model is { id: string; price: number } => model.price !== undefined)
    .sort((a, b) => a.price - b.price);
  return { cheap: priced.filter(({ price }) => price <= cheapAtMost).map(({ id }) => id), strong: priced.filter(({ price }) => price >= strongFrom).map(({ id }) => id) };
}

/**
 * The tasks whose route names no model the server lists (`openai:` refs are the ones it would be asked for):
 * these would fail on it; a task that already names one of its models is the user's choice and left alone.
 */
export function tasksNeedingLocalModels(routes: Record<Task, readonly string[]>, ids: readonly string[]): Task[] {
  const served = new Set(ids.map((id) => `openai:${id}`));
  return (Object.keys(routes) as Task[]).filter((task) => !routes[task].some((ref) => served.has(ref)));
}

/** A route rewritten to a server's model: what is written, and which of the user's fallbacks stayed or went. */
export interface LocalRoute {
  route: string[];
  /** The user's own entries kept after the picked model, in their order. */
  kept: string[];
  /** `openai:` entries the server does not list: with openai now pointed at it, they could only fail ("model not found"). */
  dropped: string[];
}

/**
 * `model` first, then the user's own fallbacks that can still work: another provider's models (asked at their own
 * host, if it has credentials) and the server's other models. An `openai:` model the server does not list would
 * now be asked of the server, which would answer "model not found": dropped, and said.
 */
export function localRoute(userRoute: readonly string[], model: string, served: readonly string[]): LocalRoute {
  const picked = `openai:${model}`;
  const servedRefs = new Set(served.map((id) => `openai:${id}`));
  const kept: string[] = [];
  const dropped: string[] = [];
  for (const ref of new Set(userRoute)) {
    if (ref === picked) continue;
    if (ref.startsWith('openai:') && !servedRefs.has(ref)) dropped.push(ref);
    else kept.push(ref);
  }
  return { route: [picked, ...kept], kept, dropped };
}

/** `/models` under the server's path, before any query it has (`…/openai/v1?api-version=preview` → `…/openai/v1/models?api-version=preview`). */
function modelsUrl(baseUrl: string): string {
  const query = baseUrl.search(/[?#]/);
  const path = query < 0 ? baseUrl : baseUrl.slice(0, query);
  return `${path.replace(/\/+$/, '')}/models${query < 0 ? '' : baseUrl.slice(query)}`;
}
