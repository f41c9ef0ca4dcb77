import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * `OPENAI_BASE_URL=http://localhost:11434/v1 npm start` with no other provider: the routes' default models
 * (gpt-5.4-nano, gpt-5.4, gpt-5.5) are OpenAI's, which a local server does not serve, so every request would
 * end in "model not found". The sandbox asks the server which models it has (GET /models, as Ollama, LM Studio,
 * vLLM and llama.cpp answer it) and routes every task to the first one that is not an embedding model.
 */

/** The OpenAI models of the default routes (src/core/config.ts): a server listing one of them needs no change. */
export const DEFAULT_OPENAI_MODELS = ['gpt-5.4-nano', 'gpt-5.4', 'gpt-5.5'];

/** Model ids whose names say they only embed text: they cannot complete or chat. */
const EMBEDDING = /embed/i;

/**
 * The User settings that route every task to the server's first chat-capable model, and that model; `servesDefaults`
 * when the server lists a default route's model (OpenAI itself, or a proxy in front of it); else why not.
 *
 * @param {string} baseUrl the OpenAI-compatible base URL, ending in /v1
 * @param {{ apiKey?: string, timeoutMs?: number }} [options]
 * @returns {Promise<{ model: string, settings: Record<string, string[]> } | { servesDefaults: true } | { problem: string }>}
 */
export async function localServerRoutes(baseUrl, options = {}) {
  const url = `${baseUrl.replace(/\/+$/, '')}/models`;
  let ids;
  try {
    const response = await fetch(url, {
      headers: options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {},
      signal: AbortSignal.timeout(options.timeoutMs ?? 5_000),
    });
    if (!response.ok) return { problem: `${url} answered HTTP ${response.status}` };
    const body = await response.json();
    ids = Array.isArray(body?.data) ? body.data.map((entry) => entry?.id).filter((id) => typeof id === 'string' && id !== '') : [];
  } catch (error) {
    return { problem: `${url} could not be read (${error instanceof Error ? error.message : String(error)})` };
  }
  if (ids.some((id) => DEFAULT_OPENAI_MODELS.includes(id))) return { servesDefaults: true };
  const model = ids.find((id) => !EMBEDDING.test(id));
  if (!model) return { problem: `${url} lists no model that can chat${ids.length ? ` (only ${ids.join(', ')})` : ''}` };
  const ref = `openai:${model}`;
  return { model, settings: { 'switchboard.routes.completion': [ref], 'switchboard.routes.chat': [ref], 'switchboard.routes.plan': [ref] } };
}

/**
 * The sandbox keeps its User settings between starts, so routes written for a local server would still name its
 * model after a start with a key or with the simulated providers (and be sent to api.openai.com). It notes what it
 * wrote in the state folder; a start that does not route to the local server drops those settings again, back to
 * the defaults. Returns the settings to merge: the routes to write, or the noted ones set to undefined (left out
 * of settings.json).
 *
 * @param {string} stateDir the sandbox's state folder
 * @param {Record<string, string[]> | undefined} routes this start's local-server routes, if any
 * @returns {Record<string, string[] | undefined>}
 */
export function localRoutesSettings(stateDir, routes) {
  const note = path.join(stateDir, 'local-server-routes.json');
  if (routes) {
    mkdirSync(stateDir, { recursive: true });
    writeFileSync(note, `${JSON.stringify(routes)}\n`);
    return routes;
  }
  let noted;
  try {
    noted = JSON.parse(readFileSync(note, 'utf8'));
  } catch {
    return {};
  }
  rmSync(note, { force: true });
  return Object.fromEntries(Object.keys(noted).map((key) => [key, undefined]));
}
