import * as vscode from 'vscode';

/**
 * Snooze or Resume Inline Completions' state, per workspace. Kept until resumed: a window reload that silently
 * brought ghost text back would spend what the user paused.
 */
export class CompletionSnooze {
  private snoozed: boolean;

  constructor(
    private readonly state: vscode.Memento,
    private readonly onChange: () => void,
  ) {
    this.snoozed = state.get<boolean>(SNOOZED_KEY) === true;
  }

  isSnoozed(): boolean {
    return this.snoozed;
  }

  /** Resolves once the workbench holds the new state, so what says "resumed" or "snoozed" is said after it is kept. */
  async set(value: boolean): Promise<void> {
    this.snoozed = value;
    this.onChange();
    await this.state.update(SNOOZED_KEY, value || undefined);
  }

  /** At start, in the log: still snoozed from before the reload. */
  logAtStart(log: vscode.LogOutputChannel): void {
    if (this.snoozed) log.info('Inline completions are still snoozed from before the window reloaded (Switchboard: Snooze or Resume Inline Completions resumes them).');
  }

  /** At the end of the start, for a while in the status bar: still snoozed. */
  noteAtStart(context: vscode.ExtensionContext): void {
    if (this.snoozed) context.subscriptions.push(vscode.window.setStatusBarMessage('Switchboard: inline completions are still snoozed', SNOOZED_NOTE_MS));
  }
}

const SNOOZED_KEY = 'switchboard.completionsSnoozed';
/** How long the start says that ghost text is still snoozed. */
const SNOOZED_NOTE_MS = 10_000;
