import { formatModelRef, parseModelRef } from '../core/modelRef';
import { promptWithAttachments } from '../core/prompts/attachments';
import { planChatRequest } from '../core/prompts/chatContext';
import { chatRequest, PLAN_SYSTEM, CHAT_SYSTEM } from '../core/prompts/taskPrompts';
import type { Switchboard } from '../core/switchboard';
import { TASKS, type ModelRef, type Task } from '../core/types';
import { readAttachments, readPromptArgs } from './attachArgs';
import { providerGuess } from './bareModel';
import type { CliOptions } from './cliOptions';
import { terminalFilter } from './terminalText';
import { CliError, cliSettingName, loadConfig, type CliIO } from './cliSupport';
import { closestName } from './didYouMean';
import { budgetCrossingLines, closeSwitchboard, openSwitchboard } from './cliSwitchboard';
import { listenForInterruption } from './interruption';
import { noProviderMessage } from './noProvider';
import { answerFooter, budgetSkippedLines, budgetWarning, failureMessage, fallbackLine, handedOverByBudget, notAskedLine, resultJson } from './resultOutput';

export async function askCommand(options: CliOptions, positionals: string[], io: CliIO): Promise<number> {
  const task = (options.task ?? 'chat') as Task;
  if (!TASKS.includes(task)) {
    // A typo of a task (`plans`, `cmopletion`) is named with it, as a typo of a flag or command is.
    const nearest = closestName(String(options.task), TASKS);
    throw new CliError(`unknown task "${options.task}" for --task (${nearest ? `did you mean ${nearest}? ` : ''}expected ${TASKS.join(', ')})`);
  }
  const model = options.model === undefined ? undefined : parseModelRef(options.model);
  if (options.model !== undefined && !model) {
    throw new CliError(`--model "${options.model}" is not a model reference (${providerGuess(options.model)}expected provider:model, e.g. anthropic:claude-haiku-4-5)`);
  }
  // `git diff | switchboard ask --attach - "Review this"`: standard input is read once, for one of the two.
  const { prompt, toAttach } = await readPromptArgs(positionals, options.attach, io, 'no prompt given (pass it as an argument, or "-" to read standard input)');
  const config = await loadConfig(options.config, io);
  const attachments = await readAttachments(toAttach, config.exclude, io);

  const switchboard = await openSwitchboard(config, options.config, options.ledger, io, model !== undefined);
  if (model && !switchboard.registry.status(model.provider)) {
    throw new CliError(`--model "${options.model}": unknown provider "${model.provider}"`);
  }
  const maxTokens = task === 'plan' ? config.plan.maxTokens : task === 'chat' ? config.chat.maxTokens : config.completion.maxTokens;
  const system = task === 'plan' ? PLAN_SYSTEM : CHAT_SYSTEM;
  const text = promptWithAttachments(prompt, attachments);
  const request = chatRequest(text, maxTokens, system);
  // Routed once, here, so the context checked is that of the model the request goes to.
  const routed = switchboard.router.route(task, request, model ? { model } : {});
  // Asked as the run will ask it: a first run with no key at all gets the short way on, not each model's reason.
  const refused = switchboard.router.refusal(task, model, routed);
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
    const overBudget = budgetWarning(result, switchboard, cliSettingName(options.config));
    const crossed = await budgetCrossingLines(switchboard);
    await closeSwitchboard(switchboard, io);
    for (const skipped of budgetSkippedLines(result)) io.stderr(`switchboard: warning: ${skipped}\n`);
    if (overBudget) io.stderr(`switchboard: warning: ${overBudget}\n`);
    for (const crossing of crossed) io.stderr(`switchboard: warning: ${crossing}\n`);
    if (options.json) io.stdout(`${JSON.stringify(resultJson(result))}\n`);
    else if (result.text && !result.text.endsWith('\n')) io.stdout('\n');
    const { record } = result;
    if (record.routing?.handedOverFrom && record.outcome !== 'error' && !handedOverByBudget(result)) {
      // stdout holds the answer alone; the hand-over is said where diagnostics go, with --json too.
      io.stderr(`switchboard: Auto ${record.routing.reasons[0] ?? `handed over from the ${record.routing.handedOverFrom} tier`}; answered on the ${record.routing.tier} tier by ${record.provider}:${record.model}\n`);
    }
    if (record.outcome === 'cancelled') {
      if (!interruption.readerGone()) io.stderr('switchboard: cancelled\n');
      return interruption.exitCode();
    }
    if (record.outcome === 'error') {
      const notAsked = refused ? undefined : notAskedLine(result);
      if (notAsked && !options.json) io.stderr(`switchboard: ${notAsked}\n`);
      const asked = model ? formatModelRef(model) : `the ${task} route`;
      throw new CliError(refused?.kind === 'no-credentials' ? noProviderMessage(refused, switchboard.registry, asked, options.config, io.cwd) : failureMessage(result, switchboard, 'the request failed', { configFile: options.config, env: io.env }), 1);
    }
    if (io.stderrIsTTY && !options.json) {
      // Plain, not dim: stderr on a terminal shows no escape sequence (terminalText.ts), ours included.
      const fellBack = fallbackLine(result);
      if (fellBack) io.stderr(`switchboard: ${fellBack}\n`);
      io.stderr(`switchboard: ${answerFooter(result)}\n`);
    }
    return 0;
  } finally {
    interruption.dispose();
  }
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
