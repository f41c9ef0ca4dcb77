import * as vscode from 'vscode';
import { chatRequest } from '../core/prompts/taskPrompts';
import type { Switchboard } from '../core/switchboard';
import { KEYED_PROVIDERS, promptForKey, type KeyedProvider, type SecretKeyStore } from './secrets';
import type { StatusBar } from './statusBar';
import { recentRequestItem } from './statusModel';
import type { ChatViewProvider } from './chat/chatViewProvider';
import { exclusionOf } from './exclusions';
import { runPlanCommand } from './planCommand';
import { streamIntoNewDocument } from './streamDocument';
import { MANAGE_TRUST_COMMAND, isRestricted, refuseInRestrictedMode } from './workspaceTrust';

export interface CommandContext {
  switchboard: Switchboard;
  chat: ChatViewProvider;
  keyStore: SecretKeyStore;
  log: vscode.LogOutputChannel;
  statusBar: StatusBar;
  setSnoozed(value: boolean): void;
  isSnoozed(): boolean;
}

export function registerCommands(context: vscode.ExtensionContext, c: CommandContext): void {
  const register = (id: string, run: (...args: unknown[]) => unknown) =>
    context.subscriptions.push(vscode.commands.registerCommand(id, run));

  const setKey = async (provider: KeyedProvider) => {
    if (await promptForKey(c.keyStore, provider)) {
      void vscode.window.showInformationMessage(`Switchboard: ${label(provider)} API key stored in secret storage.`);
    }
  };
  const clearKey = async (provider: KeyedProvider) => {
    await c.keyStore.clear(provider);
    void vscode.window.showInformationMessage(`Switchboard: ${label(provider)} API key removed from secret storage.`);
  };

  register('switchboard.setApiKey', async () => {
    const pick = await vscode.window.showQuickPick(
      [
        ...KEYED_PROVIDERS.map((p) => ({ label: `$(key) ${p.label}`, description: `or set ${p.envName}`, provider: p.id as KeyedProvider | 'bedrock' })),
        { label: '$(cloud) AWS Bedrock', description: 'uses your AWS profile or SSO login', provider: 'bedrock' as const },
      ],
      { title: 'Switchboard: set an API key', placeHolder: 'Which provider?' },
    );
    if (!pick) return;
    if (pick.provider === 'bedrock') {
      await vscode.commands.executeCommand('workbench.action.openSettings', 'switchboard.providers.bedrock');
      return;
    }
    await setKey(pick.provider);
  });
  register('switchboard.setOpenAIKey', () => setKey('openai'));
  register('switchboard.setAnthropicKey', () => setKey('anthropic'));
  register('switchboard.clearOpenAIKey', () => clearKey('openai'));
  register('switchboard.clearAnthropicKey', () => clearKey('anthropic'));
  register('switchboard.showLog', () => c.log.show());
  register('switchboard.openSettings', () => vscode.commands.executeCommand('workbench.action.openSettings', '@ext:switchboard-dev.switchboard'));

  register('switchboard.showRecentRequests', async () => {
    type Item = vscode.QuickPickItem & { action?: string };
    const records = c.switchboard.spend.recentRecords();
    const items: Item[] = [
      { label: 'Recent requests', kind: vscode.QuickPickItemKind.Separator },
      ...(records.length ? records.map((r) => recentRequestItem(r)) : [{ label: 'No requests yet in this window' }]),
      { label: 'Actions', kind: vscode.QuickPickItemKind.Separator },
      ...(isRestricted() ? [{ label: '$(shield) Manage Workspace Trust', description: 'Restricted Mode: nothing is sent to a model', action: MANAGE_TRUST_COMMAND }] : []),
      { label: '$(gear) Open Settings', action: 'switchboard.openSettings' },
      { label: '$(key) Set API Key…', action: 'switchboard.setApiKey' },
      { label: '$(output) Open Log', action: 'switchboard.showLog' },
      { label: c.isSnoozed() ? '$(play) Resume Inline Completions' : '$(debug-pause) Snooze Inline Completions', action: 'switchboard.toggleCompletions' },
    ];
    const today = c.switchboard.spend.today();
    const pick = await vscode.window.showQuickPick(items, {
      title: `Switchboard · today ${today.total.requests} requests`,
      placeHolder: 'Recent requests (model, task, tokens, cost, latency) and actions',
      matchOnDescription: true,
      matchOnDetail: true,
    });
    if (pick?.action) await vscode.commands.executeCommand(pick.action);
  });

  register('switchboard.toggleCompletions', () => {
    c.setSnoozed(!c.isSnoozed());
    void vscode.window.setStatusBarMessage(c.isSnoozed() ? 'Switchboard: inline completions snoozed' : 'Switchboard: inline completions resumed', 3000);
  });

  register('switchboard.plan', (goal?: unknown) => (refuseInRestrictedMode('Plan') ? undefined : runPlanCommand(c, goal)));

  register('switchboard.explainSelection', async () => {
    if (refuseInRestrictedMode('Explain Selection')) return;
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.selection.isEmpty) {
      void vscode.window.showInformationMessage('Switchboard: select some code to explain first.');
      return;
    }
    const excluded = exclusionOf(editor.document.uri);
    if (excluded) {
      void vscode.window.showWarningMessage(`Switchboard: nothing was sent: ${vscode.workspace.asRelativePath(editor.document.uri)} is ${excluded}.`);
      return;
    }
    await c.chat.ask('Explain the selected code: what it does, how it does it, and anything surprising or risky in it.', true);
  });

  register('switchboard.sendToChat', async () => {
    const document = vscode.window.activeTextEditor?.document;
    if (!document || !document.getText().trim()) {
      void vscode.window.showInformationMessage('Switchboard: open a plan (or any document) to continue it in the chat.');
      return;
    }
    const firstLine = document.lineAt(0).text.replace(/^#+\s*/, '').trim() || 'this document';
    await c.chat.continueFrom(`Let's continue from ${firstLine}.`, document.getText());
  });

  register('switchboard.ask', async (question?: unknown) => {
    if (refuseInRestrictedMode('Ask')) return;
    const prompt =
      typeof question === 'string'
        ? question
        : await vscode.window.showInputBox({ title: 'Switchboard: Ask', prompt: 'Asked on the chat route; the answer opens in a new editor.', ignoreFocusOut: true });
    if (!prompt?.trim()) return;
    const config = c.switchboard.currentConfig;
    return streamIntoNewDocument(c, {
      title: 'Ask',
      heading: `> ${prompt.trim().split('\n').join('\n> ')}\n\n`,
      task: 'chat',
      request: chatRequest(prompt, config.chat.maxTokens),
    });
  });
}

function label(provider: KeyedProvider): string {
  return KEYED_PROVIDERS.find((p) => p.id === provider)!.label;
}
