import * as vscode from 'vscode';
import type { RouterEvent } from '../core/router';
import type { DaySpend } from '../core/spendTracker';
import { DayRedraw } from './statusDay';
import { FREE_ON_LOCAL_SERVER_COMMAND, StatusState, statusView, type BudgetReadout, type StatusInput, type StatusView } from './statusModel';

const STATUS_ITEM_ID = 'switchboard.status';
const SOON_MS = 1000;

/**
 * The readout: which model answered last, what it cost, today's total.
 * Driven by router events; all wording lives in statusModel.ts and the modules it draws on.
 */
export class StatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly state = new StatusState();
  private current?: StatusView;
  private readonly day = new DayRedraw(() => this.refresh());
  private readonly windowState: vscode.Disposable;
  private soon?: ReturnType<typeof setTimeout>;

  constructor(
    private readonly sources: {
      simulated: () => boolean;
      restricted: () => boolean;
      anyUsableProvider: () => boolean;
      budget: () => BudgetReadout | undefined;
      completionUnavailable: () => string | undefined;
      providerSettingProblems: () => string[];
      withheldKeys: () => { host: string; reason: string }[];
      today: () => DaySpend;
      snoozed: () => boolean;
      ledgerUnwritten: () => StatusInput['ledgerUnwritten'];
      openaiServer: () => StatusInput['openaiServer'];
      containerSettingsHeld: () => string | undefined;
    },
  ) {
    this.item = vscode.window.createStatusBarItem(STATUS_ITEM_ID, vscode.StatusBarAlignment.Right, 1000);
    this.item.name = 'Switchboard';
    // Focus, or activity after a while idle (WindowState.active): the first sign of a laptop woken from a suspend.
    this.windowState = vscode.window.onDidChangeWindowState(() => this.day.check());
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
    const withheldKeys = this.sources.withheldKeys();
    const budget = this.sources.budget();
    const today = this.sources.today();
    const ledgerUnwritten = this.sources.ledgerUnwritten();
    const openaiServer = this.sources.openaiServer();
    const containerSettingsHeld = this.sources.containerSettingsHeld();
    const view = statusView(
      this.state.input({
        simulated: this.sources.simulated(),
        restricted: this.sources.restricted(),
        anyUsableProvider: this.sources.anyUsableProvider(),
        ...(budget ? { budget } : {}),
        ...(completionUnavailable ? { completionUnavailable } : {}),
        ...(providerSettingProblems.length ? { providerSettingProblems } : {}),
        ...(withheldKeys.length ? { withheldKeys } : {}),
        today,
        snoozed: this.sources.snoozed(),
        ...(ledgerUnwritten ? { ledgerUnwritten } : {}),
        ...(openaiServer ? { openaiServer } : {}),
        ...(containerSettingsHeld ? { containerSettingsHeld } : {}),
      }),
    );
    this.current = view;
    this.item.text = view.text;
    const tooltip = new vscode.MarkdownString(view.tooltip, true);
    // Links run nothing but the one command that makes a local server's model free, which checks what it is given.
    tooltip.isTrusted = { enabledCommands: [FREE_ON_LOCAL_SERVER_COMMAND] };
    this.item.tooltip = tooltip;
    this.item.command = view.command;
    this.item.backgroundColor = view.background ? new vscode.ThemeColor(`statusBarItem.${view.background}Background`) : undefined;
    this.item.accessibilityInformation = { label: view.text.replace(/\$\([^)]+\)\s*/g, ''), role: 'button' };
    this.day.drawn(today.day, budget?.resetsAt);
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

  /** For tests inside the extension host: what the item shows now. */
  get view(): StatusView | undefined {
    return this.current;
  }

  dispose(): void {
    this.day.dispose();
    this.windowState.dispose();
    clearTimeout(this.soon);
    this.item.dispose();
  }
}
