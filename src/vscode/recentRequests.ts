import * as vscode from 'vscode';
import { formatModelRef } from '../core/modelRef';
import type { RouterEvent } from '../core/router';
import type { Switchboard } from '../core/switchboard';
import { FREE_ON_LOCAL_SERVER_ACTION } from '../core/prices/localServerRate';
import type { FreeOnLocalServer } from './freeOnLocalServer';
import { recentRequestItem, requestDetails, type RequestStory } from './requestStory';

const KEPT = 50;

/**
 * This window's recent requests as the router told them: the ledger record,
 * the route at the time and why the model that answered was asked (which the
 * ledger does not keep). Completions served without a request are not here:
 * they have no model to explain.
 */
export class RecentRequests {
  private readonly stories: RequestStory[] = [];
  private readonly pending = new Map<number, { route: string[]; reason?: string }>();

  constructor(private readonly switchboard: Switchboard) {}

  onRouterEvent(event: RouterEvent): void {
    if (event.type === 'waiting') {
      const known = this.pending.get(event.requestId);
      const route = known?.route ?? this.switchboard.currentConfig.routes[event.task].map(formatModelRef);
      this.pending.set(event.requestId, { route, reason: event.reason });
      return;
    }
    if (event.type !== 'finished') return;
    const known = this.pending.get(event.requestId);
    this.pending.delete(event.requestId);
    this.stories.unshift({
      requestId: event.requestId,
      record: event.record,
      route: known?.route ?? this.switchboard.currentConfig.routes[event.record.task].map(formatModelRef),
      ...(known?.reason ? { reason: known.reason } : {}),
      ...(event.error ? { error: event.error } : {}),
    });
    if (this.stories.length > KEPT) this.stories.length = KEPT;
  }

  /** Newest first. */
  list(): readonly RequestStory[] {
    return this.stories;
  }
}

type DetailItem = vscode.QuickPickItem & { action?: 'log' | 'back' | 'free' };

/**
 * One request's details (model, route, why, fallbacks, tokens, cost, latency)
 * as a quick pick, with a way to its lines in the log. Resolves true when the
 * user asked to go back to the list.
 */
export function showRequestDetails(story: RequestStory, log: { logUri: vscode.Uri; show(): void }, free?: FreeOnLocalServer): Promise<boolean> {
  const picker = vscode.window.createQuickPick<DetailItem>();
  const { record } = story;
  picker.title = `Switchboard · request #${story.requestId} · ${record.task} · ${recentRequestItem(record).label.replace(/^\$\([^)]+\)\s*/, '')}`;
  picker.placeholder = 'Details of this request; pick "Show in Log" for its lines in the log';
  picker.matchOnDescription = true;
  picker.items = [
    ...requestDetails(story).map((row): DetailItem => ({ label: `$(${row.icon}) ${row.label}`, description: row.value })),
    { label: '', kind: vscode.QuickPickItemKind.Separator },
    ...(free && record.tableRateOnLocalServer === true && free.canFree(`${record.provider}:${record.model}`)
      ? [{ label: `$(check) ${FREE_ON_LOCAL_SERVER_ACTION}`, description: `${record.provider}:${record.model} costs $0 from now on while its server is on this machine`, action: 'free' as const }]
      : []),
    { label: '$(output) Show in Log', description: `the lines starting #${story.requestId}`, action: 'log' },
    { label: '$(arrow-left) Back to Recent Requests', action: 'back' },
  ];
  return new Promise((resolve) => {
    let back = false;
    picker.onDidAccept(() => {
      const action = picker.selectedItems[0]?.action;
      // A fact row has nothing to do: the list stays open to be read.
      if (!action) return;
      back = action === 'back';
      if (action === 'log') void revealInLog(story, log);
      if (action === 'free') void free?.markFree(`${record.provider}:${record.model}`);
      picker.hide();
    });
    picker.onDidHide(() => {
      picker.dispose();
      resolve(back);
    });
    picker.show();
  });
}

/**
 * Opens the log file at the request's last line (its outcome), selected. The
 * Output view cannot be scrolled to a line by an extension, but the file
 * behind a log channel can be opened like any other; if it cannot be read
 * (yet), the Output view shows the log instead.
 */
async function revealInLog(story: RequestStory, log: { logUri: vscode.Uri; show(): void }): Promise<void> {
  try {
    const document = await vscode.workspace.openTextDocument(log.logUri);
    const marker = `#${story.requestId} `;
    let found: number | undefined;
    for (let line = document.lineCount - 1; line >= 0 && found === undefined; line--) {
      if (document.lineAt(line).text.includes(`] ${marker}`)) found = line;
    }
    if (found === undefined) throw new Error(`no line for request #${story.requestId} yet`);
    const range = document.lineAt(found).range;
    await vscode.window.showTextDocument(document, { selection: range, preview: true });
  } catch {
    log.show();
  }
}
