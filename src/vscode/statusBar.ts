import * as vscode from 'vscode';
import type { RouterEvent } from '../core/router';
import type { DaySpend } from '../core/spendTracker';
import { StatusState, statusView, type StatusView } from './statusModel';

export const STATUS_ITEM_ID = 'switchboard.status';

/**
 * The readout: which model answered last, what it cost, today's total.
 * Driven by router events; all wording lives in statusModel.ts.
 */
export class StatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly state = new StatusState();
  private current?: StatusView;
  private dayTimer?: ReturnType<typeof setTimeout>;

  constructor(
    private readonly sources: {
      simulated: () => boolean;
      restricted: () => boolean;
      anyUsableProvider: () => boolean;
      budgetUsd: () => number;
      completionUnavailable: () => string | undefined;
      today: () => DaySpend;
      snoozed: () => boolean;
    },
  ) {
    this.item = vscode.window.createStatusBarItem(STATUS_ITEM_ID, vscode.StatusBarAlignment.Right, 1000);
    this.item.name = 'Switchboard';
    this.refresh();
    this.item.show();
  }

  onRouterEvent(event: RouterEvent): void {
    this.state.onRouterEvent(event);
    this.refresh();
  }

  /** Redraws from the state: after a router event, a settings change or a change in today's spend. */
  refresh(): void {
    const completionUnavailable = this.sources.completionUnavailable();
    const view = statusView(
      this.state.input({
        simulated: this.sources.simulated(),
        restricted: this.sources.restricted(),
        anyUsableProvider: this.sources.anyUsableProvider(),
        budgetUsd: this.sources.budgetUsd(),
        ...(completionUnavailable ? { completionUnavailable } : {}),
        today: this.sources.today(),
        snoozed: this.sources.snoozed(),
      }),
    );
    this.current = view;
    this.item.text = view.text;
    const tooltip = new vscode.MarkdownString(view.tooltip, true);
    tooltip.isTrusted = false;
    this.item.tooltip = tooltip;
    this.item.command = view.command;
    this.item.backgroundColor = view.background ? new vscode.ThemeColor(`statusBarItem.${view.background}Background`) : undefined;
    this.item.accessibilityInformation = { label: view.text.replace(/\$\([^)]+\)\s*/g, ''), role: 'button' };
    this.refreshAtMidnight(view.health === 'budget-reached');
  }

  /** A spent budget is today's: the readout changes back at midnight even if nothing else happens. */
  private refreshAtMidnight(wanted: boolean): void {
    if (!wanted) {
      clearTimeout(this.dayTimer);
      this.dayTimer = undefined;
      return;
    }
    if (this.dayTimer) return;
    const now = new Date();
    const midnight = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1);
    this.dayTimer = setTimeout(() => {
      this.dayTimer = undefined;
      this.refresh();
    }, midnight.getTime() - now.getTime() + 1000);
  }

  /** For tests inside the extension host: what the item shows now. */
  get view(): StatusView | undefined {
    return this.current;
  }

  dispose(): void {
    clearTimeout(this.dayTimer);
    this.item.dispose();
  }
}
