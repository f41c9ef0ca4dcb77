import path from 'node:path';
import { languageIdForPath } from '../core/completion/languageIds';
import { ExcludeMatcher } from '../core/exclude';
import { formatModelRef, parseModelRef } from '../core/modelRef';
import { attachment, MAX_ATTACHED_CHARS, promptWithAttachments, type Attachment } from '../core/prompts/attachments';
import { planChatRequest } from '../core/prompts/chatContext';
import { chatRequest, PLAN_SYSTEM, CHAT_SYSTEM } from '../core/prompts/taskPrompts';
import { redactSecrets } from '../core/redact';
import type { Switchboard } from '../core/switchboard';
import { TASKS, type ModelRef, type Task } from '../core/types';
import type { CliOptions } from './cliOptions';
import { terminalFilter } from './terminalText';
import { answerFooter, budgetWarning, CliError, closeSwitchboard, decodeText, listenForInterruption, loadConfig, looksBinary, openSwitchboard, readFileStart, readStdin, readStdinBytes, resultJson, type CliIO } from './cliSupport';

export async function askCommand(options: CliOptions, positionals: string[], io: CliIO): Promise<number> {
  const task = (options.task ?? 'chat') as Task;
  if (!TASKS.includes(task)) {
    throw new CliError(`unknown task "${options.task}" for --task (expected ${TASKS.join(', ')})`);
  }
  const model = options.model === undefined ? undefined : parseModelRef(options.model);
  if (options.model !== undefined && !model) {
    throw new CliError(`--model "${options.model}" is not a model reference (expected provider:model, e.g. anthropic:claude-haiku-4-5)`);
  }
  let prompt = positionals.join(' ');
  // `git diff | switchboard ask --attach - "Review this"`: standard input is read once, for one of the two.
  const stdinAttached = (options.attach ?? []).filter((name) => name === '-').length;
  if (stdinAttached > 1) throw new CliError('--attach - given twice: standard input can be read once');
  if (stdinAttached && (prompt === '-' || prompt === '')) throw new CliError('--attach - reads standard input, so PROMPT must be given as an argument');
  if (prompt === '-' || (prompt === '' && !io.stdin.isTTY)) prompt = await readStdin(io);
  if (!prompt.trim()) throw new CliError('no prompt given (pass it as an argument, or "-" to read standard input)');
  const config = await loadConfig(options.config, io);
  const excluded = new ExcludeMatcher(config.exclude);
  const attachments: Attachment[] = [];
  for (const file of options.attach ?? []) attachments.push(await readAttachment(file, excluded, io));

  const switchboard = await openSwitchboard(config, options.ledger, io);
  if (model && !switchboard.registry.status(model.provider)) {
    throw new CliError(`--model "${options.model}": unknown provider "${model.provider}"`);
  }
  const maxTokens = task === 'plan' ? config.plan.maxTokens : task === 'chat' ? config.chat.maxTokens : config.completion.maxTokens;
  const system = task === 'plan' ? PLAN_SYSTEM : CHAT_SYSTEM;
  const text = promptWithAttachments(prompt, attachments);
  const request = chatRequest(text, maxTokens, system);
  // Routed once, here, so the context checked is that of the model the request goes to.
  const routed = switchboard.router.route(task, request, model ? { model } : {});
  const tooLong = overContext(switchboard, routed.models, text, maxTokens, system);
  if (tooLong) {
    await closeSwitchboard(switchboard, io);
    throw new CliError(tooLong);
  }

  const interruption = listenForInterruption(io);
  const shown = io.stdoutIsTTY ? terminalFilter() : { write: (chunk: string) => chunk, end: () => '' };
  try {
    const result = await switchboard.router.run(task, request, {
      signal: interruption.signal,
      routed,
      ...(model ? { model } : {}),
      ...(options.json ? {} : { onText: (text) => io.stdout(shown.write(text)) }),
    });
    if (!options.json) io.stdout(shown.end());
    const overBudget = budgetWarning(result, switchboard);
    await closeSwitchboard(switchboard, io);
    if (overBudget) io.stderr(`switchboard: warning: ${overBudget}\n`);
    if (options.json) io.stdout(`${JSON.stringify(resultJson(result))}\n`);
    else if (result.text && !result.text.endsWith('\n')) io.stdout('\n');
    const { record } = result;
    if (record.outcome === 'cancelled') {
      io.stderr('switchboard: cancelled\n');
      return interruption.exitCode();
    }
    if (record.outcome === 'error') {
      throw new CliError(result.error ?? 'the request failed', 1);
    }
    if (io.stderrIsTTY && !options.json) io.stderr(`switchboard: ${answerFooter(result)}\n`);
    return 0;
  } finally {
    interruption.dispose();
  }
}

/**
 * `--attach FILE`: the file as the chat panel attaches one, labelled with its
 * path from the working directory, key-shaped strings masked; a file matching
 * `exclude` (the editor's `switchboard.exclude`) is refused before it is read.
 */
async function readAttachment(name: string, excluded: ExcludeMatcher, io: CliIO): Promise<Attachment> {
  if (name === '-') {
    const bytes = await readStdinBytes(io, 'the --attach - text');
    if (looksBinary(bytes)) throw new CliError('--attach - (standard input) looks binary; not attached');
    const attached = attachment('standard input', 'plaintext', decodeText(bytes, '--attach - (standard input)', io));
    return { ...attached, text: redactSecrets(attached.text) };
  }
  const relative = path.relative(io.cwd, path.resolve(io.cwd, name));
  const inside = relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
  if (excluded.excludes((inside ? relative : path.resolve(io.cwd, name)).split(path.sep).join('/'))) {
    throw new CliError(`--attach ${name} is excluded by "exclude" (the defaults or --config); not attached`);
  }
  // Enough bytes for more than MAX_ATTACHED_CHARS characters (at most 3 bytes each), so a longer file is cut and says so.
  const { path: file, size, bytes } = await readFileStart(name, '--attach', io, MAX_ATTACHED_CHARS * 4);
  if (looksBinary(bytes)) throw new CliError(`--attach ${name} looks binary; not attached`);
  const text = decodeText(bytes, `--attach ${name}`, io, size > bytes.length);
  const attached = attachment(path.relative(io.cwd, file) || path.basename(file), languageIdForPath(file), text);
  return { ...attached, text: redactSecrets(attached.text) };
}

/**
 * Why the prompt cannot fit the context of the model it would go to, if so: the chat panel refuses such a
 * message before sending it, and so does the CLI (a 16 MB pipe into `ask -` would otherwise be uploaded, and
 * refused by the provider or billed).
 */
function overContext(switchboard: Switchboard, route: readonly ModelRef[], text: string, maxTokens: number, system: string): string | undefined {
  const target = switchboard.router.eligibility(route).eligible[0] ?? route[0];
  if (!target) return undefined;
  const price = switchboard.priceTable.lookup(target.provider, target.model);
  const planned = planChatRequest([], text, {
    maxTokens,
    system,
    modelLabel: formatModelRef(target),
    ...(price?.maxInputTokens ? { contextTokens: price.maxInputTokens } : {}),
  });
  return planned.ok ? undefined : `${planned.reason.replace(/^This message/, 'The prompt (with its attachments)')} Nothing was sent.`;
}
