import type * as vscode from 'vscode';
import type { AnswerFooter } from '../shared/chatProtocol';

/**
 * The documents Ask and Plan wrote in this window, with the footer of the
 * answer each holds: "Continue This Document in Chat" shows such a document
 * as the model's message with its cost, where a document the user wrote
 * becomes the user's own attachment. Plans also get their step check boxes.
 */
export class AnswerDocuments {
  private readonly written = new Map<string, { footer: AnswerFooter; plan: boolean }>();
  private readonly listeners = new Set<() => void>();

  /** `simulated`: the sandbox's fake providers answer now, so a document continued in the chat shows its cost as simulated there too. */
  constructor(private readonly simulated: () => boolean = () => false) {}

  remember(document: vscode.TextDocument, footer: AnswerFooter, plan: boolean): void {
    this.written.set(document.uri.toString(), { footer: this.simulated() ? { ...footer, simulated: true } : footer, plan });
    for (const listener of this.listeners) listener();
  }

  /** Called after each remembered answer (a plan's steps are final then); returns how to stop. */
  onDidRemember(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  footerOf(document: vscode.TextDocument): AnswerFooter | undefined {
    return this.written.get(document.uri.toString())?.footer;
  }

  isPlan(document: vscode.TextDocument): boolean {
    return this.written.get(document.uri.toString())?.plan ?? false;
  }

  forget(document: vscode.TextDocument): void {
    this.written.delete(document.uri.toString());
  }
}
