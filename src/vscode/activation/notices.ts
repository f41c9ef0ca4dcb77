import * as vscode from 'vscode';
import type { BudgetCrossing } from '../../core/budget/budgetNotices';
import type { RouterEvent } from '../../core/router';
import { isAccessDenial } from '../../core/providers/providerError';
import type { Switchboard } from '../../core/switchboard';
import type { createKeyHostNotices } from '../keyHosts';
import { namesPriceSetting, plainInNotification } from '../notificationText';
import type { StatusBar } from '../statusBar';

/** The parts of the window a notice redraws or defers to; filled in as activation creates them. */
export interface NoticeTargets {
  statusBar?: StatusBar;
  keyHosts?: ReturnType<typeof createKeyHostNotices>;
  /** Allow Once itself (commands.ts OwnActions): the button's click is the user's answer, unlike the public command. */
  allowOnce?: () => void;
}

/**
 * The warnings the core's callbacks call for (a key refused, a budget refusing or crossed, the ledger failing),
 * each with the button that leads out of it.
 */
export class Notices {
  private readonly authWarned = new Map<string, number>();
  private shownLedgerProblem: string | undefined;

  constructor(
    private readonly log: vscode.LogOutputChannel,
    private readonly targets: NoticeTargets,
  ) {}

  /** The warnings a router event calls for: after the log, the status bar and the listeners have had it. */
  onRouterEvent(event: RouterEvent): void {
    // Refused without the key Switchboard kept back: the way out is allowing the host, not a new key.
    if (event.type === 'attempt-failed' && event.error.kind === 'auth' && !this.targets.keyHosts?.offer(event.ref.provider)) {
      // A permission (a 403 for a model, a region, a policy) is said in the provider's words, with no Set Key:
      // "rejected its credentials" would send the user to replace a key that works.
      if (isAccessDenial(event.error)) this.warnDeniedAccess(event.ref.provider, event.error.message);
      else this.warnRejectedKey(event.ref.provider);
    }
    // Inline completions pause quietly (the status bar says why); a question asked is answered with the way out.
    if (event.type === 'finished' && event.budgetRefused && event.record.task !== 'completion') this.offerBudgetActions(event.error ?? 'a budget limit is reached');
  }

  /** The core reports a failing ledger once until it works again; requests still answer. */
  ledgerFailed(error: Error): void {
    this.log.error(error.message);
    // The tooltip says it for as long as records wait in memory (statusModel.ts).
    this.targets.statusBar?.refresh();
    void vscode.window.showWarningMessage(plainInNotification(`Switchboard: ${error.message}`), 'Open Log').then((choice) => {
      if (choice === 'Open Log') this.log.show();
    });
  }

  /** Logged beside the warning it ends: the records it kept are in the ledger now. */
  ledgerRecovered(message: string): void {
    this.log.info(message);
    this.targets.statusBar?.refresh();
  }

  /**
   * A ledger path passed over (a named pipe, a folder, relative): said at start and whenever a settings change
   * brings a new one.
   */
  reportLedgerProblem(switchboard: Switchboard): void {
    const problem = switchboard.ledgerProblem && `${switchboard.ledgerProblem}; using ${switchboard.ledgerPath}`;
    if (problem && problem !== this.shownLedgerProblem) this.ledgerFailed(new Error(problem));
    this.shownLedgerProblem = problem;
  }

  /** One window tells of a crossing, whichever saw it first (the others share the claim beside the ledger). */
  budgetCrossed(crossing: BudgetCrossing): void {
    this.log.info(`budget: ${crossing.message}`);
    void vscode.window.showWarningMessage(plainInNotification(`Switchboard: ${crossing.message}`), RAISE_BUDGET, SHOW_COSTS).then((choice) => {
      if (choice === RAISE_BUDGET) void vscode.commands.executeCommand('switchboard.raiseBudget');
      if (choice === SHOW_COSTS) void vscode.commands.executeCommand('switchboard.showCosts');
    });
  }

  private offerBudgetActions(message: string): void {
    // A refusal that counts a model at the estimate, or refuses it for having no price, says how to price it:
    // the button goes there, first, since a price (0 for a free model) is the lasting way out.
    const buttons = namesPriceSetting(message) ? [SET_PRICE, RAISE_BUDGET, ALLOW_ONCE] : [RAISE_BUDGET, ALLOW_ONCE];
    void vscode.window.showWarningMessage(plainInNotification(`Switchboard: ${message}`), ...buttons).then((choice) => {
      if (choice === SET_PRICE) void vscode.commands.executeCommand('workbench.action.openGlobalSettings', { query: 'switchboard.prices' });
      if (choice === RAISE_BUDGET) void vscode.commands.executeCommand('switchboard.raiseBudget');
      if (choice === ALLOW_ONCE) this.targets.allowOnce?.();
    });
  }

  /** Once per provider every ten minutes: completions would otherwise repeat it on every keystroke. */
  private warnedLately(provider: string): boolean {
    const last = this.authWarned.get(provider) ?? 0;
    if (Date.now() - last < 10 * 60_000) return true;
    this.authWarned.set(provider, Date.now());
    return false;
  }

  private warnDeniedAccess(provider: string, message: string): void {
    if (this.warnedLately(provider)) return;
    void vscode.window.showWarningMessage(plainInNotification(`Switchboard: ${message}; falling back to the next model.`), 'Open Log').then((choice) => {
      if (choice === 'Open Log') this.log.show();
    });
  }

  private warnRejectedKey(provider: string): void {
    if (this.warnedLately(provider)) return;
    const keyed = provider === 'openai' || provider === 'anthropic';
    void vscode.window
      .showWarningMessage(plainInNotification(`Switchboard: ${provider} rejected its credentials; falling back to the next model.`), ...(keyed ? ['Set Key'] : []), 'Open Log')
      .then((choice) => {
        if (choice === 'Set Key') void vscode.commands.executeCommand(provider === 'openai' ? 'switchboard.setOpenAIKey' : 'switchboard.setAnthropicKey');
        if (choice === 'Open Log') this.log.show();
      });
  }
}

const RAISE_BUDGET = 'Raise Budget…';
const SET_PRICE = 'Set a Price…';

const SHOW_COSTS = 'Show Costs';
const ALLOW_ONCE = 'Allow Once';
