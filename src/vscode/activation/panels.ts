import * as vscode from 'vscode';
import type { Switchboard } from '../../core/switchboard';
import { ChatViewProvider, CHAT_VIEW_ID } from '../chat/chatViewProvider';
import { benchmarkFileFrom } from '../chat/chunkArrivals';
import { DirectStreamServer } from '../chat/directStreamServer';
import { isContainerRemote } from '../containerSettings';
import { remoteFolderAuthority } from '../remoteFolder';
import { SwitchboardInlineCompletionProvider } from '../completionProvider';
import type { WalkthroughProgress } from '../walkthrough';

/** The inline completion provider, registered for every file (exclusions.ts decides which may be sent). */
export function registerCompletions(
  context: vscode.ExtensionContext,
  switchboard: Switchboard,
  log: vscode.LogOutputChannel,
  isSnoozed: () => boolean,
  walkthrough: WalkthroughProgress,
): SwitchboardInlineCompletionProvider {
  const completions = new SwitchboardInlineCompletionProvider({
    switchboard,
    log,
    isSnoozed,
    tell: (note) => void vscode.window.setStatusBarMessage(note, GHOST_TEXT_NOTE_MS),
  });
  context.subscriptions.push(completions, vscode.languages.registerInlineCompletionItemProvider({ pattern: '**' }, walkthrough.watchGhostText(completions)));
  return completions;
}

/** The chat view, with the streaming benchmark's hook when `npm run bench -- chat` runs it. */
export function registerChatView(
  context: vscode.ExtensionContext,
  switchboard: Switchboard,
  log: vscode.LogOutputChannel,
  simulated: () => boolean,
  walkthrough: WalkthroughProgress,
): ChatViewProvider {
  // The chat streaming benchmark's only hook in the host (npm run bench -- chat; see chat/chunkArrivals.ts).
  const { file: benchmarkFile, ignored } = benchmarkFileFrom(process.env, isContainerRemote(vscode.env.remoteName, process.env, remoteFolderAuthority()));
  if (ignored) log.warn(ignored);
  // One per extension host; it listens only once a chat page is built with switchboard.chat.directStream on.
  // A desktop window's panel is a vscode-webview: page; a browser workbench's is served from an http(s) origin.
  const directStreamServer = new DirectStreamServer({ pages: vscode.env.uiKind === vscode.UIKind.Web ? 'any' : 'webview' });
  context.subscriptions.push({ dispose: () => void directStreamServer.close() });
  const chat = new ChatViewProvider(context, switchboard, log, {
    ...(benchmarkFile ? { benchmarkFile } : {}),
    simulated,
    onAnswer: () => walkthrough.reach('gotChatAnswer'),
    directStreamServer,
  });
  if (benchmarkFile) log.info(`benchmark mode: the chat panel records paint times; chunk arrival times go to ${benchmarkFile}`);
  context.subscriptions.push(chat, vscode.window.registerWebviewViewProvider(CHAT_VIEW_ID, chat, { webviewOptions: { retainContextWhenHidden: true } }));
  return chat;
}

/** How long a note on an Alt+\\ that brings no ghost text stays in the status bar. */
const GHOST_TEXT_NOTE_MS = 6_000;
