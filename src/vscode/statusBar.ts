import * as vscode from 'vscode';
import type { LedgerRecord } from '../core/ledger';
import type { RouterEvent } from '../core/router';
import type { DaySpend } from '../core/spendTracker';
import type { ModelRef, Task } from '../core/types';
import { statusView, type StatusInput, type StatusView } from './statusModel';

export const STATUS_ITEM_ID = 'switchboard.status';

/**
 * The readout: which model answered last, what it cost, today's total.
 * Driven by router events; all wording lives in statusModel.ts.
 */
export class StatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private waiting = new Map<number, { task: Task; ref: ModelRef; fallbackFrom?: ModelRef }>();
  private last?: LedgerRecord;
  private lastError?: string;
  private current?: StatusView;
  private dayTimer?: ReturnType<typeof setTimeout>;

  constructor(
    private readonly state: {
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
    if (event.type === 'waiting') {
      const previous = this.waiting.get(event.requestId);
      this.waiting.set(event.requestId, { task: event.task, ref: event.ref, ...(previous ? { fallbackFrom: previous.ref } : {}) });
    } else if (event.type === 'finished') {
      this.waiting.delete(event.requestId);
      this.last = event.record;
      this.lastError = event.error;
    }
    this.refresh();
  }

  /** Served from the completion cache: nothing billed, but the readout shows it answered. */
  refresh(): void {
    const waitingOn = [...this.waiting.values()].at(-1);
    const completionUnavailable = this.state.completionUnavailable();
    const input: StatusInput = {
      simulated: this.state.simulated(),
      restricted: this.state.restricted(),
      anyUsableProvider: this.state.anyUsableProvider(),
      budgetUsd: this.state.budgetUsd(),
      ...(completionUnavailable ? { completionUnavailable } : {}),
      today: this.state.today(),
      snoozed: this.state.snoozed(),
      ...(waitingOn ? { waitingOn } : {}),
      ...(this.last ? { last: this.last } : {}),
      ...(this.lastError ? { lastError: this.lastError } : {}),
    };
    const view = statusView(input);
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
