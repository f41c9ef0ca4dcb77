import { fstatSync } from 'node:fs';
import { redactSecrets } from '../core/redact';
import { askCommand } from './ask';
import { commandTyped, emptyFlag, flagNotFor, parseCli, type CliCommand } from './cliOptions';
import { CliError, type CliIO } from './cliSupport';
import { closestName } from './didYouMean';
import { completeCommand } from './complete';
import { doctorCommand } from './doctor';
import { initCommand } from './init';
import { modelsCommand } from './models';
import { costsCommand } from './costs';
import { routeCommand } from './route';
import { terminalSafeIO } from './terminalText';
import { commandUsage, USAGE } from './commandHelp';
import { LedgerWarningsOnce } from '../core/ledger/warningsOnce';
// Only this field is bundled: esbuild keeps the named imports of a JSON file.
import { version } from '../../package.json';

/** Every command, by the name typed after `switchboard`. */
const COMMANDS: Record<string, CliCommand> = {
  ask: askCommand,
  complete: completeCommand,
  costs: costsCommand,
  doctor: doctorCommand,
  init: initCommand,
  models: modelsCommand,
  route: routeCommand,
};

/**
 * Words a newcomer types for a command that has another name: the editor's chat and Plan are `ask`, its Check Setup
 * is `doctor`. Too far from the name for the typo check to find.
 */
const MEANT: Record<string, string> = {
  chat: 'ask',
  plan: 'ask --task plan',
  check: 'doctor',
  setup: 'doctor',
  config: 'init',
};

/**
 * Words from the README that are no command of this CLI, with where they are: the sandbox (VS Code with Switchboard
 * in a browser) is started by npm in the repository, and a newcomer reading about it types `switchboard sandbox`.
 */
const ELSEWHERE: Record<string, string> = {
  sandbox: 'the sandbox, VS Code with Switchboard in a browser, is "npm start" in Switchboard\'s repository',
  start: 'the sandbox, VS Code with Switchboard in a browser, is "npm start" in Switchboard\'s repository',
};

/** "ask, complete, costs or route" */
function commandList(): string {
  const names = Object.keys(COMMANDS);
  return `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
}

export async function main(argv: string[], rawIO: CliIO): Promise<number> {
  // Its own memory of the ledger warnings said, so a second run in this process (a test, an embedder) says them again.
  const io: CliIO = { ...terminalSafeIO(rawIO), ledgerWarnings: new LedgerWarningsOnce() };
  let parsed: ReturnType<typeof parseCli>;
  try {
    parsed = parseCli(argv);
  } catch (error) {
    // The help of the command typed, when one was: it lists the flags that command takes.
    const typed = commandTyped(argv);
    const help = typed && Object.hasOwn(COMMANDS, typed) ? `switchboard ${typed} --help` : 'switchboard --help';
    io.stderr(`switchboard: ${redactSecrets((error as Error).message.split('\n')[0]!)} (see "${help}")\n`);
    return 2;
  }
  if (parsed.values.version) {
    io.stdout(`switchboard ${version}\n`);
    return 0;
  }
  const [first, ...afterFirst] = parsed.positionals;
  // `switchboard help costs` as `switchboard costs --help`.
  const helpAsked = parsed.values.help || first === 'help';
  const [command, ...rest] = first === 'help' ? afterFirst : parsed.positionals;
  if (helpAsked && command === undefined) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  if (command === undefined) {
    io.stderr(`switchboard: no command given (expected ${commandList()}; see "switchboard --help")\n`);
    return 2;
  }
  const run = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!run) {
    const nearest = Object.hasOwn(MEANT, command) ? MEANT[command] : closestName(command, Object.keys(COMMANDS));
    const elsewhere = Object.hasOwn(ELSEWHERE, command) ? `${ELSEWHERE[command]}; ` : '';
    io.stderr(`switchboard: unknown command "${command}" (${elsewhere}${nearest ? `did you mean "${nearest}"? ` : ''}expected ${commandList()})\n`);
    return 2;
  }
  if (helpAsked) {
    io.stdout(`${commandUsage(command)}\n`);
    return 0;
  }
  const stray = flagNotFor(command, parsed);
  if (stray) {
    io.stderr(`switchboard: ${stray} is not an option of ${command} (see "switchboard ${command} --help")\n`);
    return 2;
  }
  const empty = emptyFlag(parsed);
  if (empty) {
    io.stderr(`switchboard: ${empty} was given an empty value\n`);
    return 2;
  }
  try {
    return await run(parsed.values, rest, io);
  } catch (error) {
    if (error instanceof CliError) {
      // An error may quote a server's address or an SDK's message: credentials masked (core/redact.ts).
      io.stderr(`switchboard: ${redactSecrets(error.message)}\n`);
      return error.exitCode;
    }
    io.stderr(`switchboard: unexpected error: ${redactSecrets((error as Error).stack ?? String(error))}\n`);
    return 1;
  }
}

/**
 * Whether standard input is a shell pipe (a FIFO) or a file: text put there to
 * be read. Not a terminal, /dev/null or a socket (what Node and others give a
 * child they spawn, often never closed).
 */
function pipedIn(): boolean {
  try {
    const stdin = fstatSync(0);
    return stdin.isFIFO() || stdin.isFile();
  } catch {
    // No standard input at all (closed by the caller).
    return false;
  }
}

if (require.main === module) {
  // A reader that goes away (`| head`) makes writes fail with EPIPE; unhandled,
  // that crashes with a stack trace and loses the request's ledger record.
  const stdoutClosed = new AbortController();
  process.stdout.on('error', () => stdoutClosed.abort());
  // The same for stderr (`2>&1 | head`): a warning written after the reader
  // left would crash the run; nobody is there to read it, so it is dropped.
  let stderrClosed = false;
  process.stderr.on('error', () => (stderrClosed = true));
  const io: CliIO = {
    stdout: (text) => {
      if (!stdoutClosed.signal.aborted) process.stdout.write(text);
    },
    stderr: (text) => {
      if (!stderrClosed) process.stderr.write(text);
    },
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    stdoutClosed: stdoutClosed.signal,
    stderrIsTTY: process.stderr.isTTY === true,
    stdoutIsTTY: process.stdout.isTTY === true,
    stdinPiped: pipedIn(),
  };
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      if (!stderrClosed) process.stderr.write(`switchboard: ${String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
