import { mkdir, open, readFile, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { formatUsd } from '../core/cost';
import { keyLines, lineOfKey } from './configLines';
import { describeProblem, resolveConfig, SETTING_KEYS, type ConfigProblem, type SwitchboardConfig } from '../core/config';
import { PriceTable } from '../core/prices/priceTable';
import { incompletePriceOverrides, retiredRouteModels, unpricedRouteModels } from '../core/prices/priceWarnings';
import { openLedgerFile, resolveLedgerFile } from '../core/ledger/ledgerPath';
import { LedgerReadError } from '../core/ledger/scan';
import { writeFailureReason } from '../core/ledger/writer';
import { Switchboard } from '../core/switchboard';
import { withEnvBaseUrl } from '../core/envBaseUrl';
import { KEY_HOME } from '../core/keyHost';
import type { RouteResult } from '../core/router';

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

/**
 * Why a request failed, for its one line on stderr. With no provider usable at all, the router's error names each
 * model's missing key; a first run with a local server in mind learns there the way that needs no key.
 */
export function failureMessage(result: RouteResult, switchboard: Switchboard, fallback: string): string {
  const error = result.error ?? fallback;
  const { registry } = switchboard;
  // A server of the user's own answering 404 for an openai: model mostly does not serve it (the default routes name
  // OpenAI's models): the command that lists what it serves, and the routes to it, is the way on.
  const server = switchboard.currentConfig.providers.openai.baseUrl;
  const openaiNotFound = [...result.record.attempts, { provider: result.record.provider, error }].some((attempt) => attempt.provider === 'openai' && /\(404\)/.test(attempt.error));
  if (server && !server.includes(`//${KEY_HOME.openai}`) && openaiNotFound) return `${error}; "switchboard models" lists the models ${server} serves and the routes to them`;
  if (registry.anyUsable() || registry.invalidSettingReasons().length > 0) return error;
  return `${error}; or, with no key, a local OpenAI-compatible server: ${LOCAL_SERVER_CONFIG}`;
}

/** Reads --config FILE: JSON with the extension's setting keys minus `switchboard.`. */
export async function loadConfig(file: string | undefined, io: CliIO): Promise<SwitchboardConfig> {
  if (!file) return withEnvBaseUrl(resolveConfig({}).config, io.env);
  const full = path.resolve(io.cwd, file);
  let text: string;
  try {
    text = await readFile(full, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read config file ${file}: ${readFailure(error)}`);
  }
  let raw: unknown;
  // Editors on Windows save UTF-8 with a byte order mark, which JSON.parse refuses.
  text = text.replace(/^\uFEFF/, '');
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new CliError(`config file ${file} is not valid JSON: ${(error as Error).message}`);
  }
  // The editor's settings are never null; a file that holds only `null` has no settings at all, which is a mistake.
  if (raw === null) throw new CliError(`${file}: must be a JSON object`);
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
  const config = withEnvBaseUrl(resolved, io.env);
  // A model past its deprecation date may still answer, and one the price table does not know may be newer than it:
  // said, not refused.
  for (const warning of [...retiredRouteModels(config, prices, `${file}: `), ...unpricedRouteModels(config, prices, `${file}: `)]) {
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
      problems.push({ key, message: 'is not a Switchboard setting' });
    } else if (value && typeof value === 'object' && !Array.isArray(value)) {
      problems.push(...unknownKeys(value, key));
    } else {
      problems.push({ key, message: 'must be an object' });
    }
  }
  return problems;
}

/** The ledger of this run: --ledger (relative to the working directory), SWITCHBOARD_LEDGER, the config's ledger.path, the default. */
export async function cliLedgerPath(flag: string | undefined, config: SwitchboardConfig, io: CliIO): Promise<string> {
  const { path: file, problem } = await resolveLedgerFile({ flag, cwd: io.cwd, env: io.env, setting: config.ledger.path });
  if (problem) throw new CliError(problem);
  return file;
}

/**
 * Opens the ledger for appending, creating it and its folder as the writer
 * would, before any request is sent. The editor keeps a record it cannot
 * write and writes it later; a CLI run ends right after its request, so a
 * ledger it cannot write would lose the record of a request already paid for.
 */
async function checkLedgerWritable(file: string): Promise<void> {
  try {
    await mkdir(path.dirname(file), { recursive: true });
    // As the writer opens it: never waiting on a path that became a named pipe since it was resolved.
    await (await openLedgerFile(file, 'append')).close();
  } catch (error) {
    throw new CliError(`cannot write the ledger ${file}: ${writeFailureReason(error, '--ledger, SWITCHBOARD_LEDGER or ledger.path')}; nothing was sent, since its record could not be kept`);
  }
}

export async function openSwitchboard(config: SwitchboardConfig, ledger: string | undefined, io: CliIO): Promise<Switchboard> {
  const ledgerPath = await cliLedgerPath(ledger, config, io);
  await checkLedgerWritable(ledgerPath);
  const switchboard = await Switchboard.create({
    config,
    source: 'cli',
    env: io.env,
    ledgerPath,
    onLedgerError: (error) => io.stderr(`switchboard: warning: ${error.message}\n`),
    // The warning above no longer holds: said, so a script reading stderr does not take the record for lost.
    onLedgerRecovered: (message) => io.stderr(`switchboard: ${message}\n`),
    onEvent: (event) => {
      if (event.type === 'attempt-failed' && event.error.kind === 'auth') {
        // The error's own words: a refused key (401), access denied (403) and no AWS credentials at all read differently.
        io.stderr(`switchboard: ${event.error.message}; the route's next model, if any, is tried\n`);
      }
    },
  });
  // Each CLI run is a new process: the month's spend must come from the ledger
  // (other runs and the editor write there too), or the budget never binds.
  // The router reads what others append meanwhile before each request.
  if (switchboard.budget.gate.active()) {
    let warnings: string[];
    try {
      warnings = await switchboard.loadToday();
    } catch (error) {
      // A limit that cannot be checked is not a limit: refuse rather than spend blind.
      if (error instanceof LedgerReadError) throw new CliError(`${error.message}; the budget cannot be checked`);
      throw error;
    }
    for (const warning of warnings) io.stderr(`switchboard: warning: ${warning}\n`);
  }
  return switchboard;
}

/**
 * Ends a run's Switchboard: writes what is held and closes connections. A
 * record the ledger still refuses (the disk filled up mid-run) would die with
 * the process: it goes to stderr, whole, to be appended by hand.
 */
export async function closeSwitchboard(switchboard: Switchboard, io: CliIO): Promise<void> {
  await switchboard.dispose();
  // A try that was still queued behind the flush settles first: a record it writes is not lost.
  await switchboard.ledger.flush();
  const lines = switchboard.ledger.unwrittenLines();
  if (lines.length === 0) return;
  const them = lines.length === 1 ? 'its record' : `their ${lines.length} records`;
  io.stderr(`switchboard: warning: this run ends before the ledger ${switchboard.ledgerPath} could be written; ${them} (append to the ledger by hand to keep):\n${lines.join('\n')}\n`);
}

/**
 * What a budget past its limit let through (`budget.action` `warn` or `downgrade`), in words. The editor says so
 * in its status bar; a script's run has nothing else to say it, and the next one would be refused under `block`.
 */
export function budgetWarning(result: RouteResult, switchboard: Switchboard): string | undefined {
  const { budgetAction: action, provider, model } = result.record;
  if (action !== 'warn' && action !== 'downgrade') return undefined;
  const status = switchboard.budget.gate.mostPressing();
  const reached = status ? `${status.limit.label} reached: ${formatUsd(status.spentUsd)} spent of ${formatUsd(status.limit.limitUsd)}` : 'a budget is reached';
  const how = action === 'warn' ? 'sent anyway' : `sent to the route's cheapest model only, ${provider}:${model}`;
  return `${reached}; ${how}, as budget.action is "${action}"`;
}

/**
 * "anthropic:claude-haiku-4-5 (cheap tier), 1,204 in / 310 out tokens, $0.0021, 2.4 s": what the chat panel's
 * footer says under an answer, for a person at a terminal (scripts have --json).
 */
export function answerFooter(result: RouteResult): string {
  const { record } = result;
  const tier = record.routing?.tier ? ` (${record.routing.tier} tier)` : '';
  const input = record.usage.inputTokens + record.usage.cacheReadTokens + record.usage.cacheWriteTokens;
  const tokens = `${input.toLocaleString('en-US')} in / ${record.usage.outputTokens.toLocaleString('en-US')} out tokens${record.usageEstimated ? ' (estimated)' : ''}`;
  return `${record.provider}:${record.model}${tier}, ${tokens}, ${formatUsd(record.costUsd)}, ${(record.latencyMs / 1000).toFixed(1)} s`;
}

/** The JSON object printed by `ask --json` and `complete --json`. */
export function resultJson(result: RouteResult, text = result.text) {
  const { record } = result;
  return {
    text,
    task: record.task,
    provider: record.provider,
    model: record.model,
    requestedModel: record.requestedModel,
    usage: record.usage,
    usageEstimated: record.usageEstimated,
    costUsd: record.costUsd,
    latencyMs: record.latencyMs,
    firstTokenMs: record.firstTokenMs,
    outcome: record.outcome,
    attempts: record.attempts,
    ...(record.budgetAction ? { budgetAction: record.budgetAction } : {}),
    ...(record.routing ? { routing: record.routing } : {}),
    ...(result.error ? { error: result.error } : {}),
  };
}

/**
 * The start of a file named by a flag (`--file`, `--attach`): at most
 * `maxBytes`, with the file's full size. A file that cannot be read is a
 * CliError naming the flag and the file.
 */
export async function readFileStart(name: string, flag: string, io: CliIO, maxBytes: number): Promise<{ path: string; size: number; bytes: Buffer }> {
  const file = path.resolve(io.cwd, name);
  try {
    const handle = await open(file, 'r');
    try {
      const info = await handle.stat();
      if (!info.isFile()) return { path: file, ...(await readUpTo(handle, maxBytes)) };
      const { size } = info;
      const { bytesRead, buffer } = await handle.read(Buffer.alloc(Math.min(size, maxBytes)), 0, Math.min(size, maxBytes), 0);
      return { path: file, size, bytes: buffer.subarray(0, bytesRead) };
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw new CliError(`cannot read ${flag} ${name}: ${readFailure(error)}`);
  }
}

/**
 * A pipe (`--attach <(git diff)`) or device has no size to read by: it is read to its end, or one byte past
 * `maxBytes` so that `size` says it was longer (its stat size is 0, which attached it empty).
 */
async function readUpTo(handle: FileHandle, maxBytes: number): Promise<{ size: number; bytes: Buffer }> {
  const chunks: Buffer[] = [];
  let size = 0;
  while (size <= maxBytes) {
    const { bytesRead, buffer } = await handle.read(Buffer.alloc(Math.min(64 * 1024, maxBytes + 1 - size)), 0, Math.min(64 * 1024, maxBytes + 1 - size), null);
    if (bytesRead === 0) break;
    chunks.push(buffer.subarray(0, bytesRead));
    size += bytesRead;
  }
  return { size, bytes: Buffer.concat(chunks).subarray(0, maxBytes) };
}

/** Why a file named on the command line could not be read: in words, with the code for searching. */
function readFailure(error: unknown): string {
  const { code } = error as NodeJS.ErrnoException;
  const words = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : undefined;
  if (words) return `${words} (${code})`;
  return code ?? (error as Error).message;
}

/** A NUL byte near the start: not text. */
export function looksBinary(bytes: Buffer): boolean {
  return bytes.subarray(0, 8000).includes(0);
}

/** The prompt from standard input (PROMPT `-`, or none given with input piped in). */
export async function readStdin(io: CliIO): Promise<string> {
  return decodeText(await readStdinBytes(io, 'the prompt'), 'standard input', io);
}

/** Standard input to its end; `what` it is for, said when it is a terminal. */
export async function readStdinBytes(io: CliIO, what: string): Promise<Buffer> {
  // `ask -` typed in a terminal would otherwise sit waiting, saying nothing.
  if (io.stdin.isTTY) io.stderr(`switchboard: reading ${what} from the terminal; end it with Ctrl-D on a line of its own (Ctrl-Z, Enter on Windows)\n`);
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks);
}

/**
 * `bytes` as UTF-8 text. Bytes that are not UTF-8 (a Latin-1 file, a pipe from a tool in a legacy code page)
 * become U+FFFD, as the decoder always made them; the user is told, or "café" reaches the model as "caf�"
 * without a word. `cut`: the bytes stop at a limit, maybe inside a character, which is no fault of the text.
 */
export function decodeText(bytes: Buffer, source: string, io: CliIO, cut = false): string {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: cut });
  } catch {
    io.stderr(`switchboard: warning: ${source} is not UTF-8 text; each byte that is not was sent as U+FFFD (convert it first, e.g. iconv -f latin1 -t utf-8)\n`);
  }
  return bytes.toString('utf8');
}

/**
 * Signals that end a run before its answer is in, and the exit code each
 * gives (128 + its number, as shells report it). Ctrl+C is not the only one:
 * `timeout`, `kill`, a CI job cancelled or a terminal closed send the others,
 * and a request the provider has begun to bill must still reach the ledger.
 */
const INTERRUPTS = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;

export interface Interruption {
  /** Aborts on any of the signals, or when nobody reads stdout any more. */
  signal: AbortSignal;
  /** The exit code for a cancelled run: the signal's, or 130 when stdout closed. */
  exitCode(): number;
  dispose(): void;
}

/** Listens for the end of a run (signals, stdout closed) until disposed, instead of letting a signal kill the process mid-request. */
export function listenForInterruption(io: CliIO): Interruption {
  const controller = new AbortController();
  let code = 130;
  const handlers = Object.entries(INTERRUPTS).map(([name, exitCode]) => {
    const handler = () => {
      if (!controller.signal.aborted) code = exitCode;
      controller.abort();
    };
    // Once: a second Ctrl+C ends the process at once, should the cancel itself hang.
    process.once(name, handler);
    return [name, handler] as const;
  });
  const onClosed = () => controller.abort();
  io.stdoutClosed?.addEventListener('abort', onClosed, { once: true });
  return {
    signal: controller.signal,
    exitCode: () => code,
    dispose: () => {
      for (const [name, handler] of handlers) process.removeListener(name, handler);
      io.stdoutClosed?.removeEventListener('abort', onClosed);
    },
  };
}

export function rejectExtraArguments(rest: string[], command: string): void {
  if (rest.length > 0) throw new CliError(`unexpected argument "${rest[0]}" for ${command}`);
}
