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
  return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
}

export type CliOptions = ReturnType<typeof parseCli>['values'];

/** One `switchboard` command: its flags, the positionals after its name; resolves to the exit code. */
export type CliCommand = (options: CliOptions, positionals: string[], io: CliIO) => Promise<number>;
