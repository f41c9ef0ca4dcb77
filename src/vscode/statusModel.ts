import { describeReset } from '../core/budget/budgetGate';
import type { BudgetAction } from '../core/config';
import { formatRecordCost, formatUsd, formatUsdLeft } from '../core/cost';
import type { LedgerRecord } from '../core/ledger';
import { shortModelName } from '../core/modelRef';
import type { RouterEvent } from '../core/router';
import type { DaySpend } from '../core/spendTracker';
import { promptTokens, type ModelRef, type Task } from '../core/types';
import { FREE_ON_LOCAL_SERVER_ACTION, FREE_ON_LOCAL_SERVER_SETTING, TABLE_RATE_MARK, tableRateNote } from '../core/prices/localServerRate';
import { escapeMarkdown, refText } from './hoverMarkdown';
import { withoutIcons } from './iconText';
import { routingText } from './requestStory';
import { spendTooltip } from './spendTooltip';

/** Adds a model to switchboard.freeOnLocalServer (freeOnLocalServer.ts registers it; named here, with no vscode import). */
export const FREE_ON_LOCAL_SERVER_COMMAND = 'switchboard.freeOnLocalServer';

/**
 * What the status-bar item shows, computed from one health value without
 * touching VS Code, so it can be tested in plain Node. statusBar.ts turns it
 * into a StatusBarItem.
 */
export type Health =
  | 'restricted'
  | 'no-credentials'
  | 'budget-reached'
  | 'budget-downgraded'
  | 'budget-over'
  | 'budget-warning'
  | 'completion-unavailable'
  | 'idle'
  | 'waiting'
  | 'ok'
  | 'fell-back'
  | 'error'
  | 'cancelled';

export interface StatusInput {
  simulated: boolean;
  /** The workspace is not trusted: nothing from it goes to a model. */
  restricted?: boolean;
  anyUsableProvider: boolean;
  /** The budget limit nearest its end, when one is at its warning threshold or reached. */
  budget?: BudgetReadout;
  /** Why each provider left out for an invalid setting (a server URL without a scheme…) is out, the setting named. */
  providerSettingProblems?: string[];
  /** Providers out because their key was kept back from a host (keyHost.ts), with why: allowing the host is the fix. */
  withheldKeys?: { host: string; reason: string }[];
  /** Why inline completions cannot be asked for (an empty route, no credentials for its models), while they are on. */
  completionUnavailable?: string;
  /** Set while a request is under way; `streaming` once its text has begun to arrive. */
  waitingOn?: { task: Task; ref: ModelRef; fallbackFrom?: ModelRef; streaming?: boolean };
  last?: LedgerRecord;
  lastError?: string;
  today: DaySpend;
  snoozed?: boolean;
  /**
   * While the ledger cannot be written: its path, why, how many records wait in memory, and whether their
   * spend reaches other windows' and the CLI's budgets (published beside the ledger or in a fallback folder).
   */
  ledgerUnwritten?: { path: string; reason: string; kept: number; dropped?: number; reachesOthers: boolean };
  /** The server the openai provider is pointed at, when it is not api.openai.com, and where that came from. */
  openaiServer?: { url: string; from: 'setting' | 'OPENAI_BASE_URL' };
  /** Why settings from a container's Remote settings are not used yet (containerSettingsConsent.ts). */
  containerSettingsHeld?: string;
}

/** What the readout needs to know of a budget limit (see core/budget). */
export interface BudgetReadout {
  /** "daily budget", "monthly openai budget" */
  label: string;
  /** The setting, without `switchboard.` */
  setting: string;
  limitUsd: number;
  spentUsd: number;
  leftUsd: number;
  level: 'ok' | 'warning' | 'reached';
  action: BudgetAction;
  resetsAt: Date;
  /** The limit's setting holds no valid limit (what is wrong with it): it counts as reached until fixed. */
  invalid?: string;
}

export interface StatusView {
  health: Health;
  text: string;
  /** Markdown. */
  tooltip: string;
  background?: 'warning' | 'error';
  command: 'switchboard.setApiKey' | 'switchboard.showRecentRequests' | 'switchboard.openSettings' | 'switchboard.allowKeyHost';
}

type Waiting = NonNullable<StatusInput['waitingOn']>;

/**
 * What the readout remembers of the router's events: the requests under way
 * (the newest is shown) and the last one that finished. statusBar.ts feeds it
 * every event; tests feed it the events of a scripted fault.
 */
export class StatusState {
  private readonly waiting = new Map<number, Waiting>();
  private last?: LedgerRecord;
  private lastError?: string;

  onRouterEvent(event: RouterEvent): void {
    if (event.type === 'waiting') {
      const previous = this.waiting.get(event.requestId);
      this.waiting.set(event.requestId, { task: event.task, ref: event.ref, ...(previous ? { fallbackFrom: previous.ref } : {}) });
    } else if (event.type === 'streaming') {
      const waiting = this.waiting.get(event.requestId);
      if (waiting) this.waiting.set(event.requestId, { ...waiting, streaming: true });
    } else if (event.type === 'finished') {
      this.waiting.delete(event.requestId);
      this.last = event.record;
      this.lastError = event.error;
    }
  }

  /** The whole input for statusView, given what the state does not hold. */
  input(rest: Omit<StatusInput, 'waitingOn' | 'last' | 'lastError'>): StatusInput {
    const waitingOn = [...this.waiting.values()].at(-1);
    return {
      ...rest,
      ...(waitingOn ? { waitingOn } : {}),
      ...(this.last ? { last: this.last } : {}),
      ...(this.lastError ? { lastError: this.lastError } : {}),
    };
  }
}

/** Attempts listed only because their model was resting: passed over, not failed. */
export function isCoolingNote(attempt: { error: string }): boolean {
  return attempt.error.startsWith('cooling down');
}

/**
 * States that last until something changes (trust, keys, settings, the day)
 * come first, so that refused requests do not flash an error per keystroke.
 */
export function statusView(input: StatusInput): StatusView {
  return withClickHint(withLedgerProblem(input, withBudget(input)));
}

/**
 * The tooltip's last line says what a click does, and only when the readout has not said it already: with no
 * provider a click sets a key (or allows a host, or opens the settings), and a closing "Click for recent requests"
 * there would contradict the line at the top.
 */
function withClickHint(view: StatusView): StatusView {
  if (view.command !== 'switchboard.showRecentRequests' || view.health === 'restricted') return view;
  return { ...view, tooltip: `${view.tooltip}\n\nClick for recent requests.` };
}

function withLedgerProblem(input: StatusInput, view: StatusView): StatusView {
  const unwritten = input.ledgerUnwritten;
  if (!unwritten) return view;
  // Said for as long as it lasts, not only in the warning shown once: the records wait in this window's memory.
  const kept = `${unwritten.kept} record${unwritten.kept === 1 ? '' : 's'}`;
  // Beyond what memory keeps the oldest go: lost for good, so said as long as the failure lasts.
  const dropped = unwritten.dropped ? ` (${unwritten.dropped} older one${unwritten.dropped === 1 ? '' : 's'} dropped past that, lost)` : '';
  // Other windows read the ledger: they count this spend in their budgets only if it could be published.
  const elsewhere = unwritten.reachesOthers
    ? "counted in the totals below and in other windows' and the CLI's budgets"
    : "counted in the totals below and in this window's budgets only: other windows and the CLI do not see this spend until it is written";
  const line = `**The ledger cannot be written** (${escapeMarkdown(unwritten.path)}: ${escapeMarkdown(unwritten.reason)}): ${kept} kept in memory${dropped}, ${elsewhere}, written once it works again.`;
  return { ...view, tooltip: `${line}\n\n${view.tooltip}`, background: view.background ?? 'warning' };
}

function withBudget(input: StatusInput): StatusView {
  const view = readout(input);
  const budget = input.budget;
  if (!budget || budget.level === 'reached') return view;
  const left = `**${capitalise(budget.label)}**: ${formatUsdLeft(budget.leftUsd, budget.limitUsd)} left of ${formatUsd(budget.limitUsd)} (switchboard.${budget.setting}); it resets ${describeReset(budget.resetsAt)}.`;
  // Far from a limit the tooltip alone says what is left; the readout itself is unchanged.
  if (budget.level === 'ok') return { ...view, tooltip: `${left}\n\n${view.tooltip}` };
  // Near a limit the readout keeps saying what answered, in the warning colour, with what is left.
  if (!['idle', 'ok', 'cancelled'].includes(view.health)) return view;
  return { ...view, health: 'budget-warning', text: `${view.text} · ${formatUsdLeft(budget.leftUsd, budget.limitUsd)} left`, tooltip: `${left}\n\n${view.tooltip}`, background: 'warning' };
}

function readout(input: StatusInput): StatusView {
  const prefix = input.simulated ? '$(beaker) Simulated · ' : '';
  const today = `today ${formatUsd(input.today.total.costUsd)}${input.today.total.unpriced ? '+' : ''}`;
  const tooltip = spendTooltip(input);

  if (input.restricted) {
    return {
      health: 'restricted',
      text: '$(shield) Switchboard: Restricted Mode',
      tooltip: `**Restricted Mode**: this workspace is not trusted, so Switchboard sends nothing from it to any model: no inline completions; chat, Ask, Plan and Explain Selection are off. Click for **Manage Workspace Trust** and recent requests.\n\n${tooltip}`,
      command: 'switchboard.showRecentRequests',
    };
  }
  if (!input.anyUsableProvider && input.withheldKeys?.length) {
    // A new key would be kept back as the old one was: the readout says so and the click allows the host.
    const hosts = input.withheldKeys.map(({ host }) => host);
    return {
      health: 'no-credentials',
      text: '$(key) Switchboard: key kept back',
      tooltip: `**No provider is usable.** ${input.withheldKeys.map(({ reason }) => escapeMarkdown(reason)).join('; ')}. Click to allow ${hosts.length === 1 ? escapeMarkdown(hosts[0]!) : 'one of these hosts'}.\n\n${tooltip}`,
      background: 'warning',
      command: 'switchboard.allowKeyHost',
    };
  }
  if (!input.anyUsableProvider && input.providerSettingProblems?.length) {
    // A key would not help: the provider is out until its setting is fixed, so the readout says that, not "no API key".
    return {
      health: 'no-credentials',
      text: '$(warning) Switchboard: check provider settings',
      tooltip: `**No provider is usable.** ${input.providerSettingProblems.map((problem) => escapeMarkdown(problem)).join('; ')}. Click to open Switchboard's settings; or set a key for another provider.\n\n${tooltip}`,
      background: 'warning',
      command: 'switchboard.openSettings',
    };
  }
  if (!input.anyUsableProvider) {
    return {
      health: 'no-credentials',
      text: '$(key) Switchboard: no API key',
      // Why, when the completion route says (a provider left out for an invalid server setting is named there).
      tooltip: `**No provider has credentials.** Click to set an OpenAI or Anthropic key. For a local server (Ollama, LM Studio…) run **Switchboard: Use a Local Server…** (it sets \`switchboard.providers.openai.baseUrl\`); for Bedrock, set up AWS credentials (a profile, SSO or environment keys).${input.completionUnavailable ? `\n\nInline completions: ${escapeMarkdown(input.completionUnavailable)}` : ''}\n\n${tooltip}`,
      background: 'warning',
      command: 'switchboard.setApiKey',
    };
  }
  if (input.waitingOn) {
    const { ref, task, fallbackFrom, streaming } = input.waitingOn;
    // Spinning only until the text begins: a spinning icon has the workbench draw a frame at every
    // display refresh for as long as it spins, which for a long chat answer is the whole stream, on
    // the same renderer that relays the answer to the chat panel (README, "Chat streaming").
    return {
      health: 'waiting',
      text: `${prefix}${streaming ? '$(pulse)' : '$(loading~spin)'} ${withoutIcons(shortModelName(ref.model))}… · ${today}`,
      tooltip: `${streaming ? 'Streaming from' : 'Waiting on'} **${refText(ref)}** for ${task}${fallbackFrom ? ` (fallback from ${refText(fallbackFrom)})` : ''}\n\n${tooltip}`,
      ...(fallbackFrom ? { background: 'warning' as const } : {}),
      command: 'switchboard.showRecentRequests',
    };
  }
  const budget = input.budget;
  if (budget?.level === 'reached') {
    const where =
      budget.invalid !== undefined
        ? `**switchboard.${escapeMarkdown(budget.setting)} is not a valid limit**: ${escapeMarkdown(budget.invalid)}; the ${budget.label} counts as reached until it is fixed.`
        : `**${capitalise(budget.label)} reached**: ${formatUsd(budget.spentUsd)} spent of ${formatUsd(budget.limitUsd)} (switchboard.${budget.setting}); it resets ${describeReset(budget.resetsAt)}.`;
    const states = {
      block: {
        health: 'budget-reached' as const,
        text: `$(circle-slash) budget reached · ${today}`,
        what: 'Requests are refused and inline completions pause until then. Click for **Raise Budget…** or **Allow Once**.',
        background: 'error' as const,
      },
      downgrade: {
        health: 'budget-downgraded' as const,
        text: `$(arrow-down) cheapest models only · ${today}`,
        what: 'Until then each route uses only its cheapest model. Click for **Raise Budget…**.',
        background: 'warning' as const,
      },
      warn: {
        health: 'budget-over' as const,
        text: `$(warning) over ${budget.label} · ${today}`,
        what: 'Requests go on (switchboard.budget.action is "warn").',
        background: 'warning' as const,
      },
    };
    const state = states[budget.action];
    return {
      health: state.health,
      text: `${prefix}${state.text}`,
      tooltip: `${where} ${state.what}\n\n${tooltip}`,
      background: state.background,
      command: 'switchboard.showRecentRequests',
    };
  }
  if (input.completionUnavailable) {
    return {
      health: 'completion-unavailable',
      text: `${prefix}$(circle-slash) no completion model · ${today}`,
      tooltip: `**No inline completions**: ${escapeMarkdown(input.completionUnavailable)}\n\n${tooltip}`,
      background: 'warning',
      command: 'switchboard.showRecentRequests',
    };
  }
  const last = input.last;
  if (!last) {
    return {
      health: 'idle',
      text: `${prefix}$(pulse) Switchboard · ${today}`,
      tooltip,
      command: 'switchboard.showRecentRequests',
    };
  }
  const cost = formatRecordCost(last);
  const name = withoutIcons(shortModelName(last.model));
  if (last.outcome === 'error' && last.usage.outputTokens === 0) {
    return {
      health: 'error',
      text: `${prefix}$(error) ${last.task} failed · ${today}`,
      tooltip: `**Last ${last.task} request failed**: ${escapeMarkdown(input.lastError ?? last.error ?? 'unknown error')}\n\n${tooltip}`,
      background: 'error',
      command: 'switchboard.showRecentRequests',
    };
  }
  if (last.outcome === 'error') {
    // Text had streamed before the failure: the partial answer was kept and billed.
    return {
      health: 'error',
      text: `${prefix}$(error) ${name} broke off · ${cost}${last.usageEstimated ? '~' : ''} · ${today}`,
      tooltip: `**${refText(last)} broke off mid-answer**: ${escapeMarkdown(input.lastError ?? last.error ?? 'unknown error')}\n\nThe partial answer was kept; ${cost}${last.usageEstimated ? ' (estimated usage)' : ''} was billed.${tableRateLine(last)}\n\n${tooltip}`,
      background: 'error',
      command: 'switchboard.showRecentRequests',
    };
  }
  const failed = last.attempts.filter((a) => !isCoolingNote(a) && !a.skipped);
  if (failed.length > 0) {
    const from = failed[0]!;
    return {
      health: 'fell-back',
      text: `${prefix}$(warning) ${name} · ${cost} · ${today} (${withoutIcons(shortModelName(from.model))} failed)`,
      tooltip: `**Fell back** to ${refText(last)} after:\n\n${failed.map((a) => `- ${refText(a)}: ${escapeMarkdown(a.error)}`).join('\n')}${tableRateLine(last)}\n\n${tooltip}`,
      background: 'warning',
      command: 'switchboard.showRecentRequests',
    };
  }
  const cancelled = last.outcome === 'cancelled';
  return {
    health: cancelled ? 'cancelled' : 'ok',
    text: `${prefix}$(check) ${name} · ${cost}${last.usageEstimated ? '~' : ''} · ${today}`,
    tooltip: `Last: **${refText(last)}** (${last.task}${cancelled ? ', cancelled' : ''}) ${cost}${last.usageEstimated ? ' (estimated usage)' : ''}, ${promptTokens(last.usage)} in / ${last.usage.outputTokens} out, ${last.latencyMs} ms${routingLine(last)}${tableRateLine(last)}\n\n${tooltip}`,
    command: 'switchboard.showRecentRequests',
  };
}

/**
 * For a request charged at its vendor's table rate on a server on this machine: why, and a link that makes the
 * model free there (statusBar.ts trusts the tooltip's links to that command alone; the command takes only a model
 * this window saw charged so, see freeOnLocalServer.ts).
 */
export function tableRateLine(record: Pick<LedgerRecord, 'provider' | 'model' | 'costUsd' | 'tableRateOnLocalServer'>): string {
  if (record.tableRateOnLocalServer !== true || record.costUsd === null) return '';
  const ref = `${record.provider}:${record.model}`;
  // encodeURIComponent leaves ( and ) as they are, which would end the link early.
  const argument = encodeURIComponent(JSON.stringify([ref])).replace(/\(/g, '%28').replace(/\)/g, '%29');
  return `\n\n**${capitalise(TABLE_RATE_MARK)}:** ${escapeMarkdown(tableRateNote(ref, FREE_ON_LOCAL_SERVER_SETTING, FREE_ON_LOCAL_SERVER_ACTION))}.\n\n[${escapeMarkdown(FREE_ON_LOCAL_SERVER_ACTION)}](command:${FREE_ON_LOCAL_SERVER_COMMAND}?${argument})`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function routingLine(record: LedgerRecord): string {
  const text = routingText(record);
  // Models not asked (their provider unusable: no key, a key withheld): why the route's first did not answer.
  const skipped = record.attempts.filter((a) => a.skipped).map((a) => `- ${refText(a)} not asked: ${escapeMarkdown(a.error)}`);
  return `${text ? `\n\n${escapeMarkdown(text)}` : ''}${skipped.length ? `\n\n${skipped.join('\n')}` : ''}`;
}
