import { formatModelRef, shortModelName } from '../../core/modelRef';
import { promptWithAttachments, type Attachment } from '../../core/prompts/attachments';
import { planChatRequest } from '../../core/prompts/chatContext';
import type { RouteResult } from '../../core/router';
import type { RoutePlan } from '../../core/routing/autoRoute';
import type { Switchboard } from '../../core/switchboard';
import type { ModelRef, ModelRequest } from '../../core/types';
import type { HostToWebview } from '../../shared/chatProtocol';

import { answerEntry, unexpectedFailureEntry } from './answerEntry';
import { RETRY_CHIP, type ChatQuestion } from './chatQuestion';
import type { AssistantEntry, ChatTranscript } from './chatTranscript';
import { realBatchClock, type BatchClock } from './chunkBatcher';
import type { PageFrameClock } from './chunkPacer';
import type { DirectAnswerStream } from './directStreamServer';
import { StreamingAnswer, type StartMessage } from './streamingAnswer';

type HistoryMessage = Extract<HostToWebview, { type: 'history' }>;

export interface ChatSessionOptions {
  switchboard: Switchboard;
  transcript: ChatTranscript;
  /** To the webview; dropped while it is not shown. */
  post(message: HostToWebview): void;
  log: { info(message: string): void; warn(message: string): void };
  /** The streaming benchmark's file (SWITCHBOARD_BENCHMARK_FILE); see chunkArrivals.ts. */
  benchmarkFile?: string;
  /** Why no question may be asked now (Restricted Mode), said in the panel instead of an answer. */
  refusal?(): string | undefined;
  /** The timer an answer's periodic save waits on; tests pass one they move by hand. */
  clock?: BatchClock;
  /**
   * Whether the sandbox's fake providers answer (SWITCHBOARD_SIMULATED, sandboxSimulation.ts): each footer then says its
   * cost is simulated. Asked at each answer: a provider added since (a real endpoint, a key) makes answers billed.
   */
  simulated?: () => boolean;
  /**
   * `switchboard.chat.directStream`: a loopback response for the next answer's chunks, or undefined (the setting
   * off, a remote window, the page's policy naming no port, the server not listening). Asked at each answer.
   */
  directStream?(): DirectAnswerStream | undefined;
  /** A direct stream failed (the page said why): said once in the log by the caller. */
  directFailure?(reason: string): void;
}

/**
 * One chat conversation: builds each request from the transcript and the new
 * message (attachments go in through the core's prompt rule), runs it on the
 * chat route or the model picked, streams the answer to the panel, and records
 * the answer, or why there is none, in the transcript. No `vscode` here.
 */
export class ChatSession {
  /** The request under way; `byUser` once the user stopped it (else a cancel means the window is closing). */
  private running?: { controller: AbortController; byUser: boolean };
  /** The answer streaming now. */
  private streaming?: StreamingAnswer;
  /** The last answer that began on a direct stream, after its end too: its page may still ask for the rest. */
  private lastDirect?: StreamingAnswer;
  private nextId = 1;

  constructor(private readonly options: ChatSessionOptions) {}

  /** Whether an answer is being asked for now. */
  get isStreaming(): boolean {
    return this.running !== undefined;
  }

  /** Asks `question` with `attachments`, on `model` when the user picked one; resolves when the answer has ended. */
  async send(question: string, attachments: readonly Attachment[], model?: ModelRef): Promise<void> {
    const text = question.trim();
    if (!text) return;
    await this.ask({
      text,
      chips: attachments.map((a) => ({ label: a.label, ...(a.excluded && { excluded: a.excluded }) })),
      prompt: promptWithAttachments(text, attachments),
      history: this.options.transcript.turns(),
      typed: true,
      ...(model ? { model } : {}),
    });
  }

  /**
   * "Retry with the strong model": the question an Auto cheap-tier answer
   * replied to (attached code included), with the conversation as it was then,
   * asked again on the strong tier; the ledger links the new answer to the first.
   */
  async retry(recordId: string): Promise<void> {
    const question = this.options.transcript.questionOf(recordId);
    if (!question) {
      this.options.post({ type: 'error', id: `refused-${this.nextId++}`, message: 'That answer is no longer in this conversation, so it cannot be retried.', attempts: [], partial: false });
      return;
    }
    await this.ask({ ...question, chips: [...question.attachments, { label: RETRY_CHIP }], tier: 'strong',
      retryOf: recordId,
      retryOfUnpriced: this.options.transcript.answerUnpriced(recordId),
      retryOfHandedOver: this.options.transcript.answerHandedOverFromStrong(recordId),
    });
  }

  /**
   * "Ask again" on a failed last answer: its question (attached code included) with the conversation
   * as it was then, on `model` when the user picked one. The failed answer stays above, as it was.
   */
  async askAgain(model?: ModelRef): Promise<void> {
    const question = this.options.transcript.lastFailedQuestion();
    if (!question) {
      this.options.post({ type: 'error', id: `refused-${this.nextId++}`, message: 'The last answer did not fail, so there is nothing to ask again.', attempts: [], partial: false });
      return;
    }
    await this.ask({ ...question, chips: question.attachments, ...(model ? { model } : {}) });
  }

  /**
   * The model `question` with `attachments` would go to if sent now (on `model` when the user picked one), routed
   * as send() routes it: Auto scores the same conversation and prompt. For a question asked before sending
   * (Explain Selection's), which must name the model that would answer, not the route's first.
   */
  nextTarget(question: string, attachments: readonly Attachment[], model?: ModelRef): { target?: ModelRef; routing?: RoutePlan['routing'] } {
    const { routed, target } = this.routeOf({ prompt: promptWithAttachments(question.trim(), attachments), history: this.options.transcript.turns(), ...(model ? { model } : {}) });
    return { ...(target ? { target } : {}), ...(routed.routing ? { routing: routed.routing } : {}) };
  }

  /** Where a question goes: Auto decides on the whole conversation, before it is cut to the chosen model's context. */
  private routeOf(question: Pick<ChatQuestion, 'prompt' | 'history' | 'model' | 'tier'>): { routed: RoutePlan; target: ModelRef | undefined } {
    const { router } = this.options.switchboard;
    const conversation = question.history.filter((turn) => turn.text.trim() !== '').map((turn) => ({ role: turn.role, content: turn.text }));
    const routed = router.route('chat', { messages: [...conversation, { role: 'user', content: question.prompt }], maxTokens: 1 }, {
      ...(question.model ? { model: question.model } : {}),
      ...(question.tier ? { tier: question.tier } : {}),
    });
    return { routed, target: router.eligibility(routed.models).eligible[0] ?? routed.models[0] };
  }

  private async ask(question: ChatQuestion): Promise<void> {
    const { switchboard, transcript, post } = this.options;
    const refused = this.options.refusal?.() ?? (this.running ? 'An answer is still streaming: stop it first.' : undefined);
    if (refused) {
      post({ type: 'error', id: `refused-${this.nextId++}`, message: refused, attempts: [], partial: false });
      return;
    }
    // No provider: refused before the question is shown and stored, whichever button sent it (a new question, Ask
    // again, Retry with the strong model). The router would refuse too, but with an error naming every model of
    // the route, stored in the conversation. The page refuses by itself while it knows; this is for one whose
    // `init` was older. The question is kept: a new one goes back into the box, another stays where it is.
    if (!switchboard.registry.anyUsable()) {
      post({ type: 'notSent', ...(question.typed ? { text: question.text } : {}) });
      return;
    }
    const { text, chips, prompt } = question;
    const id = `m${this.nextId++}`;
    const { routed, target } = this.routeOf(question);
    const targetLabel = target ? formatModelRef(target) : 'the chat route';
    const direct = this.options.directStream?.();
    const start: StartMessage = { type: 'start', id, requestedModel: targetLabel, attachments: chips, userText: text, ...(direct && { direct: { url: direct.url, proof: direct.proof } }) };
    post(start);

    const removedBefore = transcript.removedMessages;
    transcript.addQuestion(text, chips, prompt);
    // Kept at once, with an empty answer marked broken off until the answer's own save replaces it:
    // a window closed from here on still has the question. Not awaited: the request goes first.
    transcript.answerSoFar('');
    const questionSaved = this.persist(transcript);
    let answer: AssistantEntry;
    try {
      answer = await this.answer(start, question, routed, target, transcript, direct);
      if (this.options.simulated?.() && answer.footer) answer = { ...answer, footer: { ...answer.footer, simulated: true } };
    } catch (error) {
      // A fault of ours, not the route's: said as such (the saved question would otherwise show, after a reload,
      // as broken off by the window closing), with Ask again, and the conversation kept.
      this.options.log.warn(`chat: answering failed unexpectedly: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      answer = unexpectedFailureEntry(error);
    }
    // Refused before it streamed (its context did not fit, or it failed unexpectedly): its response is not kept.
    if (direct && this.lastDirect?.id !== id) direct.abandon();
    transcript.addAnswer(answer);
    await questionSaved;
    // A save that fails (storage full) goes to the log; the panel must still be told the answer ended.
    await this.persist(transcript);
    if (answer.error) {
      const { message, attempts, retryable } = answer.error;
      post({ type: 'error', id, message, attempts, partial: answer.footer !== undefined, ...(retryable ? { retryable } : {}) });
    }
    if (answer.footer) post({ type: 'done', id, footer: answer.footer, totalCostUsd: transcript.totalCostUsd() });
    // The conversation outgrew its bound (conversationBound.ts) during this answer: the panel shows it as kept,
    // saying how many of its oldest messages were removed.
    if (transcript.removedMessages > removedBefore) {
      this.options.log.info(`chat: removed the conversation's oldest messages from storage (${transcript.removedMessages} so far) to keep it within its bound`);
      post(transcript.historyMessage());
    }
  }

  /** Plans the request within the model's context, streams it, and says how it went. */
  private async answer(
    start: StartMessage,
    question: ChatQuestion,
    routed: RoutePlan,
    target: ModelRef | undefined,
    transcript: ChatTranscript,
    direct: DirectAnswerStream | undefined,
  ): Promise<AssistantEntry> {
    const { switchboard } = this.options;
    const { router } = switchboard;
    const { prompt, history } = question;
    const targetLabel = target ? formatModelRef(target) : 'the chat route';
    const price = target ? switchboard.priceTable.lookup(target.provider, target.model) : undefined;
    const planned = planChatRequest(history, prompt, {
      maxTokens: switchboard.currentConfig.chat.maxTokens,
      ...(price?.maxInputTokens ? { contextTokens: price.maxInputTokens } : {}),
      modelLabel: target ? shortModelName(target.model) : 'the model',
    });
    if (!planned.ok) return { role: 'assistant', text: '', error: { message: planned.reason, attempts: [] } };
    const omitted = planned.droppedTurns;
    if (omitted > 0) this.options.log.info(`chat: left out the ${omitted} oldest messages to fit ${targetLabel}'s context`);
    const { result, stoppedByUser } = await this.stream(start, planned.request, routed, question, transcript, direct);
    // Refused before any model was asked (budget, no key): asking again would be refused the same way.
    const retryable = !result.budgetRefused && router.refusal('chat', question.model, routed) === undefined;
    const answer = answerEntry(result, routed, retryable, stoppedByUser);
    // The footer says so: an answer that ignores what was said early on is otherwise a puzzle.
    if (omitted > 0 && answer.footer) return { ...answer, footer: { ...answer.footer, omittedMessages: omitted } };
    return answer;
  }

  /** Stops the answer streaming now, if any; what it produced so far is kept and recorded. */
  stop(): void {
    if (!this.running) return;
    this.running.byUser = true;
    this.running.controller.abort();
  }

  /**
   * The panel's host is going away (the window reloads or closes): the answer streaming now is saved as
   * far as it has come, before its request is cancelled; what the cancel records follows if the window
   * lives long enough. Not the user's Stop: after the reload the answer shows as broken off, with Ask again.
   */
  dispose(): void {
    this.streaming?.saveSoFar(true);
    this.running?.controller.abort();
  }

  /** Saves the transcript without holding up the caller; a failure goes to the log. */
  private persist(transcript: ChatTranscript): Promise<void> {
    return transcript.save().then(
      () => undefined,
      (error: unknown) => this.options.log.warn(`chat: could not save the conversation: ${String(error)}`),
    );
  }

  /** The webview applied answer `id`'s chunk messages up to chunk `seq` (flow control); `frame`: its frame clock (frame pacing). */
  acknowledge(id: string, seq: number, frame?: PageFrameClock): void {
    if (this.streaming?.id !== id) return;
    this.streaming.acknowledge(seq, frame);
  }

  /** The page reads answer `id`'s direct stream no more, having applied its chunks up to `seq`: the rest by postMessage. */
  directFailed(id: string, seq: number, reason: string): void {
    const answer = this.streaming?.id === id ? this.streaming : this.lastDirect?.id === id ? this.lastDirect : undefined;
    answer?.directFailed(seq, reason);
  }

  /** The webview was reloaded or went away: chunk messages it was sent will not be acknowledged. */
  webviewReset(): void {
    this.streaming?.webviewReset();
  }

  /**
   * A new page announced itself (the panel first shown, or reloaded): posts the conversation, and,
   * while an answer streams, that answer's question and its text so far in place of the question in
   * `history`, so the rest streams into it. A page that missed the answer's `start` showed the
   * question and never the answer (seen when Explain Selection opened the panel on a loaded machine).
   */
  pageReady(history: HistoryMessage): void {
    const live = this.streaming;
    if (live && history.messages.at(-1)?.role === 'user') {
      this.options.post({ ...history, messages: history.messages.slice(0, -1) });
      for (const message of live.replay()) this.options.post(message);
    } else {
      this.options.post(history);
    }
    // After the replay: text still pending goes out behind it, asking for acknowledgements afresh.
    this.webviewReset();
  }

  private async stream(
    start: StartMessage,
    request: ModelRequest,
    routed: RoutePlan,
    { retryOf, retryOfUnpriced, retryOfHandedOver }: Pick<ChatQuestion, 'retryOf' | 'retryOfUnpriced' | 'retryOfHandedOver'>,
    transcript: ChatTranscript,
    direct: DirectAnswerStream | undefined,
  ): Promise<{ result: RouteResult; stoppedByUser: boolean }> {
    const controller = new AbortController();
    const running = { controller, byUser: false };
    this.running = running;
    const { switchboard, benchmarkFile } = this.options;
    const streaming = new StreamingAnswer(start, {
      transcript,
      post: (message) => this.options.post(message),
      log: this.options.log,
      clock: this.options.clock ?? realBatchClock,
      chunking: switchboard.currentConfig.chat,
      ...(benchmarkFile !== undefined ? { benchmarkFile } : {}),
      ...(direct && { direct, onDirectFailure: (reason: string) => this.options.directFailure?.(reason) }),
    });
    this.streaming = streaming;
    if (direct) this.lastDirect = streaming;
    try {
      const result = await switchboard.router.run('chat', request, {
        signal: controller.signal,
        routed,
        ...(retryOf ? { retryOf, retryOfUnpriced, retryOfHandedOver } : {}),
        onText: (chunk) => streaming.add(chunk),
      });
      return { result, stoppedByUser: running.byUser };
    } finally {
      streaming.end();
      this.running = undefined;
      this.streaming = undefined;
      // Before `done`: the benchmark reads the file as soon as the footer shows.
      await streaming.writeBenchmark();
    }
  }
}

