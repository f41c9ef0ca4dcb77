/**
 * Builds the CLI bundle and runs it as a user would: `node dist/cli.js ...`
 * in a child process with an environment of the test's choosing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { buildOnce, repoRoot } from '../buildOnce';

/** Builds with the project's build script, as a user would, and returns the path of cli.js. */
export async function buildCli(): Promise<string> {
  await buildOnce();
  const built = path.join(repoRoot, 'dist', 'cli.js');
  if (!existsSync(built) || !existsSync(path.join(repoRoot, 'dist', 'providers', 'openai.js'))) {
    throw new Error('scripts/build.mjs did not write dist/cli.js and dist/providers/*.js');
  }
  return built;
}

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  env: NodeJS.ProcessEnv;
  stdin?: string;
  cwd?: string;
  /** Standard input: this open file (`< file`) instead of a socket the harness writes and closes. */
  stdinFile?: number;
  /** Leave the socket on standard input open, as a program that spawns the CLI and never ends its input does. */
  keepStdinOpen?: boolean;
  /** A command that runs `node cli.js …` (its arguments, appended) in a setting of its own, e.g. a full disk. */
  wrapper?: string[];
}

/** Starts the CLI; the caller may signal it before collecting the result with `finished`. */
export function startCli(cli: string, args: string[], options: CliOptions): { child: ChildProcess; finished: Promise<CliRun> } {
  const [command, ...commandArgs] = [...(options.wrapper ?? []), process.execPath, cli, ...args] as [string, ...string[]];
  const child = spawn(command, commandArgs, {
    cwd: options.cwd ?? repoRoot,
    env: options.env,
    stdio: [options.stdinFile ?? 'pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr!.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  if (options.stdinFile !== undefined || options.keepStdinOpen) {
    // Written nothing; an open socket is closed once the CLI has ended, so the test leaves nothing behind.
    child.on('exit', () => child.stdin?.destroy());
  } else if (options.stdin !== undefined) child.stdin!.end(options.stdin);
  else child.stdin!.end();
  const finished = new Promise<CliRun>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, finished };
}

export function runCli(cli: string, args: string[], options: CliOptions): Promise<CliRun> {
  return startCli(cli, args, options).finished;
}
