import * as vscode from 'vscode';
import { budgetLine } from '../core/budget/budgetGate';
import { formatUsd } from '../core/cost';
import { ledgerWriteProblem } from '../core/ledger/ledgerWritable';
import { checkSetup, setupReportLines } from '../core/setupCheck';
import type { Switchboard } from '../core/switchboard';
import { setupReportName } from './setupReportName';

/**
 * Switchboard: Check Setup: what `switchboard doctor` says, for this window's settings and stored keys, in a
 * read-only plain-text editor that wraps its long lines (setupReportName.ts): selectable, searchable, easy to paste
 * into an issue. Lists models on each provider that has credentials, as the CLI does; sends no prompt and writes
 * nothing. No key character is in it (core/setupCheck.ts).
 */
export async function showSetupCheck(switchboard: Switchboard, env: NodeJS.ProcessEnv): Promise<vscode.TextDocument> {
  const text = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Switchboard: checking each provider…' }, () => setupText(switchboard, env));
  const document = await vscode.workspace.openTextDocument(setupReports().add(text));
  await vscode.window.showTextDocument(document, { preview: false });
  return document;
}

const SETUP_SCHEME = 'switchboard-setup';

/**
 * The reports shown, each under an address of its own. A report is a read-only document, not an untitled one:
 * an untitled document with text is unsaved, so closing a report would ask "Save changes?" every time.
 */
class SetupReports implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private shown = 0;

  add(text: string): vscode.Uri {
    this.shown += 1;
    const uri = vscode.Uri.from({ scheme: SETUP_SCHEME, path: `/${setupReportName(this.shown)}` });
    this.texts.set(uri.toString(), text);
    return uri;
  }

  forget(uri: vscode.Uri): void {
    this.texts.delete(uri.toString());
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? 'This setup check is no longer kept: run "Switchboard: Check Setup" again.\n';
  }
}

let reports: SetupReports | undefined;

/** Registered on first use and kept for the extension host's life (a few kilobytes a report, dropped on close). */
function setupReports(): SetupReports {
  if (!reports) {
    const created = new SetupReports();
    vscode.workspace.registerTextDocumentContentProvider(SETUP_SCHEME, created);
    vscode.workspace.onDidCloseTextDocument((document) => {
      if (document.uri.scheme === SETUP_SCHEME) created.forget(document.uri);
    });
    reports = created;
  }
  return reports;
}

async function setupText(switchboard: Switchboard, env: NodeJS.ProcessEnv): Promise<string> {
  const report = await checkSetup({ config: switchboard.currentConfig, registry: switchboard.registry, env, settingName: (key) => `switchboard.${key}` });
  const lines = ['Switchboard setup check (no prompt sent, nothing written)', '', ...setupReportLines(report)];
  const problem = await ledgerWriteProblem(switchboard.ledgerPath);
  lines.push(`ledger: ${switchboard.ledgerPath} (${problem ? `cannot be written: ${problem}` : 'writable'})`);
  const today = switchboard.today();
  lines.push(`spent: ${formatUsd(today.total.costUsd)} today (${today.total.requests} request${today.total.requests === 1 ? '' : 's'})`);
  const budgets = switchboard.budget.gate.statuses();
  if (budgets.length === 0) lines.push('budgets: none set (switchboard.budget.dailyUsd, switchboard.budget.monthlyUsd)');
  for (const status of budgets) lines.push(`budget: ${budgetLine(status)}`);
  if (report.routes.some((entry) => entry.unlisted)) lines.push('', 'Some routes name models the server does not list: "Switchboard: Use a Local Server…" asks it for its models and offers routes to them.');
  if (!report.anyAnswered) lines.push('', nothingAnswers(report));
  return `${lines.join('\n')}\n`;
}

const WAYS = '"Switchboard: Set API Key…", or "Switchboard: Use a Local Server…" for Ollama, LM Studio or vLLM';

/**
 * The closing advice when no provider answered. One that has credentials but did not answer (a local server not
 * started, a key refused) comes first, as in `switchboard doctor`: "run Set API Key…" alone would send someone whose
 * server is set, only not running, to set up again what is already there.
 */
function nothingAnswers(report: Awaited<ReturnType<typeof checkSetup>>): string {
  const failed = report.providers.filter((check) => check.usable && check.answer.state === 'failed');
  if (failed.length === 0) return `Nothing can answer: run ${WAYS}.`;
  const mend = failed.map((check) => `${check.id} did not answer (${check.answer.detail}; ${check.credentials})`).join('; ');
  return `Nothing can answer: ${mend}. Mend that and run "Switchboard: Check Setup" again, or run ${WAYS}.`;
}
