import * as vscode from 'vscode';
import type { RouterEvent } from '../core/router';
import type { DaySpend } from '../core/spendTracker';
import { StatusState, statusView, type BudgetReadout, type StatusView } from './statusModel';

export const STATUS_ITEM_ID = 'switchboard.status';
const SOON_MS = 1000;

/**
 * The readout: which model answered last, what it cost, today's total.
 * Driven by router events; all wording lives in statusModel.ts.
 */
export class StatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly state = new StatusState();
  private current?: StatusView;
  private dayTimer?: { at: number; timer: ReturnType<typeof setTimeout> };
  private soon?: ReturnType<typeof setTimeout>;

  constructor(
    private readonly sources: {
      simulated: () => boolean;
      restricted: () => boolean;
      anyUsableProvider: () => boolean;
      budget: () => BudgetReadout | undefined;
      completionUnavailable: () => string | undefined;
      providerSettingProblems: () => string[];
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
    clearTimeout(this.soon);
    this.soon = undefined;
    const completionUnavailable = this.sources.completionUnavailable();
    const providerSettingProblems = this.sources.providerSettingProblems();
    const budget = this.sources.budget();
    const view = statusView(
      this.state.input({
        simulated: this.sources.simulated(),
        restricted: this.sources.restricted(),
        anyUsableProvider: this.sources.anyUsableProvider(),
        ...(budget ? { budget } : {}),
        ...(completionUnavailable ? { completionUnavailable } : {}),
        ...(providerSettingProblems.length ? { providerSettingProblems } : {}),
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
    this.refreshAt(budget?.resetsAt);
  }

  /**
   * Redraws within a second, once however often it is asked meanwhile: for
   * what changes on nearly every keystroke (ghost text served without a
   * request), where a redraw each time would send the item to the window each time.
   */
  refreshSoon(): void {
    this.soon ??= setTimeout(() => {
      this.soon = undefined;
      this.refresh();
    }, SOON_MS);
  }

  /** A budget's period ends at midnight: the readout changes back then even if nothing else happens. */
  private refreshAt(resetsAt: Date | undefined): void {
    if (this.dayTimer && this.dayTimer.at === resetsAt?.getTime()) return;
    clearTimeout(this.dayTimer?.timer);
    this.dayTimer = undefined;
    if (!resetsAt) return;
    // Timers cannot wait longer than about 24.8 days; a month's end is checked again after a day.
    const wait = Math.min(resetsAt.getTime() - Date.now() + 1000, 86_400_000);
    const timer = setTimeout(() => {
      this.dayTimer = undefined;
      this.refresh();
    }, Math.max(1000, wait));
    this.dayTimer = { at: resetsAt.getTime(), timer };
  }

  /** For tests inside the extension host: what the item shows now. */
  get view(): StatusView | undefined {
    return this.current;
  }

  dispose(): void {
    clearTimeout(this.dayTimer?.timer);
    clearTimeout(this.soon);
    this.item.dispose();
  }
}
