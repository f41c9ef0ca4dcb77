import * as vscode from 'vscode';
import { formatModelRef, parseModelRef, shortModelName } from '../core/modelRef';
import { planChatRequest } from '../core/prompts/chatContext';
import type { RouteResult } from '../core/router';
import type { Switchboard } from '../core/switchboard';
import {
  chatPanelHtml,
  chatTranscriptSchema,
  newNonce,
  parseWebviewMessage,
  type AnswerFooter,
  type AttachmentChip,
  type ChatTranscriptEntry,
  type HostToWebview,
  type ModelOption,
  type WebviewToHost,
} from '../shared/chatProtocol';
import { ChunkBatcher } from './chunkBatcher';
import { ChunkArrivalLog } from './chunkArrivals';

export const CHAT_VIEW_ID = 'switchboard.chat';
const HISTORY_KEY = 'switchboard.chat.history';
const MODEL_KEY = 'switchboard.chat.model';
/** Attached files are cut here; the model's context budget trims further. */
const MAX_ATTACHED_CHARS = 60_000;

export interface ChatViewOptions {
  /**
   * For the streaming benchmark (SWITCHBOARD_BENCHMARK_FILE): the webview records
   * paint times, and each answer's chunk arrival times are written to this file when it ends.
   */
  benchmarkFile?: string;
}

interface Attachment {
  chip: AttachmentChip;
  text: string;
  languageId: string;
}

/**
 * The chat side panel's host: validates what the webview sends, runs each
 * message on the chat route (or the model picked), streams the answer back,
 * and keeps the transcript in workspace state so it survives a reload.
 */
export class ChatViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view?: vscode.WebviewView;
  /** Read from workspace state on first use, not at activation: a long history costs its validation only when the panel needs it. */
  private loaded?: ChatTranscriptEntry[];
  private get transcript(): ChatTranscriptEntry[] {
    return (this.loaded ??= this.loadTranscript());
  }
  private set transcript(entries: ChatTranscriptEntry[]) {
    this.loaded = entries;
  }
  private running?: { id: string; controller: AbortController };
  private lastEditor?: vscode.TextEditor;
  private nextId = 1;
  private readonly disposables: vscode.Disposable[] = [];
  private previewTimer?: ReturnType<typeof setTimeout>;
  /** For the benchmark: the init message turns on paint timing in the webview. */
  benchmark: boolean;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly switchboard: Switchboard,
    private readonly log: vscode.LogOutputChannel,
    private readonly options: ChatViewOptions = {},
  ) {
    this.benchmark = options.benchmarkFile !== undefined;
    this.lastEditor = vscode.window.activeTextEditor;
    this.disposables.push(
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        if (editor) this.lastEditor = editor;
        this.schedulePreview();
      }),
      vscode.window.onDidChangeTextEditorSelection((event) => {
        this.lastEditor = event.textEditor;
        this.schedulePreview();
      }),
    );
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    const roots = [vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(this.context.extensionUri, 'media')];
    view.webview.options = { enableScripts: true, localResourceRoots: roots };
    view.webview.html = chatPanelHtml({
      cspSource: view.webview.cspSource,
      nonce: newNonce(),
      scriptUri: view.webview.asWebviewUri(vscode.Uri.joinPath(roots[0]!, 'chat.js')).toString(),
      styleUri: view.webview.asWebviewUri(vscode.Uri.joinPath(roots[1]!, 'chat.css')).toString(),
    });
    this.disposables.push(
      view.webview.onDidReceiveMessage((raw: unknown) => {
        const message = parseWebviewMessage(raw);
        if (!message) {
          // Model output is rendered in that page: anything it sends is untrusted until it has the right shape.
          this.log.warn(`chat: dropped a malformed message from the webview: ${describe(raw)}`);
          return;
        }
        void this.handle(message).catch((error: unknown) => this.log.error(`chat: ${String(error)}`));
      }),
      view.onDidDispose(() => {
        if (this.view === view) this.view = undefined;
      }),
    );
  }

  /** Re-sends models and credentials, after settings or keys change. */
  refresh(): void {
    this.post(this.initMessage());
  }

  /** Explain Selection: shows the panel and asks about the selection. */
  async ask(text: string, attachSelection: boolean): Promise<void> {
    await this.reveal();
    await this.send({ type: 'send', text, model: this.selectedModel(), attachSelection, attachFile: false });
  }

  /** Puts a plan into the conversation, so the user can continue from it. */
  async continueFrom(title: string, text: string): Promise<void> {
    this.transcript.push({ role: 'user', text: title, attachments: [] }, { role: 'assistant', text });
    await this.saveTranscript();
    await this.reveal();
    this.post({ type: 'history', messages: this.transcript, totalCostUsd: this.totalCost() });
  }

  private async reveal(): Promise<void> {
    if (this.view) this.view.show(true);
    else await vscode.commands.executeCommand(`${CHAT_VIEW_ID}.focus`);
    // The webview announces itself with `ready`; a freshly created one needs a moment.
    for (let i = 0; i < 50 && !this.view; i++) await new Promise((resolve) => setTimeout(resolve, 100));
  }

  private async handle(message: WebviewToHost): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.post(this.initMessage());
        this.post({ type: 'history', messages: this.transcript, totalCostUsd: this.totalCost() });
        this.postPreview();
        return;
      case 'send':
        return this.send(message);
      case 'stop':
        this.running?.controller.abort();
        return;
      case 'newChat':
        this.running?.controller.abort();
        this.transcript = [];
        await this.saveTranscript();
        this.post({ type: 'history', messages: [], totalCostUsd: 0 });
        return;
      case 'insertCode':
        return this.insertCode(message.code);
      case 'copy':
        await vscode.env.clipboard.writeText(message.text);
        return;
      case 'openLink':
        await vscode.env.openExternal(vscode.Uri.parse(message.href));
        return;
      case 'setKey':
        await vscode.commands.executeCommand('switchboard.setApiKey');
        return;
      case 'selectModel':
        await this.context.workspaceState.update(MODEL_KEY, message.model);
        return;
    }
  }

  private async send(message: Extract<WebviewToHost, { type: 'send' }>): Promise<void> {
    const text = message.text.trim();
    if (!text) return;
    if (this.running) {
      this.post({ type: 'error', id: `refused-${this.nextId++}`, message: 'An answer is still streaming: stop it first.', attempts: [], partial: false });
      return;
    }
    const explicit = message.model === 'auto' ? undefined : parseModelRef(message.model);
    if (message.model !== 'auto' && !explicit) {
      this.log.warn(`chat: unknown model "${message.model}" from the picker; using the chat route`);
    }
    const attachments = this.attachments(message.attachSelection, message.attachFile);
    const prompt = attachments.length
      ? `${attachments.map((a) => `Attached ${a.chip.label}:\n\`\`\`${a.languageId}\n${a.text}\n\`\`\``).join('\n\n')}\n\n${text}`
      : text;

    const id = `m${this.nextId++}`;
    const target = explicit ?? this.switchboard.router.plan('chat').eligible[0] ?? this.switchboard.currentConfig.routes.chat[0];
    const targetLabel = target ? formatModelRef(target) : 'the chat route';
    this.post({ type: 'start', id, requestedModel: targetLabel, attachments: attachments.map((a) => a.chip), userText: text });
    this.transcript.push({ role: 'user', text, attachments: attachments.map((a) => a.chip) });

    const price = target ? this.switchboard.priceTable.lookup(target.provider, target.model) : undefined;
    const planned = planChatRequest(
      this.transcript.slice(0, -1).map((entry) => ({ role: entry.role, text: entry.text })),
      prompt,
      {
        maxTokens: this.switchboard.currentConfig.chat.maxTokens,
        ...(price?.maxInputTokens ? { contextTokens: price.maxInputTokens } : {}),
        modelLabel: target ? shortModelName(target.model) : 'the model',
      },
    );
    if (!planned.ok) {
      this.transcript.push({ role: 'assistant', text: '', error: { message: planned.reason, attempts: [] } });
      await this.saveTranscript();
      this.post({ type: 'error', id, message: planned.reason, attempts: [], partial: false });
      return;
    }
    if (planned.droppedTurns > 0) this.log.info(`chat: left out the ${planned.droppedTurns} oldest messages to fit ${targetLabel}'s context`);

    const controller = new AbortController();
    this.running = { id, controller };
    let seq = 0;
    const arrivals = this.options.benchmarkFile ? new ChunkArrivalLog(id) : undefined;
    const batcher = new ChunkBatcher((batch) => this.post({ type: 'chunk', id, ...batch }));
    let result: RouteResult;
    try {
      result = await this.switchboard.router.run('chat', planned.request, {
        signal: controller.signal,
        ...(explicit ? { model: explicit } : {}),
        onText: (chunk) => {
          arrivals?.record(seq);
          batcher.add(chunk, seq++);
        },
      });
    } finally {
      batcher.flush();
      this.running = undefined;
    }
    if (arrivals && this.options.benchmarkFile) {
      // Before `done`: the benchmark reads the file as soon as the footer shows.
      await arrivals.write(this.options.benchmarkFile).catch((error: unknown) => this.log.warn(`chat: could not write the benchmark file: ${String(error)}`));
    }
    const { record } = result;
    if (record.outcome === 'error' && !result.text) {
      this.transcript.push({ role: 'assistant', text: '', error: { message: result.error ?? 'the request failed', attempts: record.attempts } });
      await this.saveTranscript();
      this.post({ type: 'error', id, message: result.error ?? 'the request failed', attempts: record.attempts, partial: false });
      return;
    }
    const footer: AnswerFooter = {
      model: `${record.provider}:${record.model}`,
      requestedModel: record.requestedModel,
      fellBack: record.attempts.length > 0 || (record.requestedModel !== '' && record.requestedModel !== `${record.provider}:${record.model}`),
      inputTokens: record.usage.inputTokens + record.usage.cacheReadTokens + record.usage.cacheWriteTokens,
      outputTokens: record.usage.outputTokens,
      costUsd: record.costUsd,
      latencyMs: record.latencyMs,
      estimated: record.usageEstimated,
      ...(record.outcome === 'cancelled' ? { stopped: true } : {}),
    };
    this.transcript.push({
      role: 'assistant',
      text: result.text,
      footer,
      ...(record.outcome === 'error' ? { error: { message: result.error ?? 'the answer broke off', attempts: record.attempts } } : {}),
    });
    await this.saveTranscript();
    if (record.outcome === 'error') this.post({ type: 'error', id, message: result.error ?? 'the answer broke off', attempts: record.attempts, partial: true });
    this.post({ type: 'done', id, footer, totalCostUsd: this.totalCost() });
  }

  private attachments(selection: boolean, file: boolean): Attachment[] {
    const editor = this.lastEditor;
    if (!editor || editor.document.isClosed) return [];
    const { document } = editor;
    const path = vscode.workspace.asRelativePath(document.uri);
    const result: Attachment[] = [];
    if (selection && !editor.selection.isEmpty) {
      const range = editor.selection;
      result.push({
        chip: { label: selectionLabel(path, range) },
        text: document.getText(range).slice(0, MAX_ATTACHED_CHARS),
        languageId: document.languageId,
      });
    }
    if (file) {
      const text = document.getText();
      result.push({
        chip: { label: text.length > MAX_ATTACHED_CHARS ? `${path} (first ${MAX_ATTACHED_CHARS} characters)` : path },
        text: text.slice(0, MAX_ATTACHED_CHARS),
        languageId: document.languageId,
      });
    }
    return result;
  }

  private async insertCode(code: string): Promise<void> {
    const editor = this.lastEditor && !this.lastEditor.document.isClosed ? this.lastEditor : vscode.window.activeTextEditor;
    if (!editor) {
      void vscode.window.showWarningMessage('Switchboard: open an editor to insert the code into.');
      return;
    }
    await vscode.window.showTextDocument(editor.document, editor.viewColumn);
    await editor.edit((builder) => builder.replace(editor.selection, code));
  }

  private initMessage(): HostToWebview {
    const seen = new Set<string>();
    const models: ModelOption[] = [];
    const config = this.switchboard.currentConfig;
    for (const ref of [...config.routes.chat, ...config.routes.plan, ...config.routes.completion]) {
      const key = formatModelRef(ref);
      if (seen.has(key) || !this.switchboard.registry.status(ref.provider)?.usable) continue;
      seen.add(key);
      models.push({ ref: key, label: `${shortModelName(ref.model)} (${ref.provider})` });
    }
    const selected = this.selectedModel();
    return {
      type: 'init',
      models,
      selectedModel: selected === 'auto' || seen.has(selected) ? selected : 'auto',
      hasCredentials: this.switchboard.registry.anyUsable(),
      ...(this.benchmark ? { benchmark: true } : {}),
    };
  }

  private selectedModel(): string {
    return this.context.workspaceState.get<string>(MODEL_KEY) ?? 'auto';
  }

  private schedulePreview(): void {
    if (!this.view || this.previewTimer) return;
    this.previewTimer = setTimeout(() => {
      this.previewTimer = undefined;
      this.postPreview();
    }, 200);
  }

  private postPreview(): void {
    const editor = this.lastEditor;
    if (!editor || editor.document.isClosed || editor.document.uri.scheme === 'output') {
      this.post({ type: 'attachmentsPreview', selection: null, file: null });
      return;
    }
    const path = vscode.workspace.asRelativePath(editor.document.uri);
    const range = editor.selection;
    this.post({
      type: 'attachmentsPreview',
      selection: range.isEmpty ? null : { label: selectionLabel(path, range) },
      file: { label: path },
    });
  }

  private totalCost(): number {
    let total = 0;
    for (const entry of this.transcript) if (entry.role === 'assistant' && entry.footer?.costUsd) total += entry.footer.costUsd;
    return total;
  }

  private loadTranscript(): ChatTranscriptEntry[] {
    const stored = this.context.workspaceState.get<unknown>(HISTORY_KEY);
    if (stored === undefined) return [];
    const parsed = chatTranscriptSchema.safeParse(stored);
    if (!parsed.success) {
      this.log.warn('chat: stored history has an unexpected shape and was not restored');
      return [];
    }
    return parsed.data;
  }

  private saveTranscript(): Thenable<void> {
    return this.context.workspaceState.update(HISTORY_KEY, this.transcript);
  }

  private post(message: HostToWebview): void {
    void this.view?.webview.postMessage(message);
  }

  dispose(): void {
    this.running?.controller.abort();
    if (this.previewTimer) clearTimeout(this.previewTimer);
    for (const disposable of this.disposables) disposable.dispose();
  }
}

/** `src/app.ts:3-7`; a selection that ends at the start of a line does not include that line. */
function selectionLabel(path: string, range: vscode.Selection): string {
  const lastLine = range.end.character === 0 && range.end.line > range.start.line ? range.end.line - 1 : range.end.line;
  return `${path}:${range.start.line + 1}-${lastLine + 1}`;
}

function describe(raw: unknown): string {
  try {
    return JSON.stringify(raw).slice(0, 200);
  } catch {
    return typeof raw;
  }
}
