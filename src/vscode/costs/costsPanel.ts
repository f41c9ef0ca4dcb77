import { homedir } from 'node:os';
import * as vscode from 'vscode';
import { budgetEstimateNote } from '../../core/budget/budgetEstimates';
import { budgetAlert } from '../../core/budget/budgetAlert';
import { budgetLine } from '../../core/budget/budgetGate';
import { editorSettingName } from '../../core/config/settingNamer';
import { formatUsd } from '../../core/cost';
import { redactSecrets } from '../../core/redact';
import { CostIndex } from '../../core/costs/costIndex';
import { exportCsv } from '../../core/costs/costExport';
import { followCosts, openCostIndex } from '../../core/costs/costLedger';
import { dayRange } from '../../core/costs/dayRange';
import { strongTierPrices } from '../../core/costs/strongTier';
import { localModelsOf, strongTierLabels, unpricedModels } from '../../core/costs/unpricedModels';
import type { StoppedRead } from '../../core/ledger/reader';
import type { LedgerTail } from '../../core/ledger/tail';
import { hostLedgerWarnings } from '../ledgerWarnings';
import type { Switchboard } from '../../core/switchboard';
import type { FreeOnLocalServer } from '../freeOnLocalServer';
import { dashboardHtml, DEFAULT_QUERY, parseDashboardMessage, type DashboardHostMessage, type DashboardQuery, type DashboardToHost } from '../../shared/dashboardProtocol';
import { receivePageMessages, rootList, webviewPage, webviewRoots } from '../webviewHost';

export const COSTS_PANEL_TYPE = 'switchboard.costs';
/** New lines in the ledger are read at most this often while requests stream in. */
const FOLLOW_INTERVAL_MS = 250;
/**
 * An open slower than this shows the figures of the files read so far, newest
 * first, rather than nothing: caches rebuilt from a year of records (the first
 * open after an upgrade) took seconds. A quicker open sends one view.
 */
const PARTIAL_VIEW_AFTER_MS = 300;

/**
 * The cost dashboard's host: one editor panel that folds the shared ledger
 * (every file of it, archived months included) into a CostIndex when opened,
 * then follows the live file through the ledger's own tail (this window's
 * requests as they finish, other windows' and the CLI's as the file grows,
 * a monthly rotation read through) and sends the page a fresh view for its
 * range and filters.
 */
export class CostsPanel implements vscode.Disposable {
  private panel?: vscode.WebviewPanel;
  private index = new CostIndex();
  private tail?: LedgerTail;
  /** Which ledger is followed; bumped to drop a read of one no longer followed. */
  private generation = 0;
  private followedPath?: string;
  private query: DashboardQuery = DEFAULT_QUERY;
  private reading?: Promise<void>;
  /** While the first read of the ledger goes on: how far it is (or where it stopped, at a file it could not read). */
  private opening?: { read: number; files: number; stopped?: true };
  private again = false;
  private followTimer?: ReturnType<typeof setTimeout>;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly switchboard: Switchboard,
    private readonly log: vscode.LogOutputChannel,
    private readonly freeOnLocalServer?: FreeOnLocalServer,
  ) {}

  /**
   * Opens the dashboard, or brings it to the front. Either way what this
   * window holds is written first (the served-completion counts, otherwise
   * written when their minute is over), so the dashboard shows them now.
   */
  show(): void {
    if (this.panel) {
      this.panel.reveal();
      this.catchUp();
      return;
    }
    const roots = webviewRoots(this.context.extensionUri);
    const panel = vscode.window.createWebviewPanel(COSTS_PANEL_TYPE, 'Switchboard Costs', vscode.ViewColumn.Active, { enableScripts: true, localResourceRoots: rootList(roots), retainContextWhenHidden: true });
    this.panel = panel;
    panel.iconPath = vscode.Uri.joinPath(roots.media, 'switchboard.svg');
    panel.webview.html = dashboardHtml(webviewPage(panel.webview, roots, 'dashboard'));
    const subscriptions = [
      receivePageMessages(panel.webview, parseDashboardMessage, this.log, { host: 'costs', page: 'the dashboard' }, (message) => this.handle(message)),
      panel.onDidChangeViewState(({ webviewPanel }) => {
        if (webviewPanel.visible) this.catchUp();
      }),
      panel.onDidDispose(() => {
        for (const subscription of subscriptions) subscription.dispose();
        this.close();
      }),
    ];
  }

  /** A request of this window finished: its record reaches the file soon (see Ledger.append). */
  onRequestFinished(): void {
    if (!this.panel) return;
    void this.switchboard.ledger.flush().then(() => this.follow());
  }

  /** Writes what this window holds (the minute's served counts too), then shows it. */
  private catchUp(): void {
    void this.switchboard.flush().then(() => this.follow());
  }

  /** Settings changed: the ledger may have moved, the routes' strong tiers may differ. */
  onConfigChanged(): void {
    if (!this.panel) return;
    // Other prices judge a recorded cost otherwise (ledger/costCheck.ts): the ledger is read again under them.
    if (this.followedPath !== this.switchboard.ledgerPath || this.followedPrices !== this.switchboard.ledgerPrices.key) this.startFollowing();
    else this.follow();
  }

  /** The prices the ledger being followed was read under (costCheck.ts's key). */
  private followedPrices: string | undefined;

  /** The `provider:model` of rows sent as charged at their vendor's rate on a server on this machine: the page's button may name only these. */
  private readonly tableRateRows = new Set<string>();

  private async handle(message: DashboardToHost): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.query = message.query;
        await this.switchboard.flush();
        this.startFollowing();
        return;
      case 'query':
        this.query = message.query;
        this.send();
        return;
      case 'export':
        await this.export(message.query).catch((error: unknown) => this.problem(`The costs were not exported: ${errorText(error)}`));
        return;
      case 'setKey':
        await vscode.commands.executeCommand('switchboard.setApiKey');
        return;
      case 'setPrice':
        // User settings: prices are read from there only (application scope), as the budget refusal's Set a Price… opens them.
        await vscode.commands.executeCommand('workbench.action.openGlobalSettings', { query: 'switchboard.prices' });
        return;
      case 'freeOnLocalServer':
        // Only a model of a row this page was sent as charged at its vendor's rate on a server on this machine.
        if (this.tableRateRows.has(message.model)) await this.freeOnLocalServer?.markFree(message.model);
        return;
    }
  }

  /** Reads every file of the ledger, then follows the live one as it grows (watched, and polled where no change events come). */
  private startFollowing(): void {
    const ledgerPath = this.switchboard.ledgerPath;
    const generation = ++this.generation;
    void this.tail?.close();
    this.tail = undefined;
    const prices = this.switchboard.ledgerPrices;
    this.followedPath = ledgerPath;
    this.followedPrices = prices.key;
    this.index = new CostIndex();
    const started = performance.now();
    const warn = (warning: string) => this.warnOnce([warning]);
    this.opening = undefined;
    // What was read so far, shown if a later file cannot be read (see the catch below).
    let readSoFar: { index: CostIndex; progress: { read: number; files: number } } | undefined;
    const partial = (index: CostIndex, progress: { read: number; files: number }) => {
      readSoFar = { index, progress };
      if (generation !== this.generation || !this.panel || progress.read === progress.files) return;
      if (performance.now() - started < PARTIAL_VIEW_AFTER_MS) return;
      // Until an answered request is read, the page keeps waiting rather than show "No requests yet" too soon.
      if (index.unansweredOnly !== undefined) return;
      this.index = index;
      this.opening = progress;
      this.send();
    };
    void openCostIndex(ledgerPath, warn, partial, prices)
      .then(async ({ index, warnings, tail, stopped }) => {
        if (generation !== this.generation || !this.panel) {
          await tail.close();
          return;
        }
        this.warnOnce(warnings);
        this.index = index;
        this.tail = tail;
        tail.watch(() => this.scheduleFollow());
        this.log.info(`costs: read ${this.index.records} requests from ${ledgerPath} in ${Math.round(performance.now() - started)} ms`);
        this.showStopped(stopped);
      })
      .catch((error: unknown) => {
        if (generation !== this.generation) return;
        // The live file cannot be read (nothing to follow), or a file's costliest requests, read apart after its
        // scan, could not be (an archive that cannot be scanned comes through `stopped` above): what was read
        // before is shown with the note that the read stopped, and nothing is followed.
        if (readSoFar) {
          this.index = readSoFar.index;
          this.opening = { ...readSoFar.progress, stopped: true };
          this.send();
        }
        this.problem(`Cannot read the ledger ${ledgerPath}: ${errorText(error)}`);
      });
  }

  /**
   * Sends the view of an open that ended. One archive that cannot be read (a named pipe, say) does not blank the
   * page: the files read before it are shown, however quick the read was, with the note that the read stopped
   * rather than "Still reading" for good, and the problem that names the file. The note stays on every view (the
   * live file is still followed) until the ledger is read again.
   */
  private showStopped(stopped: StoppedRead | undefined): void {
    this.opening = stopped && { ...stopped.progress, stopped: true };
    this.send();
    if (stopped) this.problem(`Cannot read the ledger ${this.followedPath ?? this.switchboard.ledgerPath}: ${errorText(stopped.error)}`);
  }

  private scheduleFollow(): void {
    this.followTimer ??= setTimeout(() => {
      this.followTimer = undefined;
      this.follow();
    }, FOLLOW_INTERVAL_MS);
  }

  /** Reads what was appended since last time, then sends a view; one read at a time, the latest wish kept. */
  private follow(): void {
    if (this.reading) {
      this.again = true;
      return;
    }
    const tail = this.tail;
    if (!tail) return;
    const warn = (warning: string) => this.warnOnce([warning]);
    // The index of this tail: should the ledger be read again meanwhile, what comes goes into the one dropped.
    this.reading = followCosts({ index: this.index, tail }, warn)
      .then(async (reopened) => {
        if (tail !== this.tail) {
          await reopened?.tail.close();
          return;
        }
        if (reopened) {
          // The live file was replaced or emptied: read again with the archives rather than added on top.
          this.warnOnce(reopened.warnings);
          this.index = reopened.index;
          this.tail = reopened.tail;
          reopened.tail.watch(() => this.scheduleFollow());
          this.log.info(`costs: ${tail.file} was replaced or emptied; read again, ${this.index.records} requests`);
          this.showStopped(reopened.stopped);
          return;
        }
        this.send();
      })
      .catch((error: unknown) => this.problem(`Cannot read the ledger ${tail.file}: ${errorText(error)}`))
      .finally(() => {
        this.reading = undefined;
        if (this.again) {
          this.again = false;
          this.follow();
        }
      });
  }

  private send(): void {
    if (!this.panel || !(this.tail || this.opening)) return;
    const config = this.switchboard.currentConfig;
    const query = this.query;
    const prices = this.switchboard.priceTable;
    const report = this.index.report({ range: dayRange(query.range), filters: query, strongPrice: strongTierPrices(config, prices) });
    const statuses = this.switchboard.budget.gate.statuses();
    // A limit past its warning or used up also says so in the notice's words, with what happens next, as `costs` does.
    const budgets = statuses.map((status) => {
      const alert = budgetAlert(status, config.budget.warnAt, config.budget.action, editorSettingName);
      return { text: budgetLine(status), level: status.level, ...(alert ? { alert: alert.message } : {}) };
    });
    // Only beside a budget: without one, the estimate counts toward nothing.
    const budgetEstimate = statuses.length > 0 ? budgetEstimateNote(this.switchboard.budget.estimates(), 'switchboard.budget.unpricedEstimate', 'in switchboard.prices') : undefined;
    const unanswered = this.index.unansweredOnly;
    // Models the page may offer to make free: its costliest rows' and its note's (tableRateModels), charged at their
    // vendor's rate on a server on this machine.
    for (const line of report.view.byModel) {
      if (!line.tableRate) continue;
      this.tableRateRows.add(line.model);
      this.freeOnLocalServer?.noteRecord({ provider: line.provider, model: line.model.slice(line.provider.length + 1), tableRateOnLocalServer: true });
    }
    this.post({
      type: 'view',
      query,
      view: report.view,
      top: report.top,
      strongModels: strongTierLabels(config, prices),
      unpriced: unpricedModels(report.view.byModel, prices),
      localModels: localModelsOf(report.view.byModel),
      empty: unanswered !== undefined,
      ...(this.switchboard.registry.anyUsable() ? {} : { noProvider: true }),
      ...(unanswered ? { unanswered } : {}),
      ledgerPath: this.tail?.file ?? this.switchboard.ledgerPath,
      budgets,
      ...(budgetEstimate ? { budgetEstimate: budgetEstimate.slice(0, 4000) } : {}),
      ...(this.opening ? { reading: this.opening } : {}),
    });
  }

  private async export(query: DashboardQuery): Promise<void> {
    const range = dayRange(query.range);
    const name = `switchboard-costs-${range.from ?? 'all'}-to-${range.to}.csv`;
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(homedir());
    const target = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.joinPath(folder, name), filters: { CSV: ['csv'] }, title: 'Export Switchboard costs' });
    if (!target) return;
    const csv = await exportCsv(this.switchboard.ledgerPath, { range, filters: query, prices: this.switchboard.ledgerPrices });
    this.warnOnce(csv.warnings);
    await vscode.workspace.fs.writeFile(target, Buffer.from(csv.chunks.join(''), 'utf8'));
    this.log.info(`costs: exported ${csv.requests} requests (${formatUsd(csv.totalUsd)}) and ${csv.served} completions served without a request, ${csv.rows} rows, to ${target.toString(true)}`);
    this.post({ type: 'exported', file: target.scheme === 'file' ? target.fsPath : target.toString(true), requests: csv.requests, served: csv.served, totalUsd: csv.totalUsd });
  }

  /** The ledger's warnings in the log, each line's once in the session (ledger/warningsOnce.ts), not on every refresh. */
  private warnOnce(warnings: Iterable<string>): void {
    for (const message of hostLedgerWarnings.fresh(warnings)) this.log.warn(`costs: ${message}`);
  }

  /** Logged, and said on the page: a ledger it cannot read would otherwise leave it waiting with no word. */
  private problem(message: string): void {
    const text = redactSecrets(message);
    this.log.error(`costs: ${text}`);
    this.post({ type: 'problem', message: text.slice(0, 2000) });
  }

  private post(message: DashboardHostMessage): void {
    void this.panel?.webview.postMessage(message);
  }

  private close(): void {
    this.panel = undefined;
    this.generation++;
    void this.tail?.close();
    this.tail = undefined;
    this.followedPath = undefined;
    this.index = new CostIndex();
    clearTimeout(this.followTimer);
    this.followTimer = undefined;
  }

  dispose(): void {
    this.panel?.dispose();
    this.close();
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
