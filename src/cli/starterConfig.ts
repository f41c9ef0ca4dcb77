// The text `switchboard init` writes: a --config file a new user can read top to bottom, with the settings they
// reach for in the first hour, each with a comment, and no key (keys stay in the environment, where a file that is
// shared, committed or pasted into an issue cannot leak them). Loaded as it is written, it means the defaults, or
// the local server's routes when one was asked.
import { DEFAULT_ROUTES, SETTING_DEFAULTS } from '../core/config';
import { TASKS, type Task } from '../core/types';

export interface StarterOptions {
  /** A local OpenAI-compatible server, and the routes to its models (`switchboard init --base-url URL`). */
  local?: { baseUrl: string; routes: Record<Task, readonly string[]> };
}

/** A JSON value on one line: every value written comes through here, so a model id from a server is quoted as data. */
const json = (value: unknown) => JSON.stringify(value);

export function starterConfigText(options: StarterOptions = {}): string {
  const routes = options.local?.routes ?? DEFAULT_ROUTES;
  const width = Math.max(...TASKS.map((task) => task.length)) + 3;
  const list = (refs: readonly string[]) => `[${refs.map(json).join(', ')}]`;
  const routeLines = TASKS.map((task, index) => `    ${`${json(task)}:`.padEnd(width)} ${list(routes[task])}${index < TASKS.length - 1 ? ',' : ''}`);
  const openai = options.local
    ? [
        '    "openai": {',
        '      // The local server that answers the routes above (asked for its models when this file was written:',
        '      // "switchboard models --config THIS_FILE" asks again). It needs no key.',
        `      "baseUrl": ${json(options.local.baseUrl)},`,
        '    },',
      ]
    : [
        '    "openai": {',
        '      // Any OpenAI-compatible server instead of api.openai.com; a server on this machine needs no key.',
        '      // Ollama http://localhost:11434/v1, LM Studio http://localhost:1234/v1, vLLM http://localhost:8000/v1.',
        '      // Its models are not the routes\' OpenAI ones: "switchboard models --base-url URL" lists them, or run',
        '      // "switchboard init --base-url URL OTHER_FILE" for a file routed to them.',
        '      // "baseUrl": "http://localhost:11434/v1",',
        '      // Hosts other than api.openai.com and this machine get OPENAI_API_KEY only when listed here.',
        '      // "sendKeyTo": ["openrouter.ai"],',
        '    },',
      ];
  return [
    '// Switchboard settings for the `switchboard` CLI, written by "switchboard init".',
    '// Use it with --config on every command, e.g. switchboard doctor --config THIS_FILE',
    '// The keys are VS Code\'s switchboard.* settings without "switchboard." (README.md, Settings, lists them all).',
    '// JSON with comments: // and /* */ comments and trailing commas are fine.',
    '//',
    '// No API key belongs in this file. Keys come from the environment: OPENAI_API_KEY, ANTHROPIC_API_KEY, and for',
    '// Bedrock the AWS credential chain (AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; "aws sso login").',
    '{',
    '  // Models per task, as "provider:model", in order of preference: the first that has credentials answers, the',
    '  // next are fallbacks when it fails before its first token. completion: ghost text (cheap, fast);',
    '  // chat: "switchboard ask" and the chat panel; plan: "switchboard ask --task plan" (the strongest).',
    '  "routes": {',
    ...routeLines,
    '  },',
    '  "providers": {',
    ...openai,
    '    "anthropic": {',
    '      // Another server speaking Anthropic\'s API (a proxy); empty: api.anthropic.com.',
    '      // "baseUrl": "https://anthropic-proxy.example.com",',
    '    },',
    '    "bedrock": {',
    '      // Empty: AWS_REGION, else AWS_DEFAULT_REGION, else us-east-1.',
    '      // "region": "eu-west-1",',
    '      // An AWS profile from ~/.aws/config (an SSO one too); empty: the AWS credential chain\'s default.',
    '      // "profile": "my-profile",',
    '    },',
    '  },',
    '  // Auto: each ask scored on this machine (no model call) and sent to the route\'s cheap or strong tier;',
    '  // "switchboard route PROMPT" shows what it would pick and why.',
    `  "auto": { "enabled": ${json(SETTING_DEFAULTS['auto.enabled'])} },`,
    '  // Limits in US dollars, 0 for none, counted from the ledger; past one: "warn", "downgrade" (to each',
    '  // route\'s cheapest model) or "block".',
    '  "budget": {',
    `    "dailyUsd": ${json(SETTING_DEFAULTS['budget.dailyUsd'])},`,
    `    "monthlyUsd": ${json(SETTING_DEFAULTS['budget.monthlyUsd'])},`,
    `    "action": ${json(SETTING_DEFAULTS['budget.action'])},`,
    '  },',
    '  // The ledger, one line per request (never prompts or keys), read by "switchboard costs" and the editor.',
    '  // Empty: the per-user default, shared with VS Code. Absolute or ~/…, ending in .jsonl.',
    '  // "ledger": { "path": "~/switchboard/ledger.jsonl" },',
    '}',
    '',
  ].join('\n');
}
