// The words `switchboard --help` and `switchboard COMMAND --help` print: each command's synopsis, forms and examples,
// and the notes under them. helpText.ts lays them out for the terminal; main.ts prints them.
import { DEFAULT_CONFIG_FILE } from './cliSupport';
import { wrapForm, wrapProse } from './helpText';

/**
 * Each command: what it does, how it is typed (a line per form), and examples to paste after `switchboard init`
 * (run as written by a test, so none drifts from the flags the command takes).
 */
const SYNOPSES: Record<string, { does: string; forms: string[]; examples: string[] }> = {
  ask: {
    does: 'Sends PROMPT to the model its route picks (Auto as in the editor), streams the answer and records it in the ledger.',
    forms: ['switchboard ask [--task chat|plan|completion] [--model REF] [--attach FILE|-]... [--config FILE] [--ledger FILE] [--json] PROMPT'],
    examples: [
      'switchboard ask --config switchboard.jsonc "Explain what a Bloom filter is"',
      'git diff | switchboard ask --config switchboard.jsonc "Review this"',
      'switchboard ask --config switchboard.jsonc --task plan "Add a --dry-run flag"',
    ],
  },
  complete: {
    does:
      'Prints the completion the editor would insert at a 1-based line and column of a file, and a line end (--json\'s "text" is ' +
      'the exact insertion). Like the editor, completes no file ' +
      'matching "exclude" (exit 2), nor one whose language (read from its extension) completion.languages turns off (exit 1).',
    forms: ['switchboard complete --file PATH --line N --column N [--config FILE] [--ledger FILE] [--json]'],
    // Past 80 columns on one line: continued with a backslash, as a shell takes it pasted.
    examples: ['switchboard complete --config switchboard.jsonc \\\n      --file app.py --line 3 --column 5'],
  },
  costs: {
    does:
      'Totals the ledger by model and task (or --by), and says what routing saved. Days are calendar days in local time (TZ=UTC for UTC ones): ' +
      '--range 7d is today and the 6 days before it, as on the dashboard, not the last 7×24 hours; 30d likewise.',
    forms: [
      'switchboard costs [--since YYYY-MM-DD] [--until YYYY-MM-DD] [--by day|model|task|provider] [--csv | --json] [--config FILE] [--ledger FILE]',
      'switchboard costs --range today|7d|30d|month|all [--by day|model|task|provider] [--csv | --json] [--config FILE] [--ledger FILE]',
    ],
    examples: ['switchboard costs --config switchboard.jsonc --range 7d --by model', 'switchboard costs --since 2026-01-01 --csv > costs.csv'],
  },
  doctor: {
    does:
      'Checks the setup without sending a prompt: each provider\'s credentials (where from, never the key), server (where from) and a free call ' +
      '(listing models; Bedrock: resolving AWS credentials), each task\'s route (the model tried first, the providers of those that are out; ' +
      '--verbose lists each model that is out and why), the ledger, budgets and today\'s spend. Exit 1 when no provider answers.',
    forms: ['switchboard doctor [--config FILE] [--ledger FILE] [--verbose] [--json]'],
    examples: ['switchboard doctor --config switchboard.jsonc --verbose'],
  },
  init: {
    does:
      'Writes a starter --config file (FILE, else --config FILE, else ./switchboard.jsonc): the default routes and the settings wanted first, ' +
      'with comments and no key. With --base-url, asks that local server for its models and routes every task to them. Never overwrites a file.',
    forms: ['switchboard init [--base-url URL] [FILE | --config FILE]'],
    examples: ['switchboard init', 'switchboard init --base-url http://localhost:11434/v1 local.jsonc'],
  },
  models: {
    does: 'Asks a local OpenAI-compatible server for its models (GET /v1/models) and prints the routes that would use them, as a --config file.',
    forms: ['switchboard models [--base-url URL] [--config FILE] [--json]'],
    examples: ['switchboard models --base-url http://localhost:11434/v1'],
  },
  route: {
    does: 'Prints the model a prompt goes to (with Auto off, the route\'s first with credentials) and the model Auto would pick, its tier, score and reasons, without calling any model.',
    forms: ['switchboard route [--task chat|plan] [--attach FILE|-]... [--config FILE] [--json] PROMPT', 'switchboard route [--task chat|plan] [--config FILE] --jsonl < prompts.jsonl'],
    examples: [
      'switchboard route --config switchboard.jsonc "Why does this deadlock?"',
      'echo \'{"prompt": "Rename this variable"}\' | switchboard route --jsonl',
    ],
  },
};

const KEYS_FROM = 'Keys come from OPENAI_API_KEY, ANTHROPIC_API_KEY and the AWS credential chain';
const BASE_URL_VARIABLE = "OPENAI_BASE_URL points the openai provider at another server (a config file's providers.openai.baseUrl comes first).";

/**
 * The notes under the usage, each said for the commands it is about: `costs --help` has no PROMPT to read and no key
 * to find, and `doctor`'s exit status is not a request's. `switchboard --help` says them all. Each line is a paragraph,
 * wrapped for the terminal (helpText.ts); a line that starts with spaces is an example, printed as written.
 */
const NOTES: { commands: readonly string[]; text: string; ownHelpOnly?: true }[] = [
  {
    commands: ['ask', 'route'],
    text:
      'PROMPT "-" (or no PROMPT with input piped in) reads the prompt from standard input; "--" ends the options. ' +
      "--attach FILE (repeatable) sends the file's text before PROMPT, as the chat panel's attach does; --attach - sends " +
      "standard input's, PROMPT then given as an argument. A pipe or file on standard input beside a PROMPT argument is " +
      'attached so too (git diff | switchboard ask "Review this").',
  },
  { commands: ['route'], text: 'route --attach scores the prompt with its attachments, as ask would send it.' },
  { commands: ['ask'], text: 'REF is provider:model, e.g. anthropic:claude-haiku-4-5 or bedrock:us.amazon.nova-micro-v1:0.' },
  {
    // ask's, and the whole help's: the other commands take no --model, and each says the way that fits it below.
    commands: ['ask'],
    text: `Keys come from OPENAI_API_KEY, ANTHROPIC_API_KEY and the AWS credential chain. OPENAI_BASE_URL points the openai \
provider at another server (a config file's providers.openai.baseUrl comes first). A local OpenAI-compatible server \
(Ollama, LM Studio, vLLM) needs no key, only OPENAI_BASE_URL=http://localhost:11434/v1 and its model \
(--model openai:llama3.1), or a --config file naming both, e.g.
  {"providers": {"openai": {"baseUrl": "http://localhost:11434/v1"}},
   "routes": {"chat": ["openai:llama3.1"]}}
"switchboard models --base-url URL" lists its models and prints routes to them. \
"switchboard init" writes a starter --config file (with --base-url URL, routed to that server's models).`,
  },
  {
    // init's own: the note above tells how to ask a local server (--model, a file to write by hand) and ends by
    // pointing at init, which init's help would repeat to someone already reading about it.
    commands: ['init'],
    ownHelpOnly: true,
    text:
      'Keys come from OPENAI_API_KEY, ANTHROPIC_API_KEY and the AWS credential chain; init writes none into the file. ' +
      'A local OpenAI-compatible server (Ollama, LM Studio, vLLM) needs no key: --base-url URL asks it for its models ' +
      'and writes providers.openai.baseUrl and routes to them ("switchboard models --base-url URL" lists them first, writing nothing).',
  },
  {
    commands: ['complete'],
    ownHelpOnly: true,
    text: `${KEYS_FROM}. ${BASE_URL_VARIABLE} A local OpenAI-compatible server (Ollama, LM Studio, vLLM) needs no key, only a \
--config file naming it and the model to complete with (complete takes no --model), e.g.
  {"providers": {"openai": {"baseUrl": "http://localhost:11434/v1"}},
   "routes": {"completion": ["openai:qwen2.5-coder"]}}
"switchboard init --base-url URL" writes one routed to that server's models.`,
  },
  {
    commands: ['route'],
    ownHelpOnly: true,
    text:
      `${KEYS_FROM}: route sends nothing, but passes over a model without them as ask would. ${BASE_URL_VARIABLE} ` +
      'A local OpenAI-compatible server (Ollama, LM Studio, vLLM) needs no key: a --config file naming it and its models, ' +
      'as "switchboard init --base-url URL" writes, routes to them.',
  },
  {
    // doctor reads the setup rather than making a request: where each thing came from, and what a local server lacks.
    commands: ['doctor'],
    ownHelpOnly: true,
    text:
      `${KEYS_FROM}; doctor says where each provider's came from, never a character of it. The openai provider's server is ` +
      "a --config file's providers.openai.baseUrl, else OPENAI_BASE_URL, else OpenAI's. A local OpenAI-compatible server " +
      '(Ollama, LM Studio, vLLM) needs no key; doctor names each model of a route it does not serve, and ' +
      '"switchboard init --base-url URL" writes a --config file routed to what it serves.',
  },
  {
    // models is where the local-server way starts: which server it asks, and what happens to a key.
    commands: ['models'],
    ownHelpOnly: true,
    text:
      "The server is --base-url, else the --config file's providers.openai.baseUrl, else OPENAI_BASE_URL. OPENAI_API_KEY " +
      "goes to it only on this machine, at api.openai.com, or at a host the --config file's providers.openai.sendKeyTo lists; " +
      'a local server (Ollama, LM Studio, vLLM) needs none. models writes nothing: "switchboard init --base-url URL FILE" ' +
      'writes the routes it suggests to a --config file.',
  },
  { commands: ['ask', 'complete', 'costs', 'doctor'], text: 'The ledger is --ledger, else $SWITCHBOARD_LEDGER, else "ledger.path" of the config, else the per-user default.' },
  {
    commands: ['ask', 'complete'],
    text: `Exit status: 0 done, 1 the request failed or was refused (budget, no key), 2 a usage or config error, \
130 Ctrl-C, 143 SIGTERM, 129 SIGHUP; 0 when the reader of stdout goes away (| head -1), as for other \
tools. A request stopped so is still recorded.`,
  },
  { commands: ['costs', 'route'], text: 'Exit status: 0 done, 2 a usage or config error.' },
  { commands: ['doctor'], text: 'Exit status: 0 some provider answers, 1 none does, 2 a usage or config error.' },
  { commands: ['models'], text: 'Exit status: 0 done, 1 the server cannot be read or lists no model that can chat, 2 no server given, or a usage or config error.' },
  { commands: ['init'], text: 'Exit status: 0 written, 1 the --base-url server cannot be read or lists no model that can chat (nothing written), 2 the file exists or a usage error.' },
];

/** The notes for one command, or (no command) every note but the per-command exit statuses, which `COMMAND --help` says. */
const notes = (command?: string) =>
  NOTES.filter((note) => (command === undefined ? !note.text.startsWith('Exit status') && !note.ownHelpOnly : note.commands.includes(command)))
    .map((note) => note.text)
    .join('\n\n') +
  (command === undefined
    ? `\n\nExit status: 0 done, 1 the request failed or was refused (budget, no key), 2 a usage or config error, \
130 Ctrl-C, 143 SIGTERM, 129 SIGHUP; 0 when the reader of stdout goes away (| head -1), as for other \
tools. A request stopped so is still recorded. "switchboard COMMAND --help" says what each command's status means.`
    : '');

export const USAGE = `switchboard: routes AI requests to the model that fits, and says what they cost.

${wrapProse(`First time: "switchboard init" writes ./${DEFAULT_CONFIG_FILE} to edit (with --base-url URL, routed to a local server's models); \
"switchboard doctor --config ${DEFAULT_CONFIG_FILE}" then says what is set up, and "switchboard ask --config ${DEFAULT_CONFIG_FILE} PROMPT" asks.`)}

Usage:
${[...Object.values(SYNOPSES).flatMap((synopsis) => synopsis.forms), 'switchboard COMMAND --help', 'switchboard --version'].map((form) => wrapForm(form)).join('\n')}

${wrapProse(notes())}`;

/** `switchboard ask --help`: that command's forms and what it does, not every command's. */
export function commandUsage(command: string): string {
  const { does, forms, examples } = SYNOPSES[command]!;
  return `${wrapProse(does)}\n\nUsage:\n${forms.map((form) => wrapForm(form)).join('\n')}\n\nExamples:\n${examples.map((example) => `  ${example}`).join('\n')}\n\n${wrapProse(notes(command))}`;
}
