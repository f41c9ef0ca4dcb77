// `switchboard init`: the CLI has no settings editor, so its first hour starts with a --config file to edit. This
// writes one with comments (src/cli/starterConfig.ts), never over an existing file, and says what to do next.
import { redactUrl } from '../core/redactUrl';
import { lstat, open, rm } from 'node:fs/promises';
import path from 'node:path';
import { findApiKey } from '../core/credentials';
import { listServerModels, localRoute, suggestLocalRoutes } from '../core/localModels';
import { TASKS, type Task } from '../core/types';
import { isHttpUrl } from '../core/urls';
import { openAiServerUrlProblem } from '../core/requestPathUrl';
import type { CliOptions } from './cliOptions';
// DEFAULT_CONFIG_FILE: the file goes beside the user when none is named, as `tsc --init` writes tsconfig.json.
import { CliError, DEFAULT_CONFIG_FILE, shellWord, type CliIO } from './cliSupport';
import { URL_LEFT_OUT, urlWord } from './urlWord';
import { starterConfigText, type StarterOptions } from './starterConfig';

export async function initCommand(options: CliOptions, positionals: string[], io: CliIO): Promise<number> {
  if (positionals.length > 1) throw new CliError(`init writes one file (got "${positionals.join('", "')}")`);
  if (positionals.length === 1 && options.config !== undefined) {
    throw new CliError(`init was given two files to write, "${positionals[0]}" and --config "${options.config}"; give one`);
  }
  // `init --config FILE` too: the file is the one every later command's --config names.
  const file = positionals[0] ?? options.config ?? DEFAULT_CONFIG_FILE;
  const baseUrl = options['base-url']?.trim();
  if (baseUrl !== undefined && !isHttpUrl(baseUrl)) throw new CliError(`--base-url "${redactUrl(baseUrl)}" is not an http(s) URL (e.g. --base-url http://localhost:11434/v1)`);
  // Written into the file, an Azure deployment's URL or one ending in a request's path would leave openai out at every later command (core/requestPathUrl.ts).
  const pasted = baseUrl !== undefined ? openAiServerUrlProblem(baseUrl, 'openai') : undefined;
  if (pasted) throw new CliError(`--base-url ${pasted}`);

  const full = path.resolve(io.cwd, file);
  // Named again as typed, so the way to another file keeps the server: `init --base-url URL FILE`.
  // A URL holding credentials is not printed back whole: the line names URL instead.
  const holdsCredentials = baseUrl !== undefined && redactUrl(baseUrl) !== baseUrl;
  const url = baseUrl === undefined || holdsCredentials ? undefined : urlWord(baseUrl);
  const leftOut = holdsCredentials ? 'left out of the line since it holds credentials' : URL_LEFT_OUT;
  const anotherFile =
    baseUrl === undefined ? 'switchboard init FILE' : url ? `switchboard init --base-url ${url} FILE` : `switchboard init --base-url URL FILE, URL being the --base-url you gave, ${leftOut}`;
  // Before the server is asked: a file that is there would be refused after the wait, or after the server is mended.
  if (await lstat(full).then(() => true, () => false)) throw new CliError(alreadyExists(file, anotherFile));
  const starter: StarterOptions = baseUrl === undefined ? {} : { local: await localServer(baseUrl, io) };
  // The file holds the URL as given (the config's baseUrl must, for the requests to carry it): a file holding
  // credentials is created 0600, as the ledger and the other files Switchboard keeps secrets near.
  await writeNew(full, file, starterConfigText(starter), anotherFile, holdsCredentials ? PRIVATE_FILE_MODE : undefined);

  const shown = shellWord(file);
  const next = starter.local
    ? [
        `Wrote ${full}: routes to ${redactUrl(starter.local.baseUrl)}'s models (${TASKS.map((task) => `${task}: ${starter.local!.routes[task].join(', ')}`).join('; ')}), with comments; ${holdsCredentials ? `${credentialsWritten()}; no other key in it` : 'no key in it'}.`,
        'Next:',
        `  switchboard doctor --config ${shown}     checks the server answers (sends no prompt)`,
        `  switchboard ask --config ${shown} "Explain what a Bloom filter is"`,
      ]
    : [
        `Wrote ${full}: the default routes and the settings you may want first, with comments; no key in it.`,
        'Next:',
        '  1. A provider: export OPENAI_API_KEY=… or ANTHROPIC_API_KEY=…, or AWS credentials for Bedrock (AWS_PROFILE);',
        `     or a local server (Ollama, LM Studio): switchboard init --base-url http://localhost:11434/v1 OTHER_FILE`,
        `  2. switchboard doctor --config ${shown}     checks each provider and route (sends no prompt)`,
        `  3. switchboard ask --config ${shown} "Explain what a Bloom filter is"`,
      ];
  io.stdout(`${next.join('\n')}\n`);
  return 0;
}

/**
 * The server's models and routes to them, as `switchboard models` suggests them: each task's route is the server's
 * model alone (the file is new, so there is no route of the user's to keep fallbacks from). Nothing is written when
 * the server cannot be read: a file routed to models nobody saw would fail on the first request.
 */
async function localServer(baseUrl: string, io: CliIO): Promise<NonNullable<StarterOptions['local']>> {
  const apiKey = await findApiKey('openai', io.env);
  const listed = await listServerModels(baseUrl, { ...(apiKey ? { apiKey } : {}), asker: 'cli' });
  if ('problem' in listed) throw new CliError(`could not read the models of ${redactUrl(baseUrl)}: ${listed.problem}; nothing written (drop --base-url for a starter file without a server)`, 1);
  const suggested = suggestLocalRoutes(listed.ids);
  if (!suggested) throw new CliError(`${listed.url} lists no model that can chat (${listed.ids.length} listed); pull or load a chat model in the server and run this again; nothing written`, 1);
  const routes = Object.fromEntries(TASKS.map((task) => [task, localRoute([], suggested[task], listed.ids).route])) as Record<Task, string[]>;
  return { baseUrl, routes };
}

/** Owner read and write only: what a file holding the --base-url's credentials is created with. */
const PRIVATE_FILE_MODE = 0o600;

/**
 * What the line says of a --base-url holding credentials (`user:pass@`, `?api-key=`): they are in the file, and how
 * it is kept. Windows has no such mode bits (Node applies only the read-only flag), so there the line says so.
 */
function credentialsWritten(): string {
  const kept =
    process.platform === 'win32'
      ? '; keep it private (on Windows it takes its folder\'s permissions)'
      : ', so it was created readable and writable by you alone (mode 0600)';
  return `the credentials in the --base-url are written in it as you gave them${kept}`;
}

function alreadyExists(typed: string, anotherFile: string): string {
  return `${typed} already exists; not overwritten (edit it, remove it first, or name another file: ${anotherFile})`;
}

/** Creates `full` with `text` (with `mode` when given, else 0666 less the umask); an existing file (or a link, even a dangling one) is never replaced. */
async function writeNew(full: string, typed: string, text: string, anotherFile: string, mode?: number): Promise<void> {
  let handle;
  try {
    // 'wx' is O_CREAT|O_EXCL: the check and the creation are one step, so nothing made in between is overwritten;
    // the mode is set in that same step, so the file is never readable by others, not even for a moment.
    handle = await open(full, 'wx', mode);
  } catch (error) {
    const { code } = error as NodeJS.ErrnoException;
    if (code === 'EEXIST') throw new CliError(alreadyExists(typed, anotherFile));
    if (code === 'ENOENT') throw new CliError(`cannot write ${typed}: its folder ${path.dirname(full)} does not exist`);
    if (code === 'EACCES' || code === 'EPERM') throw new CliError(`cannot write ${typed}: permission denied (${code})`);
    if (code === 'EISDIR') throw new CliError(`cannot write ${typed}: it is a directory`);
    throw new CliError(`cannot write ${typed}: ${code ?? (error as Error).message}`);
  }
  try {
    await handle.writeFile(text, 'utf8');
  } catch (error) {
    // A half-written file would be refused on the next try as "already exists", and would not load either.
    await handle.close();
    await rm(full, { force: true });
    throw new CliError(`cannot write ${typed}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}; nothing kept`, 1);
  }
  await handle.close();
}
