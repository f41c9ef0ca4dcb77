import { formatRecordCost, formatUsd } from '../core/cost';
import type { LedgerRecord } from '../core/ledger';
import { shortModelName } from '../core/modelRef';
import { describeRouting } from '../core/routing/autoRoute';
import { FREE_ON_LOCAL_SERVER_ACTION, FREE_ON_LOCAL_SERVER_SETTING, TABLE_RATE_MARK, tableRateNote } from '../core/prices/localServerRate';
import { promptTokens } from '../core/types';
import { usageBoundNote } from '../core/usageBound';
import { withoutIcons } from './iconText';

/*
 * A recent request as the quick pick of Show Recent Requests tells it: its line in the list, and the details a
 * click on it shows. No vscode import: tested in plain Node.
 */

/** One line of the recent-requests quick pick. */
export function recentRequestItem(record: LedgerRecord): { label: string; description: string; detail: string } {
  const tokens = `${promptTokens(record.usage)}→${record.usage.outputTokens} tok${record.usageEstimated ? ' (est.)' : ''}`;
  const icon = record.outcome === 'ok' ? (record.attempts.some((a) => !a.skipped) ? '$(warning)' : '$(check)') : record.outcome === 'cancelled' ? '$(circle-slash)' : '$(error)';
  const time = new Date(record.time).toLocaleTimeString();
  return {
    label: `${icon} ${withoutIcons(shortModelName(record.model))} · ${formatRecordCost(record)}${record.tableRateOnLocalServer === true && record.costUsd !== null ? ` (${TABLE_RATE_MARK})` : ''}`,
    description: `${record.task} · ${tokens} · ${record.latencyMs} ms`,
    // Model ids and errors come from routes and providers: their `$(name)` is text here, not an icon.
    detail: withoutIcons(`${time} · ${record.provider}:${record.model}${routingText(record) ? ` · ${routingText(record)}` : ''}${record.attempts.length ? ` · after ${record.attempts.map((a) => `${a.model} (${a.skipped ? 'not asked: ' : ''}${a.error})`).join(', ')}` : ''}${record.error ? ` · ${record.error}` : ''}`),
  };
}

/** One request as the router told it: the ledger record, and why each model was tried. */
export interface RequestStory {
  /** The router's request number, which starts its lines in the log (`#12 …`). */
  requestId: number;
  record: LedgerRecord;
  /** The task's route when the request was made, `provider:model` each. */
  route: string[];
  /** Why the model that answered (or the last one tried) was asked. */
  reason?: string;
  /** The error the router reported, when the request failed. */
  error?: string;
}

/** The details of a recent request, one fact a row: what a click on it in the quick pick shows. */
export function requestDetails(story: RequestStory): Array<{ icon: string; label: string; value: string }> {
  const r = story.record;
  const answered = `${r.provider}:${r.model}`;
  const fellBack = r.requestedModel !== '' && r.requestedModel !== answered;
  const tokens = `${promptTokens(r.usage).toLocaleString('en-US')} in (${r.usage.cacheReadTokens.toLocaleString('en-US')} cache read, ${r.usage.cacheWriteTokens.toLocaleString('en-US')} cache write) / ${r.usage.outputTokens.toLocaleString('en-US')} out${r.usageEstimated ? ', estimated from the text' : ''}`;
  const bound = usageBoundNote(r);
  const cut = r.maxTokensReached !== undefined ? `, cut at the ${r.maxTokensReached.toLocaleString('en-US')}-token limit (switchboard.${r.task}.maxTokens)` : '';
  const outcome = r.outcome === 'ok' ? `answered${cut}` : r.outcome === 'cancelled' ? 'cancelled (what had arrived was kept and paid for)' : `failed: ${story.error ?? r.error ?? 'unknown error'}`;
  const rows = [
    { icon: 'hubot', label: 'Model', value: `${answered}${fellBack ? ` (the route's first choice was ${r.requestedModel})` : ''}` },
    { icon: 'list-ordered', label: `Route (${r.task})`, value: story.route.length ? story.route.join(' → ') : 'empty' },
    { icon: 'question', label: 'Why this model', value: story.reason ?? (fellBack ? 'a fallback' : 'the first usable model of the route') },
    {
      icon: 'debug-step-over',
      label: 'Fallbacks',
      value: r.attempts.length ? r.attempts.map((a) => `${a.provider}:${a.model}: ${a.skipped ? 'not asked: ' : ''}${a.error}`).join('; ') : 'none',
    },
    { icon: 'symbol-numeric', label: 'Tokens', value: tokens },
    ...(bound ? [{ icon: 'warning', label: 'Usage over its bound', value: bound }] : []),
    { icon: 'credit-card', label: 'Cost', value: costText(r) },
    { icon: 'watch', label: 'Latency', value: `${formatSeconds(r.latencyMs)} in all${r.firstTokenMs !== null ? `, first token after ${formatSeconds(r.firstTokenMs)}` : ''}` },
    { icon: r.outcome === 'ok' ? 'pass' : r.outcome === 'cancelled' ? 'circle-slash' : 'error', label: 'Outcome', value: outcome },
    { icon: 'clock', label: 'When', value: new Date(r.time).toLocaleString() },
  ];
  // Each value is a quick pick's description, and model ids and errors come from routes and providers.
  return rows.map((row) => ({ ...row, value: withoutIcons(row.value) }));
}

function costText(r: LedgerRecord): string {
  if (r.costUsd === null) return 'unpriced (no known price for this model)';
  if (r.costSource === 'local') return `${formatRecordCost(r)} (a server on this machine; a price in switchboard.prices counts instead)`;
  if (r.tableRateOnLocalServer === true) return `${formatUsd(r.costUsd)}, ${tableRateNote(`${r.provider}:${r.model}`, FREE_ON_LOCAL_SERVER_SETTING, `pick "${FREE_ON_LOCAL_SERVER_ACTION}" below`)}`;
  return formatUsd(r.costUsd);
}

function formatSeconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** "Auto: cheap tier: short request, no code attached (score 0.12)", or nothing when Auto played no part. */
export function routingText(record: LedgerRecord): string | undefined {
  const routing = record.routing;
  if (!routing) return undefined;
  const score = routing.score !== undefined ? ` (score ${routing.score.toFixed(2)})` : '';
  const mode = routing.mode === 'auto' ? 'Auto' : routing.mode === 'retry' ? 'Retry' : 'Picked';
  return `${mode}: ${describeRouting(routing)}${score}`;
}
