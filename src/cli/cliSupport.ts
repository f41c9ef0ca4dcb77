// What every CLI command shares: the IO it talks to, the error it exits with, its --config file and its ledger path.
// Reading input, opening the run's Switchboard, printing results and interruption each have a module of their own.
import { constants, existsSync, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { keyLines, lineOfKey } from './configLines';
import { configSlip } from './configSlips';
import { closestName } from './didYouMean';
import { JsoncError, parseJsonc, type ParsedJsonc } from './jsonc';
import { describeProblem, resolveConfig, SETTING_KEYS, type ConfigProblem, type SwitchboardConfig } from '../core/config';
import type { SettingNamer } from '../core/config/settingNamer';
import { PriceTable } from '../core/prices/priceTable';
import { incompletePriceOverrides, retiredRouteModels, unpricedRouteModels } from '../core/prices/priceWarnings';
import { resolveLedgerFile } from '../core/ledger/ledgerPath';
import type { LedgerWarningsOnce } from '../core/ledger/warningsOnce';
import { withAwsFilesOutsideWorkspace } from '../core/awsWorkspaceFiles';
import { withEnvBaseUrl } from '../core/envBaseUrl';

/** What the CLI talks to, injectable so tests run it in-process too. */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Aborts when nobody reads stdout any more (`switchboard ask ... | head`): the answer is no longer wanted. */
  stdoutClosed?: AbortSignal;
  /** Whether stderr is a terminal: a person is watching, so `ask` says which model answered and what it cost. */
  stderrIsTTY?: boolean;
  /** Whether stdout is a terminal, which obeys control sequences in the model's text (see terminalText.ts). */
  stdoutIsTTY?: boolean;
  /** Whether standard input is a shell pipe or a file, so it holds text meant to be read (see attachmentsToRead). */
  stdinPiped?: boolean;
  /** The ledger warnings this run has said (each line's once in a run): main gives every run a new one. */
  ledgerWarnings?: LedgerWarningsOnce;
}

/** A failure to report as one line on stderr, with its exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }
}

/** How the CLI reaches a local OpenAI-compatible server, which needs no key (its help and its no-provider error say it). */
export const LOCAL_SERVER_CONFIG =
  'OPENAI_BASE_URL=http://localhost:11434/v1 and its model (--model openai:llama3.1), or a --config file naming both, e.g. {"providers": {"openai": {"baseUrl": "http://localhost:11434/v1"}}, "routes": {"chat": ["openai:llama3.1"]}}';

/** Where a CLI user sets the ledger's path, first to last, as messages about the ledger name it. */
export const LEDGER_PATH_SOURCES = '--ledger, SWITCHBOARD_LEDGER or ledger.path';

/** The file `switchboard init` writes when none is named, in the working directory. */
export const DEFAULT_CONFIG_FILE = 'switchboard.jsonc';

/**
 * A setting as the CLI reads it: the key of the --config file given (`timeouts.firstTokenMs in team.jsonc`), or of one
 * to write when none was (the CLI has no settings editor; `switchboard init` writes a file).
 */
export function cliSettingName(configFile: string | undefined): SettingNamer {
  return (key) => `${key} in ${configFile ?? 'a --config file'}`;
}

/** Reads --config FILE: JSON with comments and trailing commas (JSONC), with the extension's setting keys minus `switchboard.`. */
export async function loadConfig(file: string | undefined, io: CliIO): Promise<SwitchboardConfig> {
  if (!file) {
    // Never read unless named: a file in the working directory may have come with a repository, and its routes
    // and servers are not the user's. But whoever just ran `switchboard init` and left --config out should hear why
    // their edits do nothing; nothing tells their file from a repository's, so the note says which one to name.
    if (existsSync(path.join(io.cwd, DEFAULT_CONFIG_FILE))) {
      io.stderr(`switchboard: note: ${DEFAULT_CONFIG_FILE} here is not read unless named (using the defaults): add --config ${DEFAULT_CONFIG_FILE} if you wrote it; one that came with a repository would choose your models and servers\n`);
    }
    return withAwsFilesOutsideWorkspace(withEnvBaseUrl(resolveConfig({}).config, io.env), io.env, [], io.cwd);
  }
  const full = path.resolve(io.cwd, file);
  let text: string;
  try {
    text = await readConfigText(full, file);
  } catch (error) {
    if (error instanceof CliError) throw error;
    // A first run's --config names the file the user meant to write (a typo of its name, or init not run yet).
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT' ? `; "switchboard init ${shellWord(file)}" writes a starter one there` : '';
    throw new CliError(`cannot read config file ${file}: ${readFailure(error)}${missing}`);
  }
  // Editors on Windows save UTF-8 with a byte order mark, which JSON.parse refuses.
  text = text.replace(/^\uFEFF/, '');
  let parsed: ParsedJsonc;
  try {
    // JSONC, as VS Code's settings.json: a user's settings pasted with their comments must load.
    parsed = parseJsonc(text);
  } catch (error) {
    if (!(error instanceof JsoncError)) throw error;
    // `touch switchboard.jsonc` (or a file of comments only): "expected a value" would not say what to write.
    if (/^\s*$/.test(blankedComments(text))) {
      throw new CliError(`${file}: config file holds no settings (it is empty${text.trim() ? ' but for comments' : ''}): write {} in it for the defaults, or remove it and run "switchboard init" for a starter file`);
    }
    // `file:line:column:`, as compilers say it: editors and terminals turn it into a link to the place.
    throw new CliError(`${file}:${error.line}:${error.column}: config file is not valid JSON (comments and trailing commas are fine): ${error.reason}`);
  }
  const raw = parsed.value;
  text = parsed.plain;
  // The editor's settings are never null; a file that holds only `null`, a list or a string has no settings at all.
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    const line = text.slice(0, text.search(/\S/)).split('\n').length;
    throw new CliError(`${file}:${line}: must be a JSON object of settings ({"routes": …}), not ${kindOf(raw)}`);
  }
  // JSON lets a later key replace an earlier one; the half of the settings so replaced would do nothing unsaid.
  if (parsed.duplicates.length > 0) {
    throw new CliError(
      parsed.duplicates
        .map((duplicate) => `${file}:${duplicate.line}:${duplicate.column}: ${duplicate.key}: is written twice (first on line ${duplicate.firstLine}); the later would replace the earlier: merge them into one`)
        .join('\nswitchboard: '),
    );
  }
  const { config: resolved, problems } = resolveConfig(raw, `${file}: `);
  problems.unshift(...unknownKeys(raw).map((problem) => ({ ...problem, key: `${file}: ${problem.key}` })));
  const prices = new PriceTable(resolved.prices);
  problems.push(...incompletePriceOverrides(prices, `${file}: `));
  // The ledger is appended to: a config file handed around with a repository could name ~/.bashrc or a login
  // script not yet made, and a line holding a server's error text would then run in the user's next shell. A
  // file of the config must be a ledger by its name; --ledger and SWITCHBOARD_LEDGER are the user's own.
  if (resolved.ledger.path && !/\.jsonl$/i.test(resolved.ledger.path)) {
    problems.push({ key: `${file}: ledger.path`, message: `${JSON.stringify(resolved.ledger.path)} is not a .jsonl file (name a ledger file ending in .jsonl, or use --ledger)` });
  }
  // `file:line: key`: the problems name the key; the line finds it in a long file.
  const lines = keyLines(text);
  const located = (problem: ConfigProblem): ConfigProblem => {
    const key = problem.key.slice(`${file}: `.length);
    const line = problem.key.startsWith(`${file}: `) ? lineOfKey(lines, key) : undefined;
    return line === undefined ? problem : { ...problem, key: `${file}:${line}: ${key}` };
  };
  // The editor warns and carries on; a script is better told at once.
  // One line per problem, each prefixed as the first is, so none reads as a stray line. Each message ends with
  // what the editor does meanwhile ("; using the default", "; skipped"); the CLI runs nothing, so that part goes.
  if (problems.length > 0) {
    throw new CliError(problems.map((problem) => describeProblem({ ...located(problem), message: problem.message.replace(/; [^;]*$/, '') })).join('\nswitchboard: '));
  }
  // AWS_CONFIG_FILE=.aws/config would be the file of each repository the command runs in (awsWorkspaceFiles.ts).
  const config = withAwsFilesOutsideWorkspace(withEnvBaseUrl(resolved, io.env), io.env, [], io.cwd);
  // A model past its deprecation date may still answer, and one the price table does not know may be newer than it:
  // said, not refused.
  for (const warning of [...retiredRouteModels(config, prices, `${file}: `), ...unpricedRouteModels(config, prices, `${file}: `, cliSettingName(file))]) {
    io.stderr(`switchboard: warning: ${describeProblem(located(warning))}\n`);
  }
  return config;
}

/**
 * Keys that name no setting. The editor's settings schema flags these; a
 * config file has none, and a misspelt key would otherwise be ignored without
 * a word. Both the nested form and dotted keys (`"routes.chat"`) are accepted.
 */
function unknownKeys(raw: unknown, prefix = ''): ConfigProblem[] {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return [];
  const problems: ConfigProblem[] = [];
  for (const [name, value] of Object.entries(raw)) {
    const key = prefix ? `${prefix}.${name}` : name;
    if ((SETTING_KEYS as string[]).includes(key)) continue;
    if (!SETTING_KEYS.some((setting) => setting.startsWith(`${key}.`))) {
      const slip = configSlip(key, isSettingOrSection);
      if (slip) {
        problems.push({ key, message: slip });
        continue;
      }
      // The fix is most often a letter away (`provider`, `baseURL`): named, as an unknown flag's is.
      const nearest = closestName(name, namesUnder(prefix)) ?? withUnit(name, namesUnder(prefix));
      problems.push({ key, message: `is not a Switchboard setting${nearest ? ` (did you mean "${prefix ? `${prefix}.` : ''}${nearest}"?)` : ''}` });
    } else if (value && typeof value === 'object' && !Array.isArray(value)) {
      problems.push(...unknownKeys(value, key));
    } else {
      // `"auto": true` means `"auto": {"enabled": true}`: said, where the section has such a switch.
      const meant = typeof value === 'boolean' && SETTING_KEYS.includes(`${key}.enabled` as (typeof SETTING_KEYS)[number]) ? ` (write {"enabled": ${value}})` : '';
      problems.push({ key, message: `must be an object of settings, not ${kindOf(value)}${meant}` });
    }
  }
  return problems;
}

/** Whether a dotted key is a setting (`routes.chat`) or a section holding some (`routes`). */
function isSettingOrSection(key: string): boolean {
  return SETTING_KEYS.some((setting) => setting === key || setting.startsWith(`${key}.`));
}

/**
 * The one name that is `name` with its unit after it: `budget.daily` → `dailyUsd`, `timeouts.firstToken` →
 * `firstTokenMs`. Too many letters short for the typo check, and the likeliest slip of someone writing a file by hand.
 */
function withUnit(name: string, names: readonly string[]): string | undefined {
  const typed = name.toLowerCase();
  const longer = names.filter((candidate) => candidate.length > typed.length && candidate.toLowerCase().startsWith(typed) && /^[A-Z]/.test(candidate.slice(typed.length)));
  return longer.length === 1 ? longer[0] : undefined;
}

/** The names a key may have under `prefix` (the top level when empty): `providers` → openai, anthropic, bedrock, custom. */
function namesUnder(prefix: string): string[] {
  const start = prefix ? `${prefix}.` : '';
  return [...new Set(SETTING_KEYS.filter((setting) => setting.startsWith(start)).map((setting) => setting.slice(start.length).split('.')[0]!))];
}

/**
 * A settings file is a few kilobytes; one of many megabytes is the wrong file (a log, a dump, a ledger), and reading
 * it whole would only make the CLI slow to say so, or run it out of memory.
 */
export const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

/**
 * The --config file's text, refused past MAX_CONFIG_BYTES without reading further. Opened without blocking and
 * refused unless a regular file: a named pipe opened to read waits for a writer, so `--config` naming one hung with
 * no word; a socket, a device or a folder holds no settings either.
 */
async function readConfigText(full: string, file: string): Promise<string> {
  const handle = await open(full, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const kind = notRegular(await handle.stat());
    if (kind) throw new CliError(`config file ${file} is ${kind}: --config names a regular file of settings ("switchboard init" writes one)`);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const { bytesRead, buffer } = await handle.read(Buffer.alloc(64 * 1024), 0, 64 * 1024, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > MAX_CONFIG_BYTES) {
        const size = (await handle.stat()).size;
        const shown = size > total ? `${(size / 1024 / 1024).toFixed(1)} MB` : `over ${MAX_CONFIG_BYTES / 1024 / 1024} MB`;
        throw new CliError(`config file ${file} is ${shown}, and a config file is at most ${MAX_CONFIG_BYTES / 1024 / 1024} MB: is it the right file? ("switchboard init" writes a starter one)`);
      }
      chunks.push(buffer.subarray(0, bytesRead));
    }
    return Buffer.concat(chunks).toString('utf8');
  } finally {
    await handle.close();
  }
}

/** What a config path is when it is no regular file, in words; undefined for one. */
function notRegular(found: Stats): string | undefined {
  if (found.isFile()) return undefined;
  if (found.isDirectory()) return 'a directory, not a file';
  if (found.isFIFO()) return 'a named pipe (FIFO), not a regular file';
  if (found.isSocket()) return 'a socket, not a regular file';
  if (found.isCharacterDevice() || found.isBlockDevice()) return 'a device, not a regular file';
  return 'not a regular file';
}

/** The text with its comments blanked, to tell a file of comments only from one that is not JSON. */
function blankedComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, ' ');
}

/** What a JSON value is, in words, for a message that says what was found instead of an object. */
function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list ([…])';
  return typeof value === 'string' ? 'a string' : typeof value === 'number' ? 'a number' : 'true or false';
}

/** The ledger of this run: --ledger (relative to the working directory), SWITCHBOARD_LEDGER, the config's ledger.path, the default. */
export async function cliLedgerPath(flag: string | undefined, config: SwitchboardConfig, io: CliIO): Promise<string> {
  const { path: file, problem } = await resolveLedgerFile({ flag, cwd: io.cwd, env: io.env, setting: config.ledger.path });
  if (problem) throw new CliError(problem);
  return file;
}

/** Why a file named on the command line could not be read: in words, with the code for searching. */
export function readFailure(error: unknown): string {
  const { code } = error as NodeJS.ErrnoException;
  const words = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : undefined;
  if (words) return `${words} (${code})`;
  return code ?? (error as Error).message;
}

export function rejectExtraArguments(rest: string[], command: string): void {
  if (rest.length > 0) throw new CliError(`unexpected argument "${rest[0]}" for ${command}`);
}

/** The path as a shell word, to copy into the next command: quoted when it holds anything a shell would read. */
export function shellWord(file: string): string {
  return /^[\w./~+-]+$/.test(file) && !file.startsWith('~') ? file : `'${file.replaceAll("'", `'\\''`)}'`;
}
