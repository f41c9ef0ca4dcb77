import { Readable } from 'node:stream';
import type { CliIO } from '../../src/cli/cliSupport';
import { main } from '../../src/cli/main';

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `switchboard …` in this process: the CLI's own code, with its input and output captured. */
export async function runInProcess(argv: string[], options: { stdin?: string | Buffer; env?: NodeJS.ProcessEnv; cwd?: string; stderrIsTTY?: boolean; stdoutIsTTY?: boolean } = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const stdin = Readable.from(options.stdin === undefined ? [] : [options.stdin]) as Readable & { isTTY?: boolean };
  stdin.isTTY = options.stdin === undefined;
  const io: CliIO = {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    stdin,
    env: options.env ?? { ANTHROPIC_API_KEY: 'test', OPENAI_API_KEY: 'test' },
    cwd: options.cwd ?? process.cwd(),
    ...(options.stderrIsTTY ? { stderrIsTTY: true } : {}),
    ...(options.stdoutIsTTY ? { stdoutIsTTY: true } : {}),
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}
