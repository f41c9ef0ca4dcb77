import { constants, type Stats } from 'node:fs';
import { open, readdir, stat, type FileHandle } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { quoted } from '../words';

/**
 * Where the ledger lives, decided in one place for the editor and the CLI.
 *
 * Precedence: the CLI's --ledger, then $SWITCHBOARD_LEDGER, then the
 * `ledger.path` setting (or --config key), then the per-user default.
 *
 * Relative paths: --ledger is a command-line argument and, like every path on
 * a command line, is relative to the working directory. $SWITCHBOARD_LEDGER
 * and `ledger.path` are read by processes with different working directories
 * (an extension host's is not the user's), so a relative one would put each
 * process's records in a different file: they must be absolute (`~/` is the
 * home folder), and a relative one is refused with a message naming it.
 */

export interface LedgerPathSources {
  /** The CLI's --ledger, as typed. */
  flag?: string;
  /** What --ledger is relative to. */
  cwd?: string;
  env?: Readonly<Record<string, string | undefined>>;
  /** `ledger.path` of the settings or --config, already checked by ledgerPathProblem. */
  setting?: string;
  /** The setting's name where the user sets it, for messages: `ledger.path` (--config) by default. */
  settingName?: string;
  platform?: NodeJS.Platform;
  home?: string;
}

export interface ResolvedLedgerPath {
  path: string;
  /** A value that was refused, and why: shown to the user; the next source was used. */
  problem?: string;
}

export function resolveLedgerPath(sources: LedgerPathSources): ResolvedLedgerPath {
  return pick(candidates(sources), () => undefined);
}

/**
 * resolveLedgerPath, also refusing a path that exists but is not a regular
 * file (a named pipe, a device, a socket, a folder), as any other refused
 * value: opening a named pipe waits for a writer, so reading it would hang,
 * and every window and run would wait on it. Checked with stat, which opens
 * nothing. --ledger is never passed over: its problem is returned with it.
 */
export async function resolveLedgerFile(sources: LedgerPathSources): Promise<ResolvedLedgerPath> {
  const found = candidates(sources);
  const kinds = new Map<string, string | undefined>();
  for (const candidate of found) if (!candidate.refused) kinds.set(candidate.path, await notARegularFile(candidate.path));
  return pick(found, (candidate) => {
    const kind = kinds.get(candidate.path);
    return kind && `"${candidate.path}" is ${kind}; give the path of a ledger file (or of one to create)`;
  });
}

interface Candidate {
  /** What the user set, as they know it: --ledger, SWITCHBOARD_LEDGER, the setting. */
  name: string;
  path: string;
  refused?: string;
  /** The per-user default, or the flag: what is used whatever its problem. */
  final?: boolean;
}

/** The sources in precedence order: the flag alone when given, else the environment, the setting and the default. */
function candidates(sources: LedgerPathSources): Candidate[] {
  const env = sources.env ?? process.env;
  const home = sources.home ?? os.homedir();
  const platform = sources.platform ?? process.platform;
  if (sources.flag) return [{ name: '--ledger', path: path.resolve(sources.cwd ?? process.cwd(), expandHome(sources.flag, home)), final: true }];
  const found: Candidate[] = [];
  for (const [name, value] of [
    ['SWITCHBOARD_LEDGER', env.SWITCHBOARD_LEDGER],
    [sources.settingName ?? 'ledger.path', sources.setting],
  ] as const) {
    if (!value) continue;
    const refused = ledgerPathProblem(value, platform);
    found.push(refused ? { name, path: value, refused } : { name, path: expandHome(value, home) });
  }
  found.push({ name: 'the default ledger path', path: defaultLedgerPath(env, platform, home), final: true });
  return found;
}

/** The first candidate neither refused nor with a problem (or the last one), with the first problem met. */
function pick(found: readonly Candidate[], problemOf: (candidate: Candidate) => string | undefined): ResolvedLedgerPath {
  let problem: string | undefined;
  for (const candidate of found) {
    const refused = candidate.refused ?? problemOf(candidate);
    if (!refused || candidate.final) {
      problem ??= refused && `${candidate.name}: ${refused}`;
      return { path: candidate.path, ...(problem ? { problem } : {}) };
    }
    problem ??= `${candidate.name}: ${refused}`;
  }
  throw new Error('no ledger path: the default is always a candidate');
}

/**
 * What `file` is when it exists but cannot be a ledger ("a named pipe
 * (FIFO)", "a directory", ...); undefined for a regular file (or a link to
 * one), a missing file, and one stat cannot see (opening it reports why).
 * A character device passes: it opens at once and has no bytes to read, so
 * nothing waits on it, and `/dev/null` (keep no record) or `/dev/full` (a
 * full disk, for trying the write-failure path) are used on purpose.
 */
async function notARegularFile(file: string): Promise<string | undefined> {
  const found = await stat(file).catch(() => undefined);
  return found && kindOf(found);
}

function kindOf(found: Stats): string | undefined {
  if (found.isFile() || found.isCharacterDevice()) return undefined;
  if (found.isDirectory()) return 'a directory, not a file';
  if (found.isFIFO()) return 'a named pipe (FIFO), not a regular file';
  if (found.isSocket()) return 'a socket, not a regular file';
  if (found.isBlockDevice()) return 'a block device, not a regular file';
  return 'not a regular file';
}

/** A ledger file, or a cache beside one, that is something else once opened (see openLedgerFile). */
export class NotARegularFileError extends Error {
  override readonly name = 'NotARegularFileError';

  constructor(
    readonly file: string,
    /** What it is, as notARegularFile says it: "a named pipe (FIFO), not a regular file". */
    readonly kind: string,
  ) {
    super(`"${file}" is ${kind}`);
  }
}

/**
 * Non-blocking open: a named pipe opens at once for reading, and for writing
 * either opens at once (something reads it) or fails with ENXIO, where a
 * blocking open would wait for the other end forever, holding one of the few
 * threads every file operation of the process shares (an extension host's
 * too). Regular files behave as without it. Windows has no such flag (nor
 * such pipes at a file path).
 */
const NON_BLOCKING = constants.O_NONBLOCK ?? 0;

/**
 * Opens a ledger file (or a cache beside it) to read or to append, refusing
 * what is not a regular file (a character device such as /dev/null passes,
 * as in notARegularFile) with NotARegularFileError. The check is on the handle
 * opened, one fstat per open and none per read or write, so a path that
 * becomes a named pipe after it was resolved is caught where it is used,
 * without waiting on it. An append creates the file (mode 0600).
 */
export async function openLedgerFile(file: string, use: 'read' | 'append'): Promise<FileHandle> {
  const flags = use === 'read' ? constants.O_RDONLY | NON_BLOCKING : constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | NON_BLOCKING;
  let handle: FileHandle;
  try {
    handle = await open(file, flags, 0o600);
  } catch (error) {
    // A named pipe nothing reads refuses a non-blocking writer: say what it is rather than "no such device".
    const kind = (error as NodeJS.ErrnoException).code === 'ENXIO' ? await notARegularFile(file) : undefined;
    throw kind ? new NotARegularFileError(file, kind) : error;
  }
  const kind = await handle.stat().then(kindOf, async (error: unknown) => {
    await handle.close();
    throw error;
  });
  if (kind) {
    await handle.close();
    throw new NotARegularFileError(file, kind);
  }
  return handle;
}

/** A small file beside the ledger (a cache) as text, through openLedgerFile: never waits on a named pipe. */
export async function readLedgerSideFile(file: string): Promise<string> {
  const handle = await openLedgerFile(file, 'read');
  try {
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}

/** Why a ledger path from the environment or the settings is refused, or undefined when it is usable. */
export function ledgerPathProblem(value: string, platform: NodeJS.Platform = process.platform): string | undefined {
  if (value === '~' || value.startsWith('~/') || (platform === 'win32' && value.startsWith('~\\'))) return undefined;
  const absolute = platform === 'win32' ? path.win32.isAbsolute(value) : path.posix.isAbsolute(value);
  return absolute ? undefined : `${quoted(value)} is a relative path; give an absolute one (or one starting with ~/)`;
}

function expandHome(value: string, home: string): string {
  if (value === '~') return home;
  if (value.startsWith('~/') || value.startsWith('~\\')) return path.join(home, value.slice(2));
  return value;
}

/**
 * The per-user ledger file shared by the extension and the CLI when nothing
 * names another: the platform's place for user data.
 */
export function defaultLedgerPath(
  env: Readonly<Record<string, string | undefined>> = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = os.homedir(),
): string {
  switch (platform) {
    case 'win32':
      return path.win32.join(env.APPDATA || path.win32.join(home, 'AppData', 'Roaming'), 'switchboard', 'ledger.jsonl');
    case 'darwin':
      return path.posix.join(home, 'Library', 'Application Support', 'switchboard', 'ledger.jsonl');
    default: {
      // The XDG spec says a relative XDG_DATA_HOME is invalid and to be ignored.
      const dataHome = env.XDG_DATA_HOME && path.posix.isAbsolute(env.XDG_DATA_HOME) ? env.XDG_DATA_HOME : path.posix.join(home, '.local', 'share');
      return path.posix.join(dataHome, 'switchboard', 'ledger.jsonl');
    }
  }
}

/**
 * A closed month of the ledger, beside it: `ledger.jsonl` → `ledger.2026-10.jsonl`
 * (`ledger.2026-10.2.jsonl` if that name is taken).
 */
export function archivePath(base: string, month: string, serial = 1): string {
  const { dir, name, ext } = path.parse(base);
  return path.join(dir, `${name}.${month}${serial > 1 ? `.${serial}` : ''}${ext}`);
}

/** The cached totals of a ledger file (see summary.ts). */
export function summaryPath(file: string): string {
  return `${file}.summary.json`;
}

/** The cached costliest requests of a ledger file, for the cost dashboard (see costs/topFile.ts). */
export function topRequestsPath(file: string): string {
  return `${file}.top.json`;
}

/** The cached Auto part of a ledger file, for `switchboard costs` (see ledger/autoFile.ts). */
export function autoPartPath(file: string): string {
  return `${file}.auto.json`;
}

export interface LedgerFile {
  path: string;
  /** YYYY-MM of an archived month; undefined for the live file. */
  month?: string;
}

/** The live file and every archived month beside it, oldest archive first, the live file last. */
export async function ledgerFiles(base: string): Promise<LedgerFile[]> {
  const { dir, name, ext } = path.parse(base);
  const archive = new RegExp(`^${escapeRegExp(name)}\\.(\\d{4}-\\d{2})(?:\\.(\\d+))?${escapeRegExp(ext)}$`);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [{ path: base }];
  }
  const archives = names
    .map((entry) => ({ entry, match: archive.exec(entry) }))
    .filter((item): item is { entry: string; match: RegExpExecArray } => item.match !== null)
    .sort((a, b) => (a.match[1] ?? '').localeCompare(b.match[1] ?? '') || Number(a.match[2] ?? 1) - Number(b.match[2] ?? 1))
    .map((item): LedgerFile => ({ path: path.join(dir, item.entry), month: item.match[1] }));
  return [...archives, { path: base }];
}

/** `text` matched literally in a regular expression. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
