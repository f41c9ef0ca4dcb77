import * as vscode from 'vscode';
import { formatUsd } from '../core/cost';
import type { RouteResult } from '../core/router';
import type { Switchboard } from '../core/switchboard';
import { promptTokens, type ModelRequest, type Task } from '../core/types';

export interface StreamDocumentRequest {
  title: string;
  heading: string;
  task: Task;
  request: ModelRequest;
}

/**
 * Streams a routed answer into a new Markdown editor, under a cancellable
 * progress notification, and signs it with the model and cost.
 * Edits are batched: one workspace edit per ~50 ms, not per token.
 */
export async function streamIntoNewDocument(
  c: { switchboard: Switchboard; log: vscode.LogOutputChannel },
  { title, heading, task, request }: StreamDocumentRequest,
): Promise<{ document: vscode.TextDocument; result: RouteResult } | undefined> {
  const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: heading });
  await vscode.window.showTextDocument(document, { preview: false });

  let buffered = '';
  let flushing: Promise<unknown> = Promise.resolve();
  const flush = () => {
    if (!buffered) return flushing;
    const text = buffered;
    buffered = '';
    flushing = flushing.then(() => {
      const edit = new vscode.WorkspaceEdit();
      edit.insert(document.uri, document.lineAt(document.lineCount - 1).range.end, text);
      return vscode.workspace.applyEdit(edit);
    });
    return flushing;
  };
  const timer = setInterval(() => void flush(), 50);

  try {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Switchboard: ${title}…`, cancellable: true },
      (_progress, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => controller.abort());
        return c.switchboard.router.run(task, request, {
          signal: controller.signal,
          onText: (text) => {
            buffered += text;
          },
        });
      },
    );
    clearInterval(timer);
    await flush();
    const r = result.record;
    const fellBack = r.requestedModel && r.requestedModel !== `${r.provider}:${r.model}` ? ` (route's first choice: ${r.requestedModel})` : '';
    const footer =
      r.outcome === 'error' && !result.text
        ? `\n\n---\n**Switchboard could not answer:** ${result.error ?? 'unknown error'}\n`
        : `\n\n---\n_${r.outcome === 'cancelled' ? 'Stopped. ' : ''}${r.outcome === 'error' ? `Interrupted: ${result.error}. ` : ''}Answered by ${r.provider}:${r.model}${fellBack} · ${formatUsd(r.costUsd)}${r.usageEstimated ? ' (estimated)' : ''} · ${promptTokens(r.usage)} in / ${r.usage.outputTokens} out · ${(r.latencyMs / 1000).toFixed(1)} s_\n`;
    buffered = footer;
    await flush();
    if (r.outcome === 'error') {
      void vscode.window.showErrorMessage(`Switchboard: ${result.error ?? 'the request failed'}`, 'Open Log').then((choice) => {
        if (choice === 'Open Log') c.log.show();
      });
    }
    return { document, result };
  } finally {
    clearInterval(timer);
  }
}
