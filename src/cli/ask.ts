import { parseModelRef } from '../core/modelRef';
import { chatRequest, PLAN_SYSTEM, CHAT_SYSTEM } from '../core/prompts/taskPrompts';
import { TASKS, type Task } from '../core/types';
import type { CliOptions } from './cliOptions';
import { CliError, loadConfig, openSwitchboard, readStdin, resultJson, type CliIO } from './cliSupport';

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
  if (prompt === '-' || (prompt === '' && !io.stdin.isTTY)) prompt = await readStdin(io.stdin);
  if (!prompt.trim()) throw new CliError('no prompt given (pass it as an argument, or "-" to read standard input)');

  const config = await loadConfig(options.config, io);
  const switchboard = await openSwitchboard(config, options.ledger, io);
  if (model && !switchboard.registry.status(model.provider)) {
    throw new CliError(`--model "${options.model}": unknown provider "${model.provider}"`);
  }
  const maxTokens = task === 'plan' ? config.plan.maxTokens : task === 'chat' ? config.chat.maxTokens : config.completion.maxTokens;
  const request = chatRequest(prompt, maxTokens, task === 'plan' ? PLAN_SYSTEM : CHAT_SYSTEM);

  const controller = new AbortController();
  const onInterrupt = () => controller.abort();
  process.once('SIGINT', onInterrupt);
  io.stdoutClosed?.addEventListener('abort', onInterrupt, { once: true });
  try {
    const result = await switchboard.router.run(task, request, {
      signal: controller.signal,
      ...(model ? { model } : {}),
      ...(options.json ? {} : { onText: (text) => io.stdout(text) }),
    });
    await switchboard.ledger.flush();
    if (options.json) io.stdout(`${JSON.stringify(resultJson(result))}\n`);
    else if (result.text && !result.text.endsWith('\n')) io.stdout('\n');
    const { record } = result;
    if (record.outcome === 'cancelled') {
      io.stderr('switchboard: cancelled\n');
      return 130;
    }
    if (record.outcome === 'error') {
      throw new CliError(result.error ?? 'the request failed', 1);
    }
    return 0;
  } finally {
    process.removeListener('SIGINT', onInterrupt);
    io.stdoutClosed?.removeEventListener('abort', onInterrupt);
  }
}
