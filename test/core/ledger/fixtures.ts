/** Records, temporary folders and child Node processes for the ledger tests. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { LedgerRecord } from '../../../src/core/ledger';

export const REPO_ROOT = path.resolve(__dirname, '../../..');

/** A record of now (an older one would be moved to its month's archive on the next write). */
export function record(fields: Partial<LedgerRecord> = {}): LedgerRecord {
  return {
    v: 1,
    time: new Date().toISOString(),
    task: 'chat',
    provider: 'anthropic',
    model: 'claude-sonnet-5',
    requestedModel: 'anthropic:claude-sonnet-5',
    usage: { inputTokens: 1200, outputTokens: 300, cacheReadTokens: 0, cacheWriteTokens: 0 },
    usageEstimated: false,
    costUsd: 0.0054,
    latencyMs: 2100,
    firstTokenMs: 450,
    outcome: 'ok',
    attempts: [],
    source: 'cli',
    ...fields,
  };
}

/** A fresh folder per test, removed after it. */
export function tempDir(prefix: string): { readonly path: string } {
  const holder = { path: '' };
  beforeEach(async () => {
    holder.path = await mkdtemp(path.join(os.tmpdir(), `switchboard-${prefix}-`));
  });
  afterEach(() => rm(holder.path, { recursive: true, force: true }));
  return holder;
}

export interface Child {
  process: ChildProcessWithoutNullStreams;
  /** Lines the child printed, as they come. */
  lines: string[];
  /** Resolves with the first printed line that matches. */
  waitFor(pattern: RegExp): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
}

/**
 * Runs a TypeScript file of this repository in its own Node process (through
 * tsx), as another window or CLI would run the same code. `uid` runs it as
 * another user (the tests run as root in CI, and root ignores file modes).
 */
export function runChild(file: string, args: readonly string[], options: { uid?: number; env?: NodeJS.ProcessEnv } = {}): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, file), ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
    ...(options.uid !== undefined ? { uid: options.uid, gid: options.uid } : {}),
  });
  const lines: string[] = [];
  const waiters: Array<{ pattern: RegExp; resolve: (line: string) => void }> = [];
  let pending = '';
  let errors = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    pending += chunk;
    const parts = pending.split('\n');
    pending = parts.pop() ?? '';
    for (const line of parts) {
      lines.push(line);
      for (const waiter of [...waiters]) {
        if (waiter.pattern.test(line)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(line);
        }
      }
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (errors += chunk));
  const exited = once(child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));
  // 'exit' can come while the child's last lines are still in the pipe; 'close' comes once they have been read.
  const closed = once(child, 'close');
  return {
    process: child,
    lines,
    waitFor(pattern) {
      const seen = lines.find((line) => pattern.test(line));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        waiters.push({ pattern, resolve });
        void closed.then(([code, signal]) => reject(new Error(`child ${file} exited (${String(code ?? signal)}) before printing ${pattern}: ${errors}`)));
      });
    },
    exited,
    stderr: () => errors,
  };
}

/** The id of a process that has ended: what a crashed window leaves in the names of its files. */
export async function endedPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await once(child, 'exit');
  return child.pid!;
}

/** A user that owns nothing here, for permission tests run as root. */
export const NOBODY = 65534;

export function runningAsRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}
