/**
 * The panel: header, notices, transcript, composer, and the handling of every
 * host message. Streamed text is put on screen in the next animation frame,
 * once per frame however many chunks arrived in between (streamedTextDrawer.ts).
 */
import { parseHostMessage, type ChatTranscriptEntry, type HostToWebview } from '../../shared/chatProtocol';
import { Announcer } from './announcer';
import { ChatHeader } from './chatHeader';
import { Composer } from './composer';
import { DirectStreams } from './directStreams';
import { el } from '../dom';
import { installBenchmarkHooks, installLongTaskLog, installPaintLog, PingLog } from './paintLog';
import { ProviderNotice } from './providerNotice';
import { ScrollFollow } from './scrollFollow';
import { StreamedTextDrawer } from './streamedTextDrawer';
import { Transcript } from './transcript';
import { TranscriptActions } from './transcriptActions';
import { warmUpRenderingWhenIdle } from './warmUp';
import type { HostChannel } from './vscodeApi';

export class ChatView {
  private readonly header: ChatHeader;
  private readonly notice: ProviderNotice;
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
  private readonly announcer = new Announcer();
  private readonly transcript = new Transcript(this.list);
  private readonly composer: Composer;
  private readonly scroll: ScrollFollow;
  private readonly drawer: StreamedTextDrawer;
  private readonly actions: TranscriptActions;
  /** Present once the host turned the streaming benchmark on. */
  private pingLog: PingLog | undefined;
  /** Answers read from a direct stream (`start.direct`): their chunks' order, and their ends held until complete. */
  private readonly directs = new DirectStreams({
    apply: (id, text, seq) => this.applyChunk({ type: 'chunk', id, text, seq }),
    failed: (id, seq, reason) => this.host.post({ type: 'directFailed', id, seq, reason }),
    release: (messages) => {
      for (const message of messages) this.handle(message);
    },
  });

  private activeId: string | undefined;
  /** A send was posted and its `start` has not arrived yet. */
  private awaitingStart = false;

  constructor(
    root: HTMLElement,
    private readonly host: HostChannel,
  ) {
    this.composer = new Composer({
      send: (request) => {
        this.asked();
        this.host.post({ type: 'send', ...request });
      },
      stop: () => this.stop(),
      selectModel: (model) => this.host.post({ type: 'selectModel', model }),
    });
    this.header = new ChatHeader({
      newChat: () => this.host.post({ type: 'newChat' }),
      showConversations: () => this.host.post({ type: 'showConversations' }),
    });
    this.notice = new ProviderNotice((way) => this.host.post({ type: 'setUpProvider', way }));
    root.replaceChildren(this.header.element, this.notice.element, this.welcome, this.list, this.composer.element, this.announcer.element);

    this.scroll = new ScrollFollow(this.list, host);
    this.drawer = new StreamedTextDrawer(this.list, () => this.scroll.follow());
    this.actions = new TranscriptActions(this.list, {
      post: (message) => this.host.post(message),
      isIdle: () => this.activeId === undefined && !this.awaitingStart,
      asked: () => this.asked(),
      providerUsable: () => this.notice.providerUsable,
      sayNotAskedAgain: (label) => this.composer.sayNotAskedAgain(label),
      focusPrompt: () => this.composer.focus(),
      announce: (text) => this.announcer.say(text),
    });
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
    // The first render and first highlight compile what every later one reuses: done before an answer needs them.
    warmUpRenderingWhenIdle(this.list);
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
        this.notice.show(message);
        if (message.benchmark && !this.pingLog) this.installBenchmark();
        this.updateNotices();
        return;
      case 'history':
        this.showHistory(message.messages, message.totalCostUsd, message.removedMessages);
        if (message.title !== undefined) this.header.showTitle(message.title);
        return;
      case 'conversationTitle':
        this.header.showTitle(message.title);
        return;
      case 'notSent':
        // The host had no provider to ask. The notice says why.
        this.awaitingStart = false;
        this.updateBusy();
        this.updateNotices();
        if (message.text !== undefined) this.composer.restore(message.text);
        this.actions.askRefused(message.text !== undefined);
        return;
      case 'start': {
        this.awaitingStart = false;
        this.actions.answerStarted();
        this.transcript.addUser(message.userText, message.attachments);
        const answer = this.transcript.startAnswer(message.id, message.requestedModel);
        if (answer) this.activeId = message.id;
        if (answer && message.direct) this.directs.begin(message.id, message.direct);
        this.afterContentChange();
        return;
      }
      case 'directEnd':
        this.directs.ended(message.id, message.seq);
        return;
      case 'chunk': {
        if (this.directs.accepts(message.id, message.seq)) this.applyChunk(message);
        // Flow control: acknowledged once applied (the text is in the answer, drawn at the latest by the
        // next frame), not once painted: the relay, not the draw, is what falls behind, and a hidden page
        // gets no animation frames. Also when this page has no such answer (it was reloaded mid-answer):
        // the host must not wait for it.
        // With the page's frame clock: a host pacing its messages to the frames (chunkPacer.ts) times the next by it.
        if (message.ack) this.host.post({ type: 'chunkAck', id: message.id, seq: message.seq, ...this.drawer.frameClock() });
        return;
      }
      case 'done': {
        if (this.directs.hold(message)) return;
        // Also accepted after a partial `error`: the host then sends what the broken-off answer cost.
        const answer = this.transcript.answer(message.id);
        if (!answer || answer.hasFooter) return;
        if (answer.isStreaming) this.drawer.drawNow();
        answer.finish(message.footer);
        this.header.showCost(message.totalCostUsd);
        this.endRequest(message.id);
        return;
      }
      case 'error': {
        if (this.directs.hold(message)) return;
        const answer = this.transcript.answer(message.id);
        const error = { message: message.message, attempts: message.attempts, ...(message.retryable ? { retryable: true } : {}) };
        if (answer?.isStreaming) {
          this.drawer.drawNow();
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
        this.actions.codeInserted(message.inserted);
        return;
      case 'attachmentsPreview':
        this.composer.showAttachable(message.selection, message.file);
        return;
    }
  }

  private installBenchmark(): void {
    const paintLog = installPaintLog();
    installLongTaskLog();
    const pings = new PingLog();
    this.pingLog = pings;
    const { variants } = installBenchmarkHooks(pings, (count, intervalMs) => this.host.post({ type: 'benchmarkPings', count, intervalMs }));
    this.drawer.measure(paintLog, variants);
  }

  private applyChunk(message: Extract<HostToWebview, { type: 'chunk' }>): void {
    const answer = this.transcript.answer(message.id);
    if (!answer?.isStreaming) return;
    answer.append(message.text);
    this.drawer.appended(answer, message);
  }

  /** A question, Retry or Ask again was posted: busy until its answer starts (or the host refuses it). */
  private asked(): void {
    this.awaitingStart = true;
    this.updateBusy();
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
    this.drawer.forget();
    this.directs.forgetAll();
    this.activeId = undefined;
    this.awaitingStart = false;
    this.transcript.show(entries, removedMessages);
    this.header.showCost(totalCostUsd);
    this.updateBusy();
    this.updateNotices();
    this.scroll.conversationShown();
  }

  private afterContentChange(): void {
    this.updateBusy();
    this.updateNotices();
    this.scroll.follow();
  }

  private updateBusy(): void {
    this.composer.setBusy(this.activeId !== undefined || this.awaitingStart);
  }

  private updateNotices(): void {
    const usable = this.notice.providerUsable;
    this.composer.setRefusal(usable ? undefined : 'Not sent: Switchboard has no provider to ask yet (see above). Your question stays here; press Enter once one is set up.');
    this.welcome.hidden = !usable || !this.transcript.isEmpty;
  }
}
