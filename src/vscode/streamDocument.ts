import * as vscode from 'vscode';
import { formatModelRef } from '../core/modelRef';
import type { RouteResult } from '../core/router';
import type { Switchboard } from '../core/switchboard';
import type { ModelRequest, Task } from '../core/types';
import { AnswerLinkGuard } from './answerLinkGuard';
import { answerSignature, FAILED_WRITING_SIGNATURE, PENDING_SIGNATURE } from './answerSignature';
import { strongRetryOf } from './strongRetry';
import { allowClickedHost } from './keyHosts';
import { CHECK_SETUP, failureActions, keyFixFor, keyFixLabel } from './keyFix';
import { refuseWithoutProvider } from './noProvider';
import { autoAnswerNotice, plainInNotification, requestFailedNotice } from './notificationText';

export interface StreamDocumentRequest {
  /** 'Plan' or 'Ask': the progress notification's title. */
  title: string;
  task: Task;
  /**
   * The document's first lines and the request. Runs under the progress
   * notification, which shows as soon as the command starts: gathering the
   * context (the workspace's files, for a plan) may take a moment.
   */
  prepare(): Promise<{ heading: string; request: ModelRequest }> | { heading: string; request: ModelRequest };
  /** Set by "Retry with the strong model": the tier to use and the answer it re-asks. */
  retry?: { tier: 'strong'; of: string; unpriced?: boolean; handedOver?: boolean };
  /**
   * What the command does with an answer that has text (Plan: remember its
   * footer and steps, offer the preview). A strong-tier retry gets the same.
   */
  finish?(outcome: StreamedDocument): void;
}

export interface StreamedDocument {
  document: vscode.TextDocument;
  result: RouteResult;
}

const RETRY_STRONG = 'Retry with the strong model';

/**
 * Streams a routed answer into a new Markdown editor, under a cancellable
 * progress notification that says what it waits for, and signs it with the
 * model and cost. Edits are batched: one workspace edit per ~50 ms, not per token.
 * Undefined when cancelled before the request was made, or refused for want of a provider.
 */
export async function streamIntoNewDocument(
  c: { switchboard: Switchboard; log: vscode.LogOutputChannel; /** Whether the sandbox's fake providers answer now (SWITCHBOARD_SIMULATED). */ simulated?: () => boolean },
  asked: StreamDocumentRequest,
): Promise<StreamedDocument | undefined> {
  const { title, task, prepare, retry } = asked;
  // Ask and Plan refuse before their input box; this is for the ways in after it, such as the notification's
  // Retry with the strong model pressed once no provider is left: refused with the ways to one, as they are, not
  // with an answer editor holding the router's error that names every model of the route.
  if (refuseWithoutProvider(retry ? RETRY_STRONG : title, c.switchboard.registry)) return undefined;
  const outcome = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Switchboard: ${title}`, cancellable: true },
    async (progress, token) => {
      progress.report({ message: task === 'plan' ? 'reading the workspace…' : 'preparing…' });
      const { heading, request } = await prepare();
      if (token.isCancellationRequested) return undefined;
      // Signed from the start, the signature saying the answer is being written: a copy saved before the end
      // previews as an answer, not as the user's own file (answerSignature.ts).
      const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: heading + PENDING_SIGNATURE });
      await vscode.window.showTextDocument(document, { preview: false });
      const routed = c.switchboard.router.route(task, request, retry ? { tier: retry.tier } : {});
      const first = c.switchboard.router.eligibility(routed.models).eligible[0];
      // A progress notification's text takes links as any notification's does, and the model id is a route's (a
      // trusted workspace's or a container's may name one): shown as text (notificationText.ts).
      progress.report({ message: first ? plainInNotification(`waiting for ${formatModelRef(first)}…`) : 'asking…' });

      const writer = new BatchedWriter(document);
      const controller = new AbortController();
      const cancel = token.onCancellationRequested(() => controller.abort());
      // The user closed the answer's editor: nobody reads the rest, so it is not paid for (recorded as cancelled).
      // The event also fires when the user changes the document's language mode; the document then stays
      // open (VS Code disposes a closed document before it fires the event), and the answer goes on.
      const closed = vscode.workspace.onDidCloseTextDocument((closedDocument) => {
        if (closedDocument === document && closedDocument.isClosed) controller.abort();
      });
      let writing = false;
      try {
        const result = await c.switchboard.router.run(task, request, {
          signal: controller.signal,
          routed,
          ...(retry ? { retryOf: retry.of, retryOfUnpriced: retry.unpriced === true, retryOfHandedOver: retry.handedOver === true } : {}),
          onText: (text) => {
            if (!writing) {
              writing = true;
              progress.report({ message: 'writing… (Cancel keeps what has arrived)' });
            }
            writer.add(text);
          },
        });
        await writer.close(answerSignature(result, routed, { simulated: c.simulated?.() === true }));
        // A budget refusal already has its own toast, with Raise Budget and Allow Once; a second,
        // generic one would only repeat it and shift the stack under the user's click.
        if (result.record.outcome === 'error' && !result.budgetRefused) {
          // A rejected or missing key is fixed with a key, not by reading the log; a key kept back from its host
          // by allowing that host (a new key would be kept back too); a server that did not answer (a local server
          // not running) is looked into with Check Setup (keyFix.ts).
          const fix = keyFixFor(result, c.switchboard.registry);
          void vscode.window.showErrorMessage(requestFailedNotice(result.error), ...failureActions(result, c.switchboard.registry, fix)).then((choice) => {
            if (choice === 'Open Log') c.log.show();
            if (choice === CHECK_SETUP) void vscode.commands.executeCommand('switchboard.checkSetup');
            if (!fix || choice !== keyFixLabel(fix)) return;
            // This notification's own button, naming the host: the click is the answer (the command would ask again).
            if (fix.kind === 'allowHost') void allowClickedHost(c.switchboard.registry, fix.host);
            else void vscode.commands.executeCommand('switchboard.setApiKey');
          });
        } else {
          const notice = autoAnswerNotice(title, result.record);
          const id = result.record.id;
          if (notice?.offersRetry && id) {
            // Every Auto answer from the cheap tier can be asked again on the strong one, linked in the ledger.
            const of = { id, costUsd: result.record.costUsd, ...(result.record.routing ? { routing: result.record.routing } : {}) };
            void vscode.window.showInformationMessage(notice.text, RETRY_STRONG).then((choice) => {
              if (choice === RETRY_STRONG) void streamIntoNewDocument(c, strongRetryOf(asked, { heading, request }, of));
            });
          } else if (notice) {
            void vscode.window.showInformationMessage(notice.text);
          }
        }
        return { document, result };
      } finally {
        cancel.dispose();
        closed.dispose();
        // Signed already, unless a fault of ours came first: the pending line must not outlive the writing.
        await writer.close(FAILED_WRITING_SIGNATURE);
        if (document.isClosed) await emptyRevived(document.uri);
      }
    },
  );
  if (outcome?.result.text) asked.finish?.(outcome);
  return outcome;
}

/**
 * An edit already on its way when the user closed the answer's editor reaches a document that is gone, and
 * VS Code makes a new untitled one at its address to apply it to: unsaved, without an editor, kept by hot
 * exit. Emptied, it is no longer unsaved (an empty untitled document never is), so nothing of the closed
 * answer comes back. Only on a busy machine is an edit still on its way then.
 */
async function emptyRevived(uri: vscode.Uri): Promise<void> {
  const revived = vscode.workspace.textDocuments.find((open) => !open.isClosed && open.uri.toString() === uri.toString());
  if (!revived || revived.getText() === '') return;
  const edit = new vscode.WorkspaceEdit();
  edit.delete(revived.uri, new vscode.Range(new vscode.Position(0, 0), revived.lineAt(revived.lineCount - 1).range.end));
  await vscode.workspace.applyEdit(edit);
}

/**
 * Appends streamed text to a document at most every 50 ms, in order, above its pending signature; closing
 * puts the final signature in that line's place.
 */
class BatchedWriter {
  private buffered = '';
  private flushing: Promise<unknown> = Promise.resolve();
  private readonly timer = setInterval(() => void this.flush(), 50);
  private signed = false;
  /** The answer's links to anything but the web and mail, broken before the editor offers them to a Ctrl+click. */
  private readonly links = new AnswerLinkGuard();

  constructor(private readonly document: vscode.TextDocument) {}

  add(text: string): void {
    this.buffered += this.links.write(text);
  }

  /** Writes what is left, replaces the pending signature with `signature` (the first close only), and stops the timer. */
  async close(signature: string): Promise<void> {
    clearInterval(this.timer);
    this.buffered += this.links.end();
    await this.flush();
    if (this.signed) return;
    this.signed = true;
    const document = this.document;
    this.flushing = this.flushing.then(() => {
      if (document.isClosed) return false;
      const edit = new vscode.WorkspaceEdit();
      edit.replace(document.uri, new vscode.Range(pendingSignatureStart(document), documentEnd(document)), signature);
      return vscode.workspace.applyEdit(edit);
    });
    await this.flushing;
  }

  private flush(): Promise<unknown> {
    // A closed untitled document is gone: an edit to its URI would bring it back as a new, unsaved one.
    if (this.document.isClosed) this.buffered = '';
    if (!this.buffered) return this.flushing;
    const text = this.buffered;
    this.buffered = '';
    const document = this.document;
    this.flushing = this.flushing.then(() => {
      // Checked again when its turn comes: the editor may have closed while the edit before it was applied.
      if (document.isClosed) return false;
      const edit = new vscode.WorkspaceEdit();
      edit.insert(document.uri, pendingSignatureStart(document), text);
      return vscode.workspace.applyEdit(edit);
    });
    return this.flushing;
  }
}

function documentEnd(document: vscode.TextDocument): vscode.Position {
  return document.lineAt(document.lineCount - 1).range.end;
}

/**
 * Where the pending signature starts while the document still ends with it; else (the user edited or removed
 * it, or typed below it) the document's end, where the text goes as it always did. Only the last lines are read.
 */
function pendingSignatureStart(document: vscode.TextDocument): vscode.Position {
  const end = documentEnd(document);
  const lines = PENDING_SIGNATURE.split('\n').length;
  const tail = document.getText(new vscode.Range(new vscode.Position(Math.max(0, document.lineCount - lines), 0), end));
  return tail.endsWith(PENDING_SIGNATURE) ? document.positionAt(document.offsetAt(end) - PENDING_SIGNATURE.length) : end;
}
