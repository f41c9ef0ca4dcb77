import { askCommand } from './ask';
import { emptyFlag, flagNotFor, parseCli, type CliCommand } from './cliOptions';
import { CliError, type CliIO } from './cliSupport';
import { completeCommand } from './complete';
import { costsCommand } from './costs';
import { routeCommand } from './route';

const USAGE = `switchboard: routes AI requests to the model that fits the task, and says what it cost.

Usage:
  switchboard ask [--task chat|plan|completion] [--model REF] [--attach FILE]... [--config FILE] [--ledger FILE] [--json] PROMPT
  switchboard complete --file PATH --line N --column N [--config FILE] [--ledger FILE] [--json]
  switchboard costs [--since YYYY-MM-DD] [--until YYYY-MM-DD] [--by day|model|task|provider] [--csv | --json] [--config FILE] [--ledger FILE]
  switchboard route [--task chat|plan] [--config FILE] [--json] PROMPT
  switchboard route [--task chat|plan] [--config FILE] --jsonl < prompts.jsonl

PROMPT "-" (or no PROMPT with input piped in) reads the prompt from standard input.
--attach FILE (repeatable) sends the file's text before PROMPT, as the chat panel's attach does.
REF is provider:model, e.g. anthropic:claude-haiku-4-5 or bedrock:us.amazon.nova-micro-v1:0.
Keys come from OPENAI_API_KEY, ANTHROPIC_API_KEY and the AWS credential chain.
The ledger is --ledger, else $SWITCHBOARD_LEDGER, else "ledger.path" of the config, else the per-user default.`;

/** Every command, by the name typed after `switchboard`. */
const COMMANDS: Record<string, CliCommand> = {
  ask: askCommand,
  complete: completeCommand,
  costs: costsCommand,
  route: routeCommand,
};

/** "ask, complete, costs or route" */
function commandList(): string {
  const names = Object.keys(COMMANDS);
  return `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
}

export async function main(argv: string[], io: CliIO): Promise<number> {
  let parsed: ReturnType<typeof parseCli>;
  try {
    parsed = parseCli(argv);
  } catch (error) {
    io.stderr(`switchboard: ${(error as Error).message.split('\n')[0]} (see "switchboard --help")\n`);
    return 2;
  }
  const [command, ...rest] = parsed.positionals;
  if (parsed.values.help || command === 'help') {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  if (command === undefined) {
    io.stderr(`switchboard: no command given (expected ${commandList()}; see "switchboard --help")\n`);
    return 2;
  }
  const run = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!run) {
    io.stderr(`switchboard: unknown command "${command}" (expected ${commandList()})\n`);
    return 2;
  }
  const stray = flagNotFor(command, parsed);
  if (stray) {
    io.stderr(`switchboard: ${stray} is not an option of ${command} (see "switchboard --help")\n`);
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
      io.stderr(`switchboard: ${error.message}\n`);
      return error.exitCode;
    }
    io.stderr(`switchboard: unexpected error: ${(error as Error).stack ?? String(error)}\n`);
    return 1;
  }
}

if (require.main === module) {
  // A reader that goes away (`| head`) makes writes fail with EPIPE; unhandled,
  // that crashes with a stack trace and loses the request's ledger record.
  const stdoutClosed = new AbortController();
  process.stdout.on('error', () => stdoutClosed.abort());
  const io: CliIO = {
    stdout: (text) => {
      if (!stdoutClosed.signal.aborted) process.stdout.write(text);
    },
    stderr: (text) => process.stderr.write(text),
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    stdoutClosed: stdoutClosed.signal,
  };
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`switchboard: ${String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
