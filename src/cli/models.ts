import { findApiKey } from '../core/credentials';
import { redactUrl, URL_SECRET_MASK } from '../core/redactUrl';
import { formatModelRef } from '../core/modelRef';
import { DEFAULT_ROUTES } from '../core/config';
import { generativeModels, listServerModels, localRoute, suggestLocalRoutes, tasksNeedingLocalModels } from '../core/localModels';
import type { Task } from '../core/types';
import { isHttpUrl } from '../core/urls';
import { openAiServerUrlProblem } from '../core/requestPathUrl';
import type { CliOptions } from './cliOptions';
import { CliError, loadConfig, type CliIO } from './cliSupport';

const TASKS: Task[] = ['completion', 'chat', 'plan'];

/**
 * `switchboard models`: asks a local OpenAI-compatible server (Ollama, LM Studio, vLLM, llama.cpp) for its models,
 * as the editor's "Use a Local Server…" does, and prints the routes that would use them: the default routes name
 * OpenAI's models, which such a server answers "model not found". Writes nothing; the printed --config file (or
 * the editor's User settings) is the user's to keep. The server: --base-url, else the --config file's
 * providers.openai.baseUrl, else OPENAI_BASE_URL. The OpenAI key (OPENAI_API_KEY) follows the key rule
 * (core/keyHost.ts): sent to this machine and api.openai.com, elsewhere only to a host in providers.openai.sendKeyTo.
 */
export async function modelsCommand(options: CliOptions, positionals: string[], io: CliIO): Promise<number> {
  if (positionals.length > 0) throw new CliError(`models takes no PROMPT (got "${positionals.join(' ')}"); give the server with --base-url URL`);
  const config = await loadConfig(options.config, io);
  const flag = options['base-url']?.trim();
  if (flag !== undefined && !isHttpUrl(flag)) throw new CliError(`--base-url "${redactUrl(flag)}" is not an http(s) URL (e.g. --base-url http://localhost:11434/v1)`);
  // An Azure deployment's URL lists no models and is no server to route to; one ending in a request's path lists none either (core/requestPathUrl.ts).
  const pasted = flag !== undefined ? openAiServerUrlProblem(flag, 'openai') : undefined;
  if (pasted) throw new CliError(`--base-url ${pasted}`);
  const { openai } = config.providers;
  if (flag === undefined && openai.invalidSetting) {
    throw new CliError(`${openai.invalidSetting} ${openai.invalidProblem ?? 'is not an http(s) URL'}; fix it, or give the server with --base-url http://localhost:11434/v1`);
  }
  const baseUrl = flag ?? openai.baseUrl;
  if (!baseUrl) {
    throw new CliError(
      'no server to ask: give --base-url (Ollama http://localhost:11434/v1, LM Studio http://localhost:1234/v1, vLLM http://localhost:8000/v1, llama.cpp http://localhost:8080/v1), or set OPENAI_BASE_URL or a --config file\'s providers.openai.baseUrl',
    );
  }
  const apiKey = await findApiKey('openai', io.env);
  const listed = await listServerModels(baseUrl, { ...(apiKey ? { apiKey } : {}), sendKeyTo: openai.sendKeyTo, asker: 'cli' });
  if ('problem' in listed) {
    // Whatever the server said is quoted, and the terminal-safe stderr keeps its control characters out.
    io.stderr(`switchboard: could not read the models of ${redactUrl(baseUrl)}: ${listed.problem}\n`);
    return 1;
  }
  const suggested = suggestLocalRoutes(listed.ids);
  const routes = Object.fromEntries(TASKS.map((task) => [task, config.routes[task].map(formatModelRef)])) as Record<Task, string[]>;
  const needing = tasksNeedingLocalModels(routes, listed.ids);
  // As the editor does: the fallbacks the user wrote stay after the server's model unless they name an OpenAI model
  // the server lacks; a default route's cloud models were nobody's choice and are not kept (core/localModels.ts).
  const written = suggested && needing.map((task) => ({ task, ...localRoute(isDefaultRoute(task, routes[task]) ? [] : routes[task], suggested[task], listed.ids) }));
  const suggestedRoutes = written && Object.fromEntries(written.map(({ task, route }) => [task, route]));
  if (options.json) {
    io.stdout(`${JSON.stringify({ url: listed.url, models: listed.ids, generative: generativeModels(listed.ids), routesNamingNone: needing, suggestedRoutes: suggestedRoutes ?? null })}\n`);
    return 0;
  }
  const generative = new Set(generativeModels(listed.ids));
  io.stdout(`${listed.url} lists ${listed.ids.length} model${listed.ids.length === 1 ? '' : 's'}:\n`);
  for (const id of listed.ids) io.stdout(`  ${id}${generative.has(id) ? '' : '  (embedding, reranking or speech: cannot chat)'}\n`);
  if (!suggested) {
    io.stdout('None of them can chat: pull or load a chat model in the server, then run this again.\n');
    return 1;
  }
  if (needing.length === 0) {
    io.stdout('Every route already names one of its models; nothing to change.\n');
    return 0;
  }
  // The editor's wording (Use a Local Server…), and a --config file to use it from here.
  io.stdout(`Your routes for ${needing.join(', ')} name none of them ("model not found" on this server). Suggested:\n`);
  for (const { task, route, dropped } of written!) {
    io.stdout(`  ${task.padEnd(10)} ${route.join(', ')}${dropped.length ? `  (${dropped.join(', ')} dropped: not on this server)` : ''}\n`);
  }
  // Printed, so the address's credentials stay masked. The mask is left where each one was (user info, ?api-key=,
  // #key=) rather than cut out, so the user sees what goes where; and is told so, as the file pasted unchanged
  // would send the mask as the credential.
  const shownUrl = redactUrl(baseUrl);
  const file = { providers: { openai: { baseUrl: shownUrl } }, routes: suggestedRoutes };
  io.stdout(`As a --config file: ${JSON.stringify(file)}\n`);
  if (shownUrl !== baseUrl) {
    io.stdout(`  Its providers.openai.baseUrl has the server address's credentials masked as ${URL_SECRET_MASK}: put yours back in their place in the file before using it.\n`);
  }
  io.stdout('In VS Code: Switchboard: Use a Local Server… writes them to your User settings (switchboard.routes.*).\n');
  return 0;
}

/** The route is the default one, written by nobody. */
function isDefaultRoute(task: Task, route: readonly string[]): boolean {
  return route.length === DEFAULT_ROUTES[task].length && route.every((ref, index) => ref === DEFAULT_ROUTES[task][index]);
}
