import type * as vscode from 'vscode';
import type { Switchboard } from '../../core/switchboard';
import type { Notices } from './notices';
import { hostLedgerWarnings } from '../ledgerWarnings';
import { StatusBar } from '../statusBar';
import type { BudgetReadout } from '../statusModel';
import { isRestricted } from '../workspaceTrust';

/** The status bar, reading each of its facts from the Switchboard when it redraws. */
export function createStatusBar(switchboard: Switchboard, window: { simulated: () => boolean; isSnoozed: () => boolean; containerSettingsHeld?: () => string | undefined }): StatusBar {
  return new StatusBar({
    simulated: window.simulated,
    restricted: isRestricted,
    anyUsableProvider: () => switchboard.registry.anyUsable(),
    budget: () => budgetReadout(switchboard),
    completionUnavailable: () => {
      if (window.isSnoozed() || !switchboard.currentConfig.completion.enabled) return undefined;
      const refusal = switchboard.router.refusal('completion');
      return refusal?.kind === 'empty-route' || refusal?.kind === 'no-credentials' ? refusal.message : undefined;
    },
    providerSettingProblems: () => switchboard.registry.invalidSettingReasons(),
    withheldKeys: () => switchboard.registry.withheldKeys().map(({ host, reason }) => ({ host, reason })),
    ledgerUnwritten: () => {
      const failure = switchboard.ledger.failure();
      return failure && { path: switchboard.ledgerPath, ...failure, reachesOthers: switchboard.keptSpendReachesOthers };
    },
    today: () => switchboard.today(),
    snoozed: () => window.isSnoozed(),
    containerSettingsHeld: () => window.containerSettingsHeld?.(),
    openaiServer: () => {
      const { baseUrl, baseUrlFrom } = switchboard.currentConfig.providers.openai;
      return baseUrl ? { url: baseUrl, from: baseUrlFrom ?? 'setting' } : undefined;
    },
  });
}

/**
 * Today's total from the shared ledger, without holding up activation; then spend from other windows and the CLI
 * as they append to it.
 */
export function followTodaysSpend(switchboard: Switchboard, ui: { statusBar?: StatusBar }, log: vscode.LogOutputChannel, notices: Notices): void {
  void switchboard
    .loadToday({ watch: true, onChange: () => ui.statusBar?.refresh(), onWarning: (warning) => logLedgerWarnings([warning], log) })
    .then((warnings) => {
      logLedgerWarnings(warnings, log);
      ui.statusBar?.refresh();
    }, (error: unknown) => notices.ledgerFailed(error instanceof Error ? error : new Error(String(error))));
}

/** The budget limit nearest its end, as the status bar shows it. */
function budgetReadout(switchboard: Switchboard): BudgetReadout | undefined {
  const status = switchboard.budget.gate.closest();
  if (!status) return undefined;
  const { limit } = status;
  return {
    label: limit.label,
    setting: limit.setting,
    limitUsd: limit.limitUsd,
    spentUsd: status.spentUsd,
    leftUsd: status.leftUsd,
    level: status.level,
    action: switchboard.currentConfig.budget.action,
    resetsAt: status.resetsAt,
    ...(limit.invalid !== undefined ? { invalid: limit.invalid } : {}),
  };
}

/** The ledger's warnings in the log, each line's once in the session (ledger/warningsOnce.ts), not on every read. */
function logLedgerWarnings(warnings: Iterable<string>, log: vscode.LogOutputChannel): void {
  for (const message of hostLedgerWarnings.fresh(warnings)) log.warn(message);
}
