import * as vscode from 'vscode';
import { formatUsd } from '../core/cost';
import type { RouterEvent } from '../core/router';
import { formatModelRef } from '../core/modelRef';

/** The Switchboard log: one line per routing decision. Never holds prompts or keys. */
export function createLog(): vscode.LogOutputChannel {
  return vscode.window.createOutputChannel('Switchboard', { log: true });
}

export function logRouterEvent(log: vscode.LogOutputChannel, event: RouterEvent): void {
  switch (event.type) {
    case 'waiting':
      log.info(`#${event.requestId} ${event.task} → ${formatModelRef(event.ref)} (${event.reason})`);
      break;
    case 'attempt-failed':
      if (event.error.kind === 'cancelled') log.info(`#${event.requestId} ${event.task} cancelled while waiting on ${formatModelRef(event.ref)}`);
      else log.warn(`#${event.requestId} ${formatModelRef(event.ref)} failed (${event.error.kind}): ${event.error.message}`);
      break;
    case 'finished': {
      const r = event.record;
      const usage = `${r.usage.inputTokens} in + ${r.usage.cacheReadTokens} cache read + ${r.usage.cacheWriteTokens} cache write / ${r.usage.outputTokens} out${r.usageEstimated ? ' (estimated)' : ''}`;
      const line = `#${event.requestId} ${r.task} ${r.outcome}: ${r.provider}:${r.model} · ${formatUsd(r.costUsd)} · ${usage} · ${r.latencyMs} ms (first token ${r.firstTokenMs ?? '-'} ms)${r.attempts.length ? ` · after ${r.attempts.length} failed attempt(s)` : ''}`;
      if (r.outcome === 'error') log.error(`${line}: ${event.error ?? r.error ?? ''}`);
      else log.info(line);
      break;
    }
  }
}
