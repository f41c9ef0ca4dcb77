import * as vscode from 'vscode';

/** The walkthrough contributed in package.json (`contributes.walkthroughs`), as the command that opens it names it. */
const WALKTHROUGH_ID = 'switchboard-dev.switchboard#gettingStarted';
const SHOWN_KEY = 'switchboard.walkthrough.shown';

/**
 * Context keys the walkthrough's steps complete on (`onContext:`). VS Code
 * marks a step done when such a key turns true while its walkthrough is
 * registered, and remembers it; a key already true when the walkthrough
 * registers (lazily, when the Welcome page first opens) never completes the
 * step in that session. So each key is pulsed, true then false, every time
 * the user reaches the milestone (at most every few seconds): a step missed
 * because the Welcome page was not open yet is done at the next occurrence.
 * (A pulse that overlaps the registration itself leaves that step for the
 * next session; pulses are short to make that rare.)
 */
export type Milestone = 'connected' | 'sawGhostText' | 'gotChatAnswer';

const PULSE_EVERY_MS = 5_000;
const PULSE_MS = 300;
/** How long the Welcome page takes to register walkthroughs once it first opens. */
const REGISTERED_MS = 3_000;

export class WalkthroughProgress {
  private readonly lastPulse = new Map<Milestone, number>();

  reach(milestone: Milestone, now = Date.now()): void {
    if (now - (this.lastPulse.get(milestone) ?? -Infinity) < PULSE_EVERY_MS) return;
    this.lastPulse.set(milestone, now);
    const key = `switchboard.walkthrough.${milestone}`;
    void vscode.commands.executeCommand('setContext', key, true);
    // Long enough for the workbench to see it true (its context events may be batched).
    setTimeout(() => void vscode.commands.executeCommand('setContext', key, false), PULSE_MS);
  }

  /** Pulses every milestone reached so far again: the Welcome page has just been opened. */
  replay(): void {
    const reached = [...this.lastPulse.keys()];
    this.lastPulse.clear();
    for (const milestone of reached) this.reach(milestone);
  }

  /** Wraps the inline completion provider: the first suggestion returned is the first ghost text seen. */
  watchGhostText(provider: vscode.InlineCompletionItemProvider): vscode.InlineCompletionItemProvider {
    return {
      provideInlineCompletionItems: async (document, position, context, token) => {
        const items = await provider.provideInlineCompletionItems(document, position, context, token);
        const list = Array.isArray(items) ? items : items?.items;
        if (list && list.length > 0) this.reach('sawGhostText');
        return items;
      },
    };
  }
}

/**
 * Opens the walkthrough once, in the sandbox (`npm start`, simulated
 * providers), where a newcomer starts with VS Code's welcome page turned off.
 * An installed extension's walkthrough is offered by VS Code itself.
 */
export async function openWalkthroughOnce(globalState: vscode.Memento, progress: WalkthroughProgress): Promise<void> {
  if (globalState.get<boolean>(SHOWN_KEY)) return;
  await globalState.update(SHOWN_KEY, true);
  await vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH_ID, false);
  // Pulsed while the walkthrough registers, a key would be seen already true and the step left undone.
  setTimeout(() => progress.replay(), REGISTERED_MS);
}
