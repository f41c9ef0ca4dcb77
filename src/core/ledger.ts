import { createReadStream } from 'node:fs';
import { appendFile, mkdir, open } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { redactSecrets } from './redact';
import { TASKS, type FailedAttempt, type Outcome, type Task, type Usage } from './types';

/**
 * One request, as written to the ledger: what was asked, which model
 * answered, what it used and cost. Never prompt text, answers or keys.
 */
export interface LedgerRecord {
  v: 1;
  /** When the request started, ISO 8601. */
  time: string;
  task: Task;
  /** The provider and model that answered (or the last one tried, when none did). */
  provider: string;
  model: string;
  /** `provider:model`: the route's first choice, or the explicit --model. */
  requestedModel: string;
  usage: Usage;
  /** True when the provider reported no usage and it was estimated from the text. */
  usageEstimated: boolean;
  /** null: the model has no known price (unpriced, not free). */
  costUsd: number | null;
  latencyMs: number;
  firstTokenMs: number | null;
  outcome: Outcome;
  error?: string;
  /** Models tried and left before the one that answered. */
  attempts: FailedAttempt[];
  /**
   * Set when an inline completion was served without a model request (the
   * completion cache, typing through shown ghost text, or joining a request
   * already streaming): counted, never billed (cost 0, usage 0).
   */
  servedFrom?: ServedFrom;
  source?: LedgerSource;
}

export type ServedFrom = 'cache' | 'typed-through' | 'inflight';
const SERVED_FROM: ReadonlySet<string> = new Set<ServedFrom>(['cache', 'typed-through', 'inflight']);

/** Who made the request; 'bench' keeps benchmark runs apart from real spending. */
export type LedgerSource = 'vscode' | 'cli' | 'bench';

export interface LedgerReadResult {
  records: LedgerRecord[];
  /** One per skipped line, naming the file and line number. */
  warnings: string[];
}

export interface LedgerOptions {
  /** Told of every append that could not be written; by default a process warning. */
  onError?: (error: Error) => void;
}

const OUTCOMES: ReadonlySet<string> = new Set<Outcome>(['ok', 'cancelled', 'error']);
const SOURCES: ReadonlySet<string> = new Set<LedgerSource>(['vscode', 'cli', 'bench']);
const USAGE_FIELDS = ['inputTokens', 'outputTokens', 'cacheReadTokens', 'cacheWriteTokens'] as const;
/** Records queued together are written in chunks of at most this many characters (one write() each). */
const MAX_WRITE_CHARS = 64 * 1024;
/** Provider error bodies can be long; the ledger keeps the gist and its lines short. */
const MAX_ERROR_CHARS = 500;

/**
 * The per-user ledger shared by the extension and the CLI, JSON Lines,
 * append-only.
 *
 * Two processes may append at once: each record goes out as one line in one
 * write to a file opened with O_APPEND, and the kernel places every such
 * write at the end of the file whole, so lines never interleave on a local
 * filesystem (records stay far below a page; network filesystems such as NFS
 * do not promise this). The file is never rewritten.
 */
export class Ledger {
  private tail: Promise<void> = Promise.resolve();
  private pending: LedgerRecord[] = [];
  private pendingWritten: Promise<void> | undefined;
  private prepared = false;
  /** Set when the file ended in a cut-off line: the next record starts on a fresh line. */
  private needsLeadingNewline = false;
  private readonly onError: (error: Error) => void;

  constructor(
    readonly path: string,
    options: LedgerOptions = {},
  ) {
    this.onError = options.onError ?? ((error) => process.emitWarning(error.message, 'SwitchboardLedger'));
  }

  /**
   * Queues a record and returns at once; records are written in the order
   * appended. Checking and serialising wait for the next turn of the event
   * loop (setImmediate), so a request's caller (an inline completion, say) is
   * answered first; records queued meanwhile go out in one write. The promise
   * settles once the record is written and never rejects, so callers on the
   * hot path may drop it: failures go to onError.
   */
  append(record: LedgerRecord): Promise<void> {
    this.pending.push(record);
    this.pendingWritten ??= new Promise<void>((resolve) => setImmediate(() => resolve(this.drain())));
    return this.pendingWritten;
  }

  /** Resolves when every record appended so far has been written (or has failed). */
  flush(): Promise<void> {
    if (this.pending.length > 0) return this.drain();
    return this.tail;
  }

  private drain(): Promise<void> {
    const records = this.pending;
    this.pending = [];
    this.pendingWritten = undefined;
    // Whole lines, in writes small enough to be one write() each: Node splits
    // a large appendFile into several, and another process's line could then
    // land between them.
    const writes: string[] = [];
    let text = '';
    for (const record of records) {
      const problem = recordProblem(record);
      if (problem) {
        this.onError(new Error(`Not written to the ledger ${this.path}: ${problem}`));
        continue;
      }
      const line = JSON.stringify(scrub(record)) + '\n';
      if (text && text.length + line.length > MAX_WRITE_CHARS) {
        writes.push(text);
        text = '';
      }
      text += line;
    }
    if (text) writes.push(text);
    for (const chunk of writes) {
      this.tail = this.tail
        .then(() => this.write(chunk))
        .catch((error: unknown) => this.onError(asError(error, `Could not write to the ledger ${this.path}`)));
    }
    return this.tail;
  }


  /**
   * All well-formed records (those at or after `since`, if given). A line
   * that is not a whole valid record is skipped with a warning; the rest
   * are kept. A missing file is an empty ledger.
   */
  async read(options: { since?: Date } = {}): Promise<LedgerReadResult> {
    const records: LedgerRecord[] = [];
    const warnings: string[] = [];
    const since = options.since?.getTime();
    const take = (line: string, lineNumber: number, complete: boolean) => {
      const text = line.trim();
      if (!text) return;
      const where = `${this.path}:${lineNumber}`;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        warnings.push(
          complete
            ? `${where}: skipped a line that is not JSON`
            : `${where}: skipped the last line, which is incomplete (a write was cut off)`,
        );
        return;
      }
      const problem = recordProblem(value);
      if (problem) {
        warnings.push(`${where}: skipped a record: ${problem}`);
        return;
      }
      const record = value as LedgerRecord;
      if (since === undefined || Date.parse(record.time) >= since) records.push(record);
    };

    let lineNumber = 0;
    let pending = '';
    try {
      for await (const chunk of createReadStream(this.path, { encoding: 'utf8' })) {
        const lines = (pending + (chunk as string)).split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) take(line, ++lineNumber, true);
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { records, warnings };
      throw error;
    }
    if (pending) take(pending, lineNumber + 1, false);
    return { records, warnings };
  }

  private async write(line: string): Promise<void> {
    if (!this.prepared) {
      await this.prepare();
      this.prepared = true;
    }
    const text = this.needsLeadingNewline ? '\n' + line : line;
    try {
      await appendFile(this.path, text, { mode: 0o600 });
    } catch (error) {
      // The folder may have been removed since it was created.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      await mkdir(path.dirname(this.path), { recursive: true });
      await appendFile(this.path, text, { mode: 0o600 });
    }
    this.needsLeadingNewline = false;
  }

  /** Creates the folder, and notices a cut-off last line left by a writer that died mid-write. */
  private async prepare(): Promise<void> {
    await mkdir(path.dirname(this.path), { recursive: true });
    let file;
    try {
      file = await open(this.path, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    try {
      const { size } = await file.stat();
      if (size === 0) return;
      const last = Buffer.alloc(1);
      await file.read(last, 0, 1, size - 1);
      this.needsLeadingNewline = last[0] !== 0x0a;
    } finally {
      await file.close();
    }
  }
}

/** Why `value` is not a ledger record, or undefined when it is one. */
export function recordProblem(value: unknown): string | undefined {
  if (!isObject(value)) return 'not a JSON object';
  if (value.v !== 1) {
    return typeof value.v === 'number' && value.v > 1
      ? `version ${value.v} was written by a newer Switchboard`
      : '"v" must be 1';
  }
  if (typeof value.time !== 'string' || !Number.isFinite(Date.parse(value.time))) return '"time" must be an ISO date';
  if (!TASKS.includes(value.task as Task)) return `"task" must be one of ${TASKS.join(', ')}`;
  for (const field of ['provider', 'model', 'requestedModel'] as const) {
    if (typeof value[field] !== 'string') return `"${field}" must be a string`;
  }
  if (!isObject(value.usage)) return '"usage" must be an object';
  for (const field of USAGE_FIELDS) {
    if (!isCount(value.usage[field])) return `"usage.${field}" must be a number >= 0`;
  }
  if (typeof value.usageEstimated !== 'boolean') return '"usageEstimated" must be true or false';
  if (value.costUsd !== null && !isCount(value.costUsd)) return '"costUsd" must be a number >= 0 or null';
  if (!isCount(value.latencyMs)) return '"latencyMs" must be a number >= 0';
  if (value.firstTokenMs !== null && !isCount(value.firstTokenMs)) return '"firstTokenMs" must be a number >= 0 or null';
  if (typeof value.outcome !== 'string' || !OUTCOMES.has(value.outcome)) return '"outcome" must be ok, cancelled or error';
  if (value.error !== undefined && typeof value.error !== 'string') return '"error" must be a string';
  if (!Array.isArray(value.attempts)) return '"attempts" must be a list';
  for (const attempt of value.attempts) {
    if (!isObject(attempt) || typeof attempt.provider !== 'string' || typeof attempt.model !== 'string' || typeof attempt.error !== 'string') {
      return '"attempts" must hold {provider, model, error} strings';
    }
  }
  if (value.servedFrom !== undefined && (typeof value.servedFrom !== 'string' || !SERVED_FROM.has(value.servedFrom))) {
    return '"servedFrom" must be cache, typed-through or inflight';
  }
  if (value.source !== undefined && (typeof value.source !== 'string' || !SOURCES.has(value.source))) {
    return '"source" must be vscode, cli or bench';
  }
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

/** Error texts shortened and stripped of anything shaped like a key. */
function scrub(record: LedgerRecord): LedgerRecord {
  const clean = (text: string) => {
    const redacted = redactSecrets(text);
    return redacted.length > MAX_ERROR_CHARS ? redacted.slice(0, MAX_ERROR_CHARS - 1) + '…' : redacted;
  };
  return {
    ...record,
    ...(record.error !== undefined ? { error: clean(record.error) } : {}),
    attempts: record.attempts.map((attempt) => ({ ...attempt, error: clean(attempt.error) })),
  };
}

function asError(error: unknown, context: string): Error {
  const message = error instanceof Error ? error.message : String(error);
  return new Error(`${context}: ${message}`);
}

/**
 * The per-user ledger file shared by the extension and the CLI:
 * $SWITCHBOARD_LEDGER if set; otherwise the platform's place for user data.
 */
export function defaultLedgerPath(
  env: Readonly<Record<string, string | undefined>> = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = os.homedir(),
): string {
  if (env.SWITCHBOARD_LEDGER) return env.SWITCHBOARD_LEDGER;
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
