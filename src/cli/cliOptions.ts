import { parseArgs } from 'node:util';
import type { CliIO } from './cliSupport';
import { closestName } from './didYouMean';

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
  range: { type: 'string' },
  by: { type: 'string' },
  csv: { type: 'boolean', default: false },
  'base-url': { type: 'string' },
  verbose: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
  version: { type: 'boolean', short: 'V', default: false },
} as const;

export function parseCli(argv: string[]) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true, tokens: true });
  } catch (error) {
    // Node's own words ("argument is ambiguous", "To specify a positional argument starting with a '-' …")
    // do not say what to type instead; the flag and the value, in ours, do.
    throw new Error(misuseOf(argv) ?? (error as Error).message, { cause: error });
  }
  const repeated = repeatedFlag(parsed.tokens);
  if (repeated) throw new Error(repeated);
  return parsed;
}

type Token = NonNullable<ReturnType<typeof parseArgs>['tokens']>[number];

/** The first word of `argv` that is no flag or flag value, read leniently: the command, in a command line that does not parse. */
export function commandTyped(argv: string[]): string | undefined {
  return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: false }).positionals[0];
}

/** What is wrong with `argv`, read leniently, as one line naming the flag; undefined when the lenient read finds nothing. */
function misuseOf(argv: string[]): string | undefined {
  const { tokens } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: false, tokens: true });
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const option = Object.hasOwn(OPTIONS, token.name) ? OPTIONS[token.name as Flag] : undefined;
    if (!option) return unknownOption(token.rawName, tokens);
    if (option.type === 'boolean' && token.value !== undefined) return `${token.rawName} takes no value (got "${token.value}")`;
    if (option.type === 'string' && token.value === undefined) return `${token.rawName} needs a value`;
    // Taken as the value, a flag after a flag that needs one is almost always a forgotten value.
    if (option.type === 'string' && !token.inlineValue && token.value!.startsWith('-')) {
      return `${token.rawName} needs a value, got the option "${token.value}" (write ${token.rawName}=${token.value} if that is the value)`;
    }
  }
  return undefined;
}

/**
 * "unknown option --modle (did you mean --model?)": the nearest flag the command typed reads (any command's when
 * none was typed), so the fix is in the message.
 */
function unknownOption(rawName: string, tokens: readonly Token[]): string {
  const command = tokens.find((token) => token.kind === 'positional')?.value;
  const flags = command !== undefined && Object.hasOwn(COMMAND_FLAGS, command) ? COMMAND_FLAGS[command]! : (Object.keys(OPTIONS) as Flag[]);
  const typed = rawName.replace(/^-+/, '');
  const nearest = closestName(typed, [...flags, 'help', 'version']);
  if (nearest) return `unknown option ${rawName} (did you mean --${nearest}?)`;
  return `unknown option ${rawName}${rawName.startsWith('--') ? '' : ` (options are spelt --name)`}`;
}

/**
 * A flag that takes one value, given twice. Taking the last quietly (`--task chat … --task plan`, a
 * variable's value overriding a script's) would run something other than what either says.
 */
function repeatedFlag(tokens: readonly Token[]): string | undefined {
  const seen = new Map<string, string>();
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const option = OPTIONS[token.name as Flag];
    if (option.type !== 'string' || ('multiple' in option && option.multiple)) continue;
    const earlier = seen.get(token.name);
    if (earlier !== undefined) return `${token.rawName} given twice ("${earlier}", then "${token.value}"); give it once`;
    seen.set(token.name, token.value ?? '');
  }
  return undefined;
}

type Flag = keyof typeof OPTIONS;

/**
 * The flags each command reads (besides --help and --version). A flag another command reads
 * would otherwise be taken and ignored: `costs --model X` would total every
 * model while looking like a filter.
 */
export const COMMAND_FLAGS: Record<string, readonly Flag[]> = {
  ask: ['task', 'model', 'attach', 'config', 'ledger', 'json'],
  complete: ['file', 'line', 'column', 'config', 'ledger', 'json'],
  costs: ['since', 'until', 'range', 'by', 'csv', 'json', 'config', 'ledger'],
  route: ['task', 'attach', 'config', 'json', 'jsonl'],
  models: ['base-url', 'config', 'json'],
  doctor: ['config', 'ledger', 'json', 'verbose'],
  init: ['config', 'base-url'],
};

/** The first flag given that `command` does not read, as typed (`--since`), if any. */
export function flagNotFor(command: string, parsed: ReturnType<typeof parseCli>): string | undefined {
  const allowed = COMMAND_FLAGS[command] ?? [];
  for (const token of parsed.tokens) {
    if (token.kind === 'option' && token.name !== 'help' && token.name !== 'version' && !(allowed as readonly string[]).includes(token.name)) return token.rawName;
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
