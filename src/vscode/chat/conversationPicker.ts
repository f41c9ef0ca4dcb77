import * as vscode from 'vscode';
import { deleteConversationQuestion } from '../notificationText';
import { conversationRow } from './conversationRows';
import type { ConversationSummary, Conversations } from './conversations';

const RENAME = { iconPath: new vscode.ThemeIcon('edit'), tooltip: 'Rename' };
const DELETE = { iconPath: new vscode.ThemeIcon('trash'), tooltip: 'Delete' };

type Item = vscode.QuickPickItem & { id?: string; summary?: ConversationSummary };

export interface ConversationActions {
  /** Shows the conversation (or a new one, for undefined) in the panel. */
  show(id: string | undefined): Promise<void>;
  /** The shown conversation was renamed, or deleted (another one is shown now). */
  changed(how: 'renamed' | 'deleted'): void;
}

/**
 * The chat panel's past conversations in this workspace, as a quick pick:
 * pick one to open it; each row has Rename and Delete buttons. Reopens after
 * a rename or delete, so several can be tidied in a row.
 */
export async function pickConversation(conversations: Conversations, actions: ConversationActions): Promise<void> {
  for (;;) {
    const outcome = await pickOnce(conversations);
    if (!outcome) return;
    if (outcome.kind === 'open') return actions.show(outcome.id);
    const { summary } = outcome;
    const wasShown = summary.id === conversations.currentId;
    if (outcome.kind === 'rename') {
      const title = await vscode.window.showInputBox({
        title: 'Switchboard: Rename Conversation',
        value: summary.title,
        prompt: 'A name for this conversation in the list',
        validateInput: (value) => (value.trim() ? undefined : 'The name cannot be empty.'),
      });
      if (title?.trim()) await conversations.rename(summary.id, title);
    } else {
      const confirmed = await vscode.window.showWarningMessage(
        deleteConversationQuestion(summary.title),
        { modal: true, detail: `Its ${summary.messages} messages are removed from this workspace. What it cost stays in the ledger.` },
        'Delete',
      );
      if (confirmed === 'Delete') await conversations.delete(summary.id);
    }
    if (wasShown) actions.changed(outcome.kind === 'delete' ? 'deleted' : 'renamed');
  }
}

type Outcome = { kind: 'open'; id: string | undefined } | { kind: 'rename' | 'delete'; summary: ConversationSummary };

function pickOnce(conversations: Conversations): Promise<Outcome | undefined> {
  const picker = vscode.window.createQuickPick<Item>();
  picker.title = 'Switchboard: Conversations in this workspace';
  picker.placeholder = 'Open a conversation; rename or delete it with the buttons on its row';
  picker.matchOnDescription = true;
  const current = conversations.currentId;
  const listed = conversations.list();
  picker.items = [
    { label: '$(add) New conversation', id: undefined },
    ...(listed.length ? [{ label: 'Past conversations', kind: vscode.QuickPickItemKind.Separator } satisfies Item] : []),
    ...listed.map(
      (summary): Item => ({
        ...conversationRow(summary, current),
        buttons: [RENAME, DELETE],
        id: summary.id,
        summary,
      }),
    ),
  ];
  return new Promise((resolve) => {
    let outcome: Outcome | undefined;
    picker.onDidTriggerItemButton(({ item, button }) => {
      if (!item.summary) return;
      outcome = { kind: button === RENAME ? 'rename' : 'delete', summary: item.summary };
      picker.hide();
    });
    picker.onDidAccept(() => {
      const item = picker.selectedItems[0];
      if (item) outcome = { kind: 'open', id: item.id };
      picker.hide();
    });
    picker.onDidHide(() => {
      picker.dispose();
      resolve(outcome);
    });
    picker.show();
  });
}
