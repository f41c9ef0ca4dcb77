import { createInterface } from 'node:readline';
import { formatModelRef } from '../core/modelRef';
import { ProviderRegistry } from '../core/providerRegistry';
import { planRoute, type RoutePlan } from '../core/routing/autoRoute';
import type { RoutingInput } from '../core/routing/features';
import type { ChatMessage, ModelRef } from '../core/types';
import { AUTO_ROUTED_TASKS, type AutoRoutedTask, type SwitchboardConfig } from '../core/config';
import { promptWithAttachments } from '../core/prompts/attachments';
import { readAttachments, readPromptArgs } from './attachArgs';
import type { CliOptions } from './cliOptions';
import { CliError, cliSettingName, loadConfig, type CliIO } from './cliSupport';
import { closestName } from './didYouMean';

/** Lines written per stdout call in --jsonl mode: 10,000 prompts in a handful of writes. */
const JSONL_BATCH = 500;

/**
 * `switchboard route`: which model Auto would pick for a prompt, and why,
 * without calling any model. With --jsonl, one decision per input line, in order.
 */
export async function routeCommand(options: CliOptions, positionals: string[], io: CliIO): Promise<number> {
  const task = (options.task ?? 'chat') as AutoRoutedTask;
  if (!AUTO_ROUTED_TASKS.includes(task)) {
    const nearest = closestName(String(options.task), AUTO_ROUTED_TASKS);
    throw new CliError(`--task "${options.task}" cannot be routed automatically (${nearest ? `did you mean ${nearest}? ` : ''}expected ${AUTO_ROUTED_TASKS.join(' or ')})`);
  }
  const config = await loadConfig(options.config, io);
  const registry = new ProviderRegistry(io.env, undefined, cliSettingName(options.config));
  await registry.configure(config);
  const router = autoRouter(config, task, registry);

  if (options.jsonl) {
    if (positionals.length > 0) throw new CliError('--jsonl reads prompts from standard input; give no PROMPT');
    if (options.attach?.length) throw new CliError('--attach goes with one PROMPT, not --jsonl (put the attached text in each line\'s "prompt")');
    return routeLines(io, (input) => router({ task, ...input }));
  }
  const { prompt, toAttach } = await readPromptArgs(positionals, options.attach, io, 'no prompt given (pass it as an argument, "-" to read standard input, or --jsonl)');
  // Scored as `ask --attach` would send it: the chat panel's attachments before the question.
  const attachments = await readAttachments(toAttach, config.exclude, io);
  const decision = router({ task, prompt: promptWithAttachments(prompt, attachments) });
  if (options.json) {
    io.stdout(`${JSON.stringify(decisionJson(decision))}\n`);
    return 0;
  }
  // An empty route leaves nothing to pick or score: said as `ask` refuses it, not as a pick of "(no model)".
  if (config.routes[task].length === 0 && (!config.auto.enabled || !decision.chosen)) {
    io.stdout(`(no model)  the ${task} route lists no model: add one to ${cliSettingName(options.config)(`routes.${task}`)}\n`);
    return 0;
  }
  const picked = `${decision.chosen ? formatModelRef(decision.chosen) : '(no model)'}  ${decision.tier} tier, score ${decision.score.toFixed(3)}`;
  let unusable = decision.unusable && `  (no model of the ${decision.tier} tier has credentials: ${decision.unusable})\n`;
  if (config.auto.enabled) io.stdout(`${picked}\n`);
  else {
    // Off (the default): `ask` sends to the route as listed, so that model comes first, not Auto's pick (a local
    // server's route was shown as going to openai:gpt-5.4-mini, a model no request of this configuration asks).
    const listed = config.routes[task].find((ref) => registry.status(ref.provider)?.usable) ?? config.routes[task][0];
    const uses = listed ? formatModelRef(listed) : '(no model)';
    io.stdout(`${uses}  the ${task} route as listed (Auto is off in this configuration)\n`);
    io.stdout(`  with Auto on ("auto": {"enabled": true} in --config): ${picked}\n`);
    const first = config.routes[task][0];
    // What stops the model named first, the route's, rather than the tier's Auto would pick.
    unusable = listed && first && !registry.status(listed.provider)?.usable
      ? `  (no model of the ${task} route has credentials: ${registry.status(first.provider)?.reason ?? `unknown provider "${first.provider}"`})\n`
      : undefined;
  }
  for (const reason of decision.reasons) io.stdout(`  - ${reason}\n`);
  if (unusable) io.stdout(unusable);
  return 0;
}

interface RoutedDecision {
  tier: 'cheap' | 'strong';
  score: number;
  reasons: string[];
  models: ModelRef[];
  /** The first model of the tier whose provider has credentials, else the tier's first model. */
  chosen?: ModelRef;
  /** Set when no model of the tier is usable: why the first one is not. */
  unusable?: string;
}

function autoRouter(config: SwitchboardConfig, task: AutoRoutedTask, registry: ProviderRegistry): (input: RoutingInput) => RoutedDecision {
  // What Auto would decide, even when the configuration turns it off.
  const auto = { ...config, auto: { ...config.auto, enabled: true } };
  const usable = (ref: ModelRef) => registry.status(ref.provider)?.usable === true;
  return (input) => {
    const plan: RoutePlan = planRoute(auto, task, () => input, {}, usable);
    const usableModel = plan.models.find(usable);
    const first = plan.models[0];
    return {
      tier: plan.routing?.tier ?? 'strong',
      score: plan.routing?.score ?? 0,
      reasons: plan.shownReasons ?? plan.routing?.reasons ?? [],
      models: plan.models,
      ...(usableModel ?? first ? { chosen: usableModel ?? first } : {}),
      ...(!usableModel && first ? { unusable: registry.status(first.provider)?.reason ?? `unknown provider "${first.provider}"` } : {}),
    };
  };
}

function decisionJson(decision: RoutedDecision) {
  return {
    provider: decision.chosen?.provider ?? null,
    model: decision.chosen?.model ?? null,
    tier: decision.tier,
    score: decision.score,
    reasons: decision.reasons,
  };
}

/** JSON Lines in (`{"prompt": "...", "history"?: [...]}`), one decision per line out, in order. */
async function routeLines(io: CliIO, router: (input: Omit<RoutingInput, 'task'>) => RoutedDecision): Promise<number> {
  const lines = createInterface({ input: io.stdin, crlfDelay: Infinity });
  let batch: string[] = [];
  let lineNumber = 0;
  try {
    for await (const raw of lines) {
      lineNumber++;
      // A file saved by a Windows editor starts with a byte order mark, which JSON.parse refuses (CRLF ends are readline's).
      const line = lineNumber === 1 ? raw.replace(/^\uFEFF/, '') : raw;
      if (!line.trim()) continue;
      const input = parseLine(line, lineNumber);
      batch.push(JSON.stringify(decisionJson(router(input))));
      if (batch.length >= JSONL_BATCH) {
        io.stdout(`${batch.join('\n')}\n`);
        batch = [];
      }
      if (io.stdoutClosed?.aborted) return 0;
    }
  } finally {
    // Decisions made before a bad line are still written, so the output lines up with the input up to it.
    if (batch.length > 0) io.stdout(`${batch.join('\n')}\n`);
  }
  return 0;
}

function parseLine(line: string, lineNumber: number): Omit<RoutingInput, 'task'> {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new CliError(`standard input line ${lineNumber}: not JSON (expected {"prompt": "..."})`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new CliError(`standard input line ${lineNumber}: expected an object {"prompt": "..."}`);
  const { prompt, history } = value as { prompt?: unknown; history?: unknown };
  if (typeof prompt !== 'string') throw new CliError(`standard input line ${lineNumber}: "prompt" must be a string`);
  // Scored, an empty message would be decided by the conversation before it (strong after a hard thread) though it
  // asks nothing; the chat panel never sends one and \`route PROMPT\` refuses one, so this refuses it too.
  if (!prompt.trim()) throw new CliError(`standard input line ${lineNumber}: "prompt" is empty${prompt ? ' (only white space)' : ''}: there is no question to route`);
  if (history !== undefined && !isHistory(history)) {
    throw new CliError(`standard input line ${lineNumber}: "history" must be a list of {"role": "user" | "assistant", "content": "..."}`);
  }
  return { prompt, ...(history ? { history } : {}) };
}

function isHistory(value: unknown): value is ChatMessage[] {
  return (
    Array.isArray(value) &&
    value.every((m: unknown) => {
      const message = m as Partial<ChatMessage> | null;
      return !!message && typeof message === 'object' && (message.role === 'user' || message.role === 'assistant') && typeof message.content === 'string';
    })
  );
}
