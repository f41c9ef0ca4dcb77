import * as path from 'node:path';
import * as vscode from 'vscode';
import { attachment, promptWithAttachments } from '../../core/prompts/attachments';
import type { Switchboard } from '../../core/switchboard';
import type { Tier } from '../../core/routing/tiers';
import type { ModelRef } from '../../core/types';
import { formatModelRef } from '../../core/modelRef';
import { chatPanelHtml, parseWebviewMessage, type AnswerFooter, type HostToWebview, type WebviewToHost } from '../../shared/chatProtocol';
import { openProviderWay } from '../noProvider';
import { receivePageMessages, rootList, webviewPage, webviewRoots } from '../webviewHost';
import { isRestricted, RESTRICTED_MESSAGE } from '../workspaceTrust';
import { modalLinkQuestion, openAnswerLink } from './answerLinks';
import { AnswerDrafts } from './answerDrafts';
import { ChatSession } from './chatSession';
import { pickConversation } from './conversationPicker';
import { Conversations } from './conversations';
import { insertCode } from './codeInsertion';
import { attachmentsPreview, editorAttachments, LastTextEditor } from './editorAttachments';
import { initMessage, pickedModel } from './modelPicker';
import { RelayPingRequests } from './relayPings';
import { DirectStreamLink } from './directStreamLink';
import type { DirectStreamServer } from './directStreamServer';

export const CHAT_VIEW_ID = 'switchboard.chat';
const MODEL_KEY = 'switchboard.chat.model';

export interface ChatViewOptions {
  /**
   * For the streaming benchmark (SWITCHBOARD_BENCHMARK_FILE): the webview records
   * paint times, and each answer's chunk arrival times are written to this file when it ends.
   */
  benchmarkFile?: string;
  /** An answer ended with its footer (the walkthrough's chat step). */
  onAnswer?: () => void;
  /** Whether the sandbox's fake providers answer now (SWITCHBOARD_SIMULATED): footers say the cost is simulated. */
  simulated?: () => boolean;
  /** The extension host's one direct-stream server (`switchboard.chat.directStream`); none: never direct. */
  directStreamServer?: DirectStreamServer;
}

/**
 * The chat side panel's host: serves the webview page, validates what it
 * sends and hands each message to the conversation (ChatSession), the editor
 * (attachments, Insert) or the settings; everything it shows arrives through `post`.
 */
export class ChatViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view?: vscode.WebviewView;
  private readonly conversations: Conversations;
  private readonly session: ChatSession;
  private readonly editor: LastTextEditor;
  private readonly disposables: vscode.Disposable[] = [];
  private previewTimer?: ReturnType<typeof setTimeout>;
  /** The benchmark's relay baseline. */
  private readonly pings: RelayPingRequests;
  private readonly direct: DirectStreamLink | undefined;
  /** A page build under way (the direct stream's server opening): a second waits for it. */
  private building: Promise<void> | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly switchboard: Switchboard,
    private readonly log: vscode.LogOutputChannel,
    private readonly options: ChatViewOptions = {},
  ) {
    const warn = (message: string) => log.warn(message);
    // The storage folder is VS Code's for this extension and workspace; an empty window (or a web host) has none.
    const storage = context.storageUri?.scheme === 'file' ? context.storageUri.fsPath : undefined;
    const drafts = storage !== undefined ? new AnswerDrafts(path.join(storage, 'chat-drafts'), warn) : undefined;
    const conversations = new Conversations(context.workspaceState, warn, Date.now, drafts);
    this.conversations = conversations;
    const direct = options.directStreamServer
      ? new DirectStreamLink(options.directStreamServer, log, () => switchboard.currentConfig.chat.directStream, {
          remoteName: vscode.env.remoteName,
          web: vscode.env.uiKind === vscode.UIKind.Web,
        })
      : undefined;
    this.direct = direct;
    this.session = new ChatSession({
      switchboard,
      // Read at each question: the conversation shown may change between them.
      get transcript() {
        return conversations.current;
      },
      post: (message) => this.post(message),
      log,
      ...(options.benchmarkFile !== undefined ? { benchmarkFile: options.benchmarkFile } : {}),
      refusal: () => (isRestricted() ? RESTRICTED_MESSAGE : undefined),
      ...(direct && { directStream: () => direct.offer(), directFailure: (reason: string) => direct.failed(reason) }),
      ...(options.simulated ? { simulated: options.simulated } : {}),
    });
    this.pings = new RelayPingRequests(options.benchmarkFile !== undefined, (ping) => this.post(ping));
    this.editor = new LastTextEditor(() => this.schedulePreview());
    this.disposables.push(this.editor);
  }

  async resolveWebviewView(view: vscode.WebviewView): Promise<void> {
    this.view = view;
    const roots = webviewRoots(this.context.extensionUri);
    view.webview.options = { enableScripts: true, localResourceRoots: rootList(roots) };
    this.disposables.push(
      receivePageMessages(view.webview, parseWebviewMessage, this.log, { host: 'chat', page: 'the webview' }, (message) => this.handle(message)),
      view.onDidDispose(() => {
        this.direct?.pageGone(view);
        // Another view resolved since (the panel moved, a second one opened): the answer streams to its page, untouched.
        if (this.view !== view) return;
        this.view = undefined;
        this.session.webviewReset();
      }),
    );
    await this.buildPage(view);
  }

  /** Sets the page's HTML; with the direct stream on, its policy names the server's port (opened first). */
  private buildPage(view: vscode.WebviewView): Promise<void> {
    const build = async () => {
      const connectOrigin = await this.direct?.originForNewPage(view);
      const roots = webviewRoots(this.context.extensionUri);
      view.webview.html = chatPanelHtml({ ...webviewPage(view.webview, roots, 'chat'), ...(connectOrigin !== undefined && { connectOrigin }) });
    };
    const previous = this.building ?? Promise.resolve();
    const next = previous.then(build, build);
    this.building = next;
    return next;
  }

  /**
   * Re-sends models and credentials, after settings or keys change. `switchboard.chat.directStream` turned on or off:
   * the page is rebuilt (its policy must name the port, or no longer), once no answer streams; it shows the conversation again.
   */
  refresh(): void {
    this.post(this.initMessage());
    if (this.view && this.direct?.pageOutdated && !this.session.isStreaming) void this.buildPage(this.view);
  }

  /**
   * The model ask(text, attachSelection) would go to now, and the tier when Auto chose it: the picked model, or
   * what Auto makes of this conversation and selection (the cheap tier's model for a light one), or the route's
   * first usable model. Explain Selection's question names it, so what is agreed to is what answers.
   */
  nextAnswerModel(text: string, attachSelection: boolean): { firstModel?: string; autoTier?: Tier } {
    const attachments = editorAttachments(this.editor.editor, attachSelection, false);
    const { target, routing } = this.session.nextTarget(text, attachments, this.explicitModel(this.selectedModel()));
    return { ...(target ? { firstModel: formatModelRef(target) } : {}), ...(routing?.mode === 'auto' && routing.tier ? { autoTier: routing.tier } : {}) };
  }

  /** Explain Selection: shows the panel and asks about the selection. */
  async ask(text: string, attachSelection: boolean): Promise<void> {
    await this.reveal();
    await this.send({ type: 'send', text, model: this.selectedModel(), attachSelection, attachFile: false });
  }

  /**
   * Continues from a document in a new conversation. One Switchboard wrote (a
   * plan, an Ask answer) is the model's message, with its footer; any other is
   * the user's, attached as a file is, so the next question sends it along.
   */
  async continueFrom(document: { title: string; path: string; languageId: string; text: string }, footer?: AnswerFooter): Promise<void> {
    this.session.stop();
    await this.conversations.startNew();
    const transcript = this.conversations.current;
    const question = `Let's continue from ${document.title}.`;
    if (footer) {
      transcript.addQuestion(question, []);
      transcript.addAnswer({ role: 'assistant', text: document.text, footer });
    } else {
      const attached = attachment(document.path, document.languageId, document.text);
      transcript.addQuestion(question, [{ label: attached.label }], promptWithAttachments(question, [attached]));
    }
    await transcript.save();
    await this.reveal();
    this.showConversation();
  }

  /** The list of past conversations (from the panel's header or the view's title bar). */
  async showConversations(): Promise<void> {
    await pickConversation(this.conversations, {
      show: async (id) => {
        this.session.stop();
        if (id === undefined || !(await this.conversations.open(id))) await this.conversations.startNew();
        this.showConversation();
      },
      changed: (how) => {
        if (how === 'deleted') this.showConversation();
        else this.post({ type: 'conversationTitle', title: this.conversations.currentTitle });
      },
    });
  }

  /** New chat: the conversation shown so far stays in the list. */
  async newChat(): Promise<void> {
    this.session.stop();
    await this.conversations.startNew();
    this.showConversation();
  }

  private showConversation(): void {
    this.post(this.conversations.current.historyMessage(this.conversations.currentTitle));
  }

  private async reveal(): Promise<void> {
    if (this.view) this.view.show(true);
    else await vscode.commands.executeCommand(`${CHAT_VIEW_ID}.focus`);
    // The webview announces itself with `ready`; a freshly created one needs a moment.
    for (let i = 0; i < 50 && !this.view; i++) await new Promise((resolve) => setTimeout(resolve, 100));
  }

  /** Every message the webview may send, in one place. */
  private async handle(message: WebviewToHost): Promise<void> {
    switch (message.type) {
      case 'ready':
        // A new page: the conversation, with the answer streaming now if any (whatever chunk
        // messages the old page was sent will never be acknowledged).
        this.post(this.initMessage());
        this.session.pageReady(this.conversations.current.historyMessage(this.conversations.currentTitle));
        this.post(attachmentsPreview(this.editor.editor));
        return;
      case 'send':
        return this.send(message);
      case 'stop':
        this.session.stop();
        return;
      case 'chunkAck':
        this.session.acknowledge(
          message.id,
          message.seq,
          message.slackMs !== undefined && message.frameMs !== undefined ? { slackMs: message.slackMs, frameMs: message.frameMs } : undefined,
        );
        return;
      case 'newChat':
        return this.newChat();
      case 'showConversations':
        return this.showConversations();
      case 'insertCode':
        this.post({ type: 'codeInserted', inserted: await insertCode(this.editor.editor, message.code) });
        return;
      case 'copy':
        await vscode.env.clipboard.writeText(message.text);
        return;
      case 'openLink':
        // A link to this computer or the local network is opened only once the user says so (answerLinks.ts).
        await openAnswerLink(message.href, modalLinkQuestion, this.log);
        return;
      case 'setUpProvider':
        openProviderWay(
          message.way,
          this.switchboard.registry.withheldKeys().map(({ host }) => host),
        );
        return;
      case 'selectModel':
        await this.context.workspaceState.update(MODEL_KEY, message.model);
        return;
      case 'retry':
        return this.session.retry(message.recordId);
      case 'askAgain':
        return this.session.askAgain(this.explicitModel(this.selectedModel()));
      case 'directFailed':
        this.session.directFailed(message.id, message.seq, message.reason);
        return;
      case 'benchmarkPings':
        this.pings.request(message);
        return;
      default:
        // A message type added to the protocol fails to compile here until it has a case.
        return message satisfies never;
    }
  }

  /** The model picked in the panel, or undefined for the chat route ('auto'). */
  private explicitModel(model: string): ModelRef | undefined {
    const { ref, refused } = pickedModel(this.switchboard, model);
    if (refused) this.log.warn(`chat: the picker named a model it does not offer (${model.slice(0, 80)}); using the chat route`);
    return ref;
  }

  private async send(message: Extract<WebviewToHost, { type: 'send' }>): Promise<void> {
    const explicit = this.explicitModel(message.model);
    const attachments = editorAttachments(this.editor.editor, message.attachSelection, message.attachFile);
    const before = this.conversations.currentTitle;
    await this.session.send(message.text, attachments, explicit);
    // The first question names the conversation.
    if (this.conversations.currentTitle !== before) this.post({ type: 'conversationTitle', title: this.conversations.currentTitle });
  }

  private initMessage(): HostToWebview {
    return initMessage(this.switchboard, this.selectedModel(), this.options.benchmarkFile !== undefined);
  }

  private selectedModel(): string {
    return this.context.workspaceState.get<string>(MODEL_KEY) ?? 'auto';
  }

  private schedulePreview(): void {
    if (!this.view || this.previewTimer) return;
    this.previewTimer = setTimeout(() => {
      this.previewTimer = undefined;
      this.post(attachmentsPreview(this.editor.editor));
    }, 200);
  }

  private post(message: HostToWebview): void {
    if (message.type === 'done') this.options.onAnswer?.();
    // Refused for want of a provider (ChatSession): the page did not know there is none, so it is told first, and
    // shows the ways to one beside the refusal.
    if (message.type === 'notSent') void this.view?.webview.postMessage(this.initMessage());
    void this.view?.webview.postMessage(message);
  }

  dispose(): void {
    // Not Stop: the window is closing, and the answer streaming now is kept as broken off (see ChatSession.dispose).
    this.session.dispose();
    this.pings.cancel();
    if (this.previewTimer) clearTimeout(this.previewTimer);
    for (const disposable of this.disposables) disposable.dispose();
  }
}
