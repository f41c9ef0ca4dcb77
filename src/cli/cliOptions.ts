import { parseArgs } from 'node:util';
import type { CliIO } from './cliSupport';

/**
 * The flags every command reads, parsed once by main.ts. Commands import this
 * module, never main.ts, so the CLI's imports run one way: main → commands → here.
 */
const OPTIONS = {
  task: { type: 'string' },
  model: { type: 'string' },
  attach: { type: 'string', multiple: true },
  config: { type: 'string' },
  ledger: { type: 'string' },
  json: { type: 'boolean', default: false },
  jsonl: { type: 'boolean', default: false },
  file: { type: 'string' },
  line: { type: 'string' },
  column: { type: 'string' },
  since: { type: 'string' },
  until: { type: 'string' },
  by: { type: 'string' },
  csv: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

export function parseCli(argv: string[]) {
  return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true, tokens: true });
}

type Flag = keyof typeof OPTIONS;

/**
 * The flags each command reads (besides --help). A flag another command reads
 * would otherwise be taken and ignored: `costs --model X` would total every
 * model while looking like a filter.
 */
export const COMMAND_FLAGS: Record<string, readonly Flag[]> = {
  ask: ['task', 'model', 'attach', 'config', 'ledger', 'json'],
  complete: ['file', 'line', 'column', 'config', 'ledger', 'json'],
  costs: ['since', 'until', 'by', 'csv', 'json', 'config', 'ledger'],
  route: ['task', 'config', 'json', 'jsonl'],
};

/** The first flag given that `command` does not read, as typed (`--since`), if any. */
export function flagNotFor(command: string, parsed: ReturnType<typeof parseCli>): string | undefined {
  const allowed = COMMAND_FLAGS[command] ?? [];
  for (const token of parsed.tokens) {
    if (token.kind === 'option' && token.name !== 'help' && !(allowed as readonly string[]).includes(token.name)) return token.rawName;
  }
  return undefined;
}

export type CliOptions = ReturnType<typeof parseCli>['values'];

/** One `switchboard` command: its flags, the positionals after its name; resolves to the exit code. */
export type CliCommand = (options: CliOptions, positionals: string[], io: CliIO) => Promise<number>;

/**
 * The first flag given an empty value (`--config "$UNSET"`), as typed. Taken
 * as absent, an empty --config or --ledger would quietly mean the defaults:
 * the cloud routes, the per-user ledger.
 */
export function emptyFlag(parsed: ReturnType<typeof parseCli>): string | undefined {
  for (const token of parsed.tokens) {
    if (token.kind === 'option' && token.value === '') return token.rawName;
  }
  return undefined;
}
