import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * `OPENAI_BASE_URL=http://localhost:11434/v1 npm start` with no other provider: the routes' default models
 * (gpt-5.4-nano, gpt-5.4, gpt-5.5) are OpenAI's, which a local server does not serve, so every request would
 * end in "model not found". The sandbox asks the server which models it has through the product itself, the
 * built CLI's `switchboard models --json` (the core's listing, suggestion and key rule: what Use a Local Server…
 * offers in the editor), and writes the routes it suggests; it keeps no choice of its own.
 */

/**
 * The User settings for the routes that name none of the server's models, from `switchboard models`; `servesDefaults`
 * when every route already names one (OpenAI itself, or a proxy in front of it); else why not, in the CLI's words.
 *
 * @param {string} baseUrl the OpenAI-compatible base URL, ending in /v1
 * @param {{ cli: string, apiKey?: string }} options cli: the built dist/cli.js; apiKey: OPENAI_API_KEY, sent under the key rule
 * @returns {Promise<{ routes: Record<string, string[]>, settings: Record<string, string[]> } | { servesDefaults: true } | { problem: string }>}
 */
export async function localServerRoutes(baseUrl, options) {
  // Only what the CLI needs: no other provider's key, no config; the routes it reads are the defaults, as the sandbox's are.
  const env = { PATH: process.env.PATH ?? '', ...(options.apiKey ? { OPENAI_API_KEY: options.apiKey } : {}) };
  const run = await new Promise((resolve) => {
    execFile(process.execPath, [options.cli, 'models', '--base-url', baseUrl, '--json'], { env, timeout: 30_000 }, (error, stdout, stderr) => resolve({ error, stdout, stderr }));
  });
  if (run.error) return { problem: run.stderr.trim().replace(/^switchboard: /, '') || String(run.error.message) };
  const listed = JSON.parse(run.stdout);
  if (listed.routesNamingNone.length === 0) return { servesDefaults: true };
  if (!listed.suggestedRoutes) return { problem: `${listed.url} lists no model that can chat (only ${listed.models.join(', ')})` };
  const settings = Object.fromEntries(Object.entries(listed.suggestedRoutes).map(([task, route]) => [`switchboard.routes.${task}`, route]));
  return { routes: listed.suggestedRoutes, settings };
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
