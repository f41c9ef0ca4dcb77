import { inspect } from 'node:util';
import * as vscode from 'vscode';
import { formatRecordCost } from '../core/cost';
import type { RouterEvent } from '../core/router';
import { formatModelRef } from '../core/modelRef';
import { redactSecrets } from '../core/redact';
import { usageBoundNote } from '../core/usageBound';
import { describeRouting } from '../core/routing/autoRoute';
import type { Switchboard } from '../core/switchboard';
import type { FailedAttempt } from '../core/types';

/**
 * The Switchboard log: one line per routing decision. Never holds prompts; every
 * line passes through the redaction module on its way in, whoever writes it, so
 * a key inside an error message (or anything else) never reaches the log file.
 */
export function createLog(): vscode.LogOutputChannel {
  return new RedactingLog(vscode.window.createOutputChannel('Switchboard', { log: true }));
}

/** The arguments VS Code would append to a log line, formatted here so that they are redacted too. */
function line(message: string | Error, args: unknown[]): string {
  const head = message instanceof Error ? (message.stack ?? message.message) : message;
  const rest = args.map((arg) => (typeof arg === 'string' ? arg : arg instanceof Error ? (arg.stack ?? arg.message) : inspect(arg, { depth: 2, breakLength: Infinity })));
  return redactSecrets([head, ...rest].join(' '));
}

class RedactingLog implements vscode.LogOutputChannel {
  constructor(private readonly channel: vscode.LogOutputChannel) {}

  get name(): string {
    return this.channel.name;
  }
  get logLevel(): vscode.LogLevel {
    return this.channel.logLevel;
  }
  get onDidChangeLogLevel(): vscode.Event<vscode.LogLevel> {
    return this.channel.onDidChangeLogLevel;
  }
  trace(message: string, ...args: unknown[]): void {
    this.channel.trace(line(message, args));
  }
  debug(message: string, ...args: unknown[]): void {
    this.channel.debug(line(message, args));
  }
  info(message: string, ...args: unknown[]): void {
    this.channel.info(line(message, args));
  }
  warn(message: string, ...args: unknown[]): void {
    this.channel.warn(line(message, args));
  }
  error(error: string | Error, ...args: unknown[]): void {
    this.channel.error(line(error, args));
  }
  append(value: string): void {
    this.channel.append(redactSecrets(value));
  }
  appendLine(value: string): void {
    this.channel.appendLine(redactSecrets(value));
  }
  replace(value: string): void {
    this.channel.replace(redactSecrets(value));
  }
  clear(): void {
    this.channel.clear();
  }
  show(columnOrPreserveFocus?: vscode.ViewColumn | boolean, preserveFocus?: boolean): void {
    if (typeof columnOrPreserveFocus === 'boolean' || columnOrPreserveFocus === undefined) this.channel.show(columnOrPreserveFocus);
    else this.channel.show(columnOrPreserveFocus, preserveFocus);
  }
  hide(): void {
    this.channel.hide();
  }
  dispose(): void {
    this.channel.dispose();
  }
}

export function logRouterEvent(log: vscode.LogOutputChannel, event: RouterEvent): void {
  switch (event.type) {
    case 'waiting':
      log.info(`#${event.requestId} ${event.task} → ${formatModelRef(event.ref)} (${event.reason})`);
      break;
    case 'streaming':
      // The first token's time is in the finished line; a line per request here would add nothing.
      break;
    case 'attempt-failed':
      if (event.error.kind === 'cancelled') log.info(`#${event.requestId} ${event.task} cancelled while waiting on ${formatModelRef(event.ref)}`);
      else log.warn(`#${event.requestId} ${formatModelRef(event.ref)} failed (${event.error.kind}): ${event.error.message}`);
      break;
    case 'finished': {
      const r = event.record;
      const usage = `${r.usage.inputTokens} in + ${r.usage.cacheReadTokens} cache read + ${r.usage.cacheWriteTokens} cache write / ${r.usage.outputTokens} out${r.usageEstimated ? ' (estimated)' : ''}`;
      const routing = r.routing ? ` · ${r.routing.mode}: ${describeRouting(r.routing)}${r.routing.score !== undefined ? ` (score ${r.routing.score.toFixed(3)})` : ''}${r.retryOf ? ` · retry of ${r.retryOf}` : ''}` : '';
      const bound = usageBoundNote(r);
      const line = `#${event.requestId} ${r.task} ${r.outcome}: ${r.provider}:${r.model} · ${formatRecordCost(r)} · ${usage}${bound ? ` (${bound})` : ''} · ${r.latencyMs} ms (first token ${r.firstTokenMs ?? '-'} ms)${failedNote(r.attempts)}${routing}`;
      if (r.outcome === 'error') log.error(`${line}: ${event.error ?? r.error ?? ''}`);
      else log.info(line);
      break;
    }
  }
}

/** Each provider's state, at start and after every re-apply. */
export function logProviders(log: vscode.LogOutputChannel, switchboard: Switchboard): void {
  const { baseUrl, baseUrlFrom } = switchboard.currentConfig.providers.openai;
  for (const status of switchboard.registry.allStatuses()) {
    // The environment's server is in no settings file: the log says where it came from.
    const server = status.id === 'openai' && baseUrl ? ` at ${baseUrl} (from ${baseUrlFrom === 'OPENAI_BASE_URL' ? 'the OPENAI_BASE_URL environment variable' : 'switchboard.providers.openai.baseUrl'})` : '';
    log.info(`provider ${status.id}: ${status.usable ? `ready (key: ${status.keySource})` : `not usable: ${status.reason}`}${server}`);
    if (status.ignoredEndpoint) {
      log.warn(`provider ${status.id}: ${status.ignoredEndpoint} is set in this remote window's environment and is not used (a dev container's settings can set it); Bedrock goes to its region's AWS endpoint unless switchboard.providers.bedrock.endpoint names another`);
    }
  }
}

/** The attempts of a request in the log's line: how many failed, and the models not asked with why (no key, a key withheld). */
function failedNote(attempts: readonly FailedAttempt[]): string {
  const failed = attempts.filter((attempt) => !attempt.skipped).length;
  const skipped = attempts.filter((attempt) => attempt.skipped).map((attempt) => `${attempt.provider}:${attempt.model} not asked (${attempt.error})`);
  return `${failed ? ` · after ${failed} failed attempt(s)` : ''}${skipped.length ? ` · ${skipped.join('; ')}` : ''}`;
}
