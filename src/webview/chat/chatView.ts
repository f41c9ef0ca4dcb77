/**
 * The panel: header, notices, transcript, composer, and the handling of every
 * host message. Streamed text is put on screen in the next animation frame,
 * once per frame however many chunks arrived in between.
 */
import { formatUsd } from '../../core/cost';
import { isHttpUrl } from '../../core/urls';
import { parseHostMessage, type ChatTranscriptEntry, type HostToWebview } from '../../shared/chatProtocol';
import { noProviderPanelText, providerWayLabel, providerWays } from '../../shared/providerSetup';
import { acknowledge, codeActionAt } from './codeBlocks';
import { Composer } from './composer';
import { button, el } from './dom';
import { installBenchmarkHooks, installLongTaskLog, installPaintLog, PingLog, type PaintRingBuffer } from './paintLog';
import { Transcript, type Answer } from './transcript';
import type { HostChannel } from './vscodeApi';

/** Within this many pixels of the bottom counts as "following the answer". */
const BOTTOM_SLACK_PX = 24;

/** One display frame at 60 Hz. */
const FRAME_MS = 16;

export class ChatView {
  private readonly title = el('span', { class: 'conversation-title' }, 'New conversation');
  private readonly conversations = button('', {
    id: 'conversations',
    title: 'Conversations in this workspace: open, rename or delete one',
  });
  private readonly cost = el('span', { id: 'conversation-cost' }, formatUsd(0));
  private readonly newChat = button('+', { id: 'new-chat', title: 'New Chat (this conversation stays in the list)', 'aria-label': 'New Chat' });
  private readonly noKeyText = el('p', {});
  private readonly providerWays = el('div', { class: 'provider-ways' });
  private readonly noKey = el('section', { id: 'no-key', class: 'notice', 'aria-label': 'No provider' }, this.noKeyText, this.providerWays);
  private readonly welcome = el(
    'p',
    { id: 'welcome', class: 'welcome' },
    'Ask about your code. Attach the selection or the active file with the toggles below.',
  );
  private readonly list = el('div', {
    id: 'messages',
    role: 'log',
    'aria-live': 'polite',
    'aria-label': 'Conversation',
    tabindex: '0',
  });
  /**
   * What a button did, for screen readers: a button's own label stays what it does ("Copy code"), so
   * its brief "Copied" is not heard; this polite region says it once.
   */
  private readonly announcer = el('div', { id: 'announcer', class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
  private readonly transcript = new Transcript(this.list);
  private readonly composer: Composer;

  private readonly dirtyAnswers = new Set<Answer>();
  private frameRequested = false;
  private lastRenderAt = -Infinity;
  private paintLog: PaintRingBuffer | undefined;
  private pingLog: PingLog | undefined;
  private presentRequested = false;
  private unpaintedSeqs: number[] = [];
  private unpaintedReceivedAt: number[] = [];
  /** Variants the benchmark turns on from outside; empty unless it runs. */
  private benchmarkVariants: ReadonlySet<string> = new Set();

  /** The Insert button last pressed, told what became of it when the host answers. */
  private insertPressed: HTMLButtonElement | undefined;
  /** The Ask again or Retry button last pressed: pressable again if the host refuses it (no provider). */
  private againPressed: HTMLButtonElement | undefined;
  private activeId: string | undefined;
  /** A send was posted and its `start` has not arrived yet. */
  private awaitingStart = false;
  private hasCredentials = true;
  /** Why the providers are out when a setting a key would not fix is the cause (Open Settings is offered then). */
  private invalidSettings: string[] = [];
  /** Hosts a provider's key was kept back from, with why: allowing the host is the way offered then. */
  private withheldKeys: { host: string; reason: string }[] = [];
  private pinnedToBottom = true;
  private restoredScroll = false;
  private saveScrollTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    root: HTMLElement,
    private readonly host: HostChannel,
  ) {
    this.composer = new Composer({
      send: (request) => {
        this.awaitingStart = true;
        this.updateBusy();
        this.host.post({ type: 'send', ...request });
      },
      stop: () => this.stop(),
      selectModel: (model) => this.host.post({ type: 'selectModel', model }),
    });
    this.conversations.append(this.title, el('span', { class: 'chevron', 'aria-hidden': 'true' }));
    const header = el(
      'header',
      { class: 'chat-header' },
      this.conversations,
      el('span', { class: 'cost-label', title: 'What this conversation has cost so far' }, el('span', { class: 'visually-hidden' }, 'Conversation cost: '), this.cost),
      this.newChat,
    );
    root.replaceChildren(header, this.noKey, this.welcome, this.list, this.composer.element, this.announcer);

    this.newChat.addEventListener('click', () => this.host.post({ type: 'newChat' }));
    this.conversations.addEventListener('click', () => this.host.post({ type: 'showConversations' }));
    this.providerWays.addEventListener('click', (event) => {
      const way = event.target instanceof Element ? event.target.closest<HTMLButtonElement>('button[data-way]')?.dataset.way : undefined;
      const known = providerWays(this.invalidSettings, this.withheldHosts()).find((candidate) => candidate === way);
      if (known) this.host.post({ type: 'setUpProvider', way: known });
    });
    this.list.addEventListener('click', (event) => this.onTranscriptClick(event));
    // Middle-click would otherwise try to open the link in a new window of the webview.
    this.list.addEventListener('auxclick', (event) => {
      if (event.target instanceof Element && event.target.closest('a')) event.preventDefault();
    });
    this.list.addEventListener('scroll', () => this.onScroll(), { passive: true });
    // Escape stops an answer wherever the focus is in the panel (a code block's button, the transcript), as in
    // the prompt; not in the model picker, whose open list Escape closes.
    root.addEventListener('keydown', (event) => {
      if (event.key !== 'Escape' || event.defaultPrevented || event.target instanceof HTMLSelectElement) return;
      if (this.activeId === undefined && !this.awaitingStart) return;
      event.preventDefault();
      this.stop();
    });
    window.addEventListener('message', (event: MessageEvent<unknown>) => this.receive(event.data));

    this.updateNotices();
    this.composer.focus();
    this.host.post({ type: 'ready' });
  }

  private receive(raw: unknown): void {
    const message = parseHostMessage(raw);
    if (!message) {
      console.warn('Switchboard chat: ignored a malformed message from the extension', raw);
      return;
    }
    try {
      this.handle(message);
    } catch (error) {
      console.error(`Switchboard chat: failed to show "${message.type}"`, error);
    }
  }

  private handle(message: HostToWebview): void {
    switch (message.type) {
      case 'init':
        this.composer.setModels(message.models, message.selectedModel);
        this.hasCredentials = message.hasCredentials;
        this.invalidSettings = message.invalidSettings ?? [];
        this.withheldKeys = message.withheldKeys ?? [];
        this.showProviderWays();
        if (message.benchmark && !this.paintLog) {
          this.paintLog = installPaintLog();
          installLongTaskLog();
          const pings = new PingLog();
          this.pingLog = pings;
          this.benchmarkVariants = installBenchmarkHooks(pings, (count, intervalMs) => this.host.post({ type: 'benchmarkPings', count, intervalMs })).variants;
        }
        this.updateNotices();
        return;
      case 'history':
        this.showHistory(message.messages, message.totalCostUsd, message.removedMessages);
        if (message.title !== undefined) this.showTitle(message.title);
        return;
      case 'conversationTitle':
        this.showTitle(message.title);
        return;
      case 'notSent':
        // The host had no provider to ask: a new question comes back to the box; Ask again's or Retry's question
        // is still in the conversation, and its button works again. The notice says why.
        this.awaitingStart = false;
        this.updateBusy();
        this.updateNotices();
        if (message.text !== undefined) {
          this.composer.restore(message.text);
        } else if (this.againPressed) {
          this.againPressed.disabled = false;
          this.composer.sayNotAskedAgain(this.againPressed.textContent ?? 'the button');
        }
        this.againPressed = undefined;
        return;
      case 'start': {
        this.awaitingStart = false;
        this.againPressed = undefined;
        this.transcript.addUser(message.userText, message.attachments);
        const answer = this.transcript.startAnswer(message.id, message.requestedModel);
        if (answer) this.activeId = message.id;
        this.afterContentChange();
        return;
      }
      case 'chunk': {
        this.applyChunk(message);
        // Flow control: acknowledged once applied (the text is in the answer, drawn at the latest by the
        // next frame), not once painted: the relay, not the draw, is what falls behind, and a hidden page
        // gets no animation frames. Also when this page has no such answer (it was reloaded mid-answer):
        // the host must not wait for it.
        if (message.ack) this.host.post({ type: 'chunkAck', id: message.id, seq: message.seq });
        return;
      }
      case 'done': {
        // Also accepted after a partial `error`: the host then sends what the broken-off answer cost.
        const answer = this.transcript.answer(message.id);
        if (!answer || answer.hasFooter) return;
        if (answer.isStreaming) this.renderNow(false);
        answer.finish(message.footer);
        this.cost.textContent = formatUsd(message.totalCostUsd);
        this.endRequest(message.id);
        return;
      }
      case 'error': {
        const answer = this.transcript.answer(message.id);
        const error = { message: message.message, attempts: message.attempts, ...(message.retryable ? { retryable: true } : {}) };
        if (answer?.isStreaming) {
          this.renderNow(false);
          answer.fail(error);
        } else {
          this.transcript.addError(error);
        }
        this.awaitingStart = false;
        this.endRequest(message.id);
        return;
      }
      case 'ping':
        this.pingLog?.record(message.seq, message.sentAt);
        return;
      case 'codeInserted':
        if (this.insertPressed?.isConnected) acknowledge(this.insertPressed, message.inserted ? 'Inserted' : 'Not inserted');
        this.insertPressed = undefined;
        this.announce(message.inserted ? 'Code inserted at the cursor' : 'Code not inserted: no editor to insert into');
        return;
      case 'attachmentsPreview':
        this.composer.showAttachable(message.selection, message.file);
        return;
    }
  }

  private applyChunk(message: Extract<HostToWebview, { type: 'chunk' }>): void {
    const answer = this.transcript.answer(message.id);
    if (!answer?.isStreaming) return;
    answer.append(message.text);
    if (this.paintLog) {
      // A message carries chunks firstSeq..seq; each is painted when the message is.
      const receivedAt = performance.now();
      const first = message.firstSeq !== undefined && message.firstSeq <= message.seq ? message.firstSeq : message.seq;
      for (let seq = first; seq <= message.seq; seq++) {
        this.unpaintedSeqs.push(seq);
        this.unpaintedReceivedAt.push(receivedAt);
      }
    }
    this.scheduleRender(answer);
  }

  private showTitle(title: string): void {
    this.title.textContent = title;
    this.conversations.setAttribute('aria-label', `Conversation: ${title}. Show all conversations`);
  }

  private stop(): void {
    this.host.post({ type: 'stop' });
    // Without a started answer there is nothing for the host to end, so no done/error will come.
    if (this.activeId === undefined) {
      this.awaitingStart = false;
      this.updateBusy();
    }
  }

  private endRequest(id: string): void {
    if (this.activeId === id) this.activeId = undefined;
    this.afterContentChange();
  }

  private showHistory(entries: ChatTranscriptEntry[], totalCostUsd: number, removedMessages?: number): void {
    this.dirtyAnswers.clear();
    this.unpaintedSeqs = [];
    this.unpaintedReceivedAt = [];
    this.activeId = undefined;
    this.awaitingStart = false;
    this.transcript.show(entries, removedMessages);
    this.cost.textContent = formatUsd(totalCostUsd);
    this.updateBusy();
    this.updateNotices();
    const saved = this.restoredScroll ? undefined : this.host.savedViewState();
    this.restoredScroll = true;
    if (saved && !saved.pinnedToBottom) {
      this.list.scrollTop = saved.scrollTop;
      this.pinnedToBottom = false;
    } else {
      this.scrollToBottom();
    }
  }

  private scheduleRender(answer: Answer): void {
    this.dirtyAnswers.add(answer);
    if (this.frameRequested) return;
    // Drawn in the next animation frame, never at once: text drawn between frames is painted in the next frame
    // all the same, and drawing it then costs a layout of its own (the scroll to the bottom reads the height),
    // then the frame's, on the main thread that also relays the chunk messages. `draw-at-once` is the bench's
    // off state (bench/chatStreaming.ts): what the panel did before, for text after a quiet frame.
    if (this.benchmarkVariants.has('draw-at-once') && performance.now() - this.lastRenderAt >= FRAME_MS) {
      this.renderNow(false);
      return;
    }
    this.frameRequested = true;
    requestAnimationFrame(() => {
      this.frameRequested = false;
      this.renderNow(true);
    });
  }


  private renderNow(inFrame: boolean): void {
    const started = performance.now();
    this.lastRenderAt = started;
    let changed = false;
    for (const answer of this.dirtyAnswers) changed = answer.render() || changed;
    this.dirtyAnswers.clear();
    if (changed && this.pinnedToBottom) this.scrollToBottom();
    if (this.paintLog && this.unpaintedSeqs.length > 0) this.recordPaints(this.paintLog, started, inFrame);
  }

  private recordPaints(paintLog: PaintRingBuffer, started: number, inFrame: boolean): void {
    // Reading layout here makes the recorded time include layout, not just DOM edits.
    void this.list.scrollHeight;
    const paintedAt = performance.now();
    // Drawn in an animation frame, the text is painted in that frame; drawn between
    // frames, it is painted in the next one, whose start is stamped when it comes.
    const presentedAt = inFrame ? paintedAt : Number.NaN;
    this.unpaintedSeqs.forEach((seq, i) => paintLog.record(seq, this.unpaintedReceivedAt[i] ?? paintedAt, paintedAt, paintedAt - started, presentedAt));
    this.unpaintedSeqs = [];
    this.unpaintedReceivedAt = [];
    if (inFrame || this.presentRequested) return;
    this.presentRequested = true;
    requestAnimationFrame(() => {
      this.presentRequested = false;
      paintLog.present(performance.now());
    });
  }

  private afterContentChange(): void {
    this.updateBusy();
    this.updateNotices();
    if (this.pinnedToBottom) this.scrollToBottom();
  }

  private updateBusy(): void {
    this.composer.setBusy(this.activeId !== undefined || this.awaitingStart);
  }

  /** The notice's words and buttons for the cause: no provider at all, a setting a key would not fix, or a key kept back from a host. */
  private showProviderWays(): void {
    const hosts = this.withheldHosts();
    this.noKeyText.textContent = noProviderPanelText(this.invalidSettings, this.withheldKeys.map(({ reason }) => reason));
    this.providerWays.replaceChildren(
      ...providerWays(this.invalidSettings, hosts).map((way, index) => button(providerWayLabel(way, hosts), { 'data-way': way, class: index === 0 ? 'primary' : undefined })),
    );
  }

  private withheldHosts(): string[] {
    return this.withheldKeys.map(({ host }) => host);
  }

  /**
   * Ask again and Retry with the strong model, while no provider is usable: refused here as a new question is,
   * with the notice above showing the ways to one, instead of an error naming every model of the route.
   */
  private mayAskAgain(pressed: HTMLButtonElement): boolean {
    if (this.hasCredentials) return true;
    this.composer.sayNotAskedAgain(pressed.textContent ?? 'the button');
    return false;
  }

  private updateNotices(): void {
    this.composer.setRefusal(this.hasCredentials ? undefined : 'Not sent: Switchboard has no provider to ask yet (see above). Your question stays here; press Enter once one is set up.');
    this.noKey.hidden = this.hasCredentials;
    this.welcome.hidden = !this.hasCredentials || !this.transcript.isEmpty;
  }

  private scrollToBottom(): void {
    this.list.scrollTop = this.list.scrollHeight;
    this.pinnedToBottom = true;
  }

  private onScroll(): void {
    const { scrollTop, scrollHeight, clientHeight } = this.list;
    this.pinnedToBottom = scrollTop + clientHeight >= scrollHeight - BOTTOM_SLACK_PX;
    clearTimeout(this.saveScrollTimer);
    this.saveScrollTimer = setTimeout(() => {
      this.host.saveViewState({ scrollTop: this.list.scrollTop, pinnedToBottom: this.pinnedToBottom });
    }, 200);
  }

  private onTranscriptClick(event: MouseEvent): void {
    const retry = event.target instanceof Element ? event.target.closest<HTMLButtonElement>('button.retry-strong') : null;
    if (retry) {
      const recordId = retry.dataset.recordId;
      if (recordId && this.activeId === undefined && !this.awaitingStart && this.mayAskAgain(retry)) {
        this.awaitingStart = true;
        this.updateBusy();
        this.host.post({ type: 'retry', recordId });
        // One retry per answer: the new answer carries its own footer.
        retry.disabled = true;
        this.againPressed = retry;
      }
      return;
    }
    const askAgain = event.target instanceof Element ? event.target.closest<HTMLButtonElement>('button.ask-again') : null;
    if (askAgain) {
      if (this.activeId === undefined && !this.awaitingStart && this.mayAskAgain(askAgain)) {
        this.awaitingStart = true;
        this.updateBusy();
        this.host.post({ type: 'askAgain' });
        askAgain.disabled = true;
        this.againPressed = askAgain;
        // The button goes when the new answer starts; the prompt (Escape stops) keeps the keyboard.
        this.composer.focus();
      }
      return;
    }
    const codeAction = codeActionAt(event.target);
    if (codeAction) {
      if (codeAction.action === 'insert') {
        this.host.post({ type: 'insertCode', code: codeAction.code });
        // Said once the host has tried: there may be no editor to insert into.
        this.insertPressed = codeAction.button;
      } else {
        void this.copy(codeAction.code, codeAction.button);
      }
      return;
    }
    const link = event.target instanceof Element ? event.target.closest('a') : null;
    if (!link) return;
    // The webview must never navigate itself; the host opens http(s) links in the browser.
    event.preventDefault();
    const href = link.getAttribute('href');
    if (href && isHttpUrl(href)) this.host.post({ type: 'openLink', href });
  }

  private async copy(code: string, copyButton: HTMLButtonElement): Promise<void> {
    try {
      if (!navigator.clipboard) throw new Error('no clipboard API');
      await navigator.clipboard.writeText(code);
    } catch {
      // Webviews may be denied clipboard access; the host can always write it.
      this.host.post({ type: 'copy', text: code });
    }
    acknowledge(copyButton, 'Copied');
    this.announce('Code copied');
  }

  private announce(text: string): void {
    // Emptied first, so the same words said twice are heard twice.
    this.announcer.textContent = '';
    requestAnimationFrame(() => {
      this.announcer.textContent = text;
    });
  }
}
