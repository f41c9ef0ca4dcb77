/**
 * The conversation as DOM: user messages with their attachment chips, and
 * answers that stream, then end in a footer (who answered, tokens, cost,
 * latency) or an error with the models the router tried.
 */
import { formatUsd } from '../../core/cost';
import { MAX_CONVERSATION_CHARS, type AnswerError, type AnswerFooter, type AttachmentChip, type ChatTranscriptEntry } from '../../shared/chatProtocol';
import { withCodePointsShown } from '../../shared/hiddenCharacters';
import { button, el } from '../dom';
import { formatAnsweredBy, formatLatency, formatRouting, formatRoutingTooltip, formatTokenCounts } from '../format';
import { markHiddenCharacters } from './hiddenMarks';
import { StreamingMarkdown } from './streamingMarkdown';

export class Answer {
  readonly element: HTMLElement;
  private readonly body: StreamingMarkdown;
  private readonly status: HTMLElement;
  private streaming = true;
  private footed = false;

  constructor(requestedModel: string, initialText = '') {
    this.body = new StreamingMarkdown(initialText);
    const waitingFor = requestedModel ? `Waiting for ${requestedModel}…` : 'Waiting for the model…';
    this.status = el('p', { class: 'answer-status' }, waitingFor);
    this.status.hidden = initialText !== '';
    // aria-busy keeps screen readers from reading every streamed fragment of the live region.
    this.element = el('article', { class: 'message assistant', 'aria-label': 'Answer', 'aria-busy': 'true' }, this.status, this.body.element);
  }

  get isStreaming(): boolean {
    return this.streaming;
  }

  get hasFooter(): boolean {
    return this.footed;
  }

  append(text: string): void {
    if (this.streaming) this.body.append(text);
  }

  /** Puts text received since the last call on screen; false when there was none. */
  render(): boolean {
    const changed = this.body.render();
    if (changed && this.body.hasVisibleText) this.status.hidden = true;
    return changed;
  }

  /** Ends the answer with its footer; also adds the footer to an answer that broke off with an error. */
  finish(footer: AnswerFooter): void {
    if (this.footed) return;
    if (this.streaming) this.end();
    this.element.append(withHiddenMarked(footerElement(footer)));
    this.footed = true;
  }

  fail(error: AnswerError): void {
    this.end();
    this.element.append(withHiddenMarked(errorElement(error)));
  }

  /** Stops streaming without a footer. */
  settle(): void {
    this.end();
  }

  private end(): void {
    this.body.finish();
    this.streaming = false;
    this.status.hidden = true;
    this.element.removeAttribute('aria-busy');
  }
}

export class Transcript {
  private readonly answers = new Map<string, Answer>();

  constructor(readonly list: HTMLElement) {}

  get isEmpty(): boolean {
    return this.list.childElementCount === 0;
  }

  clear(): void {
    this.answers.clear();
    this.list.replaceChildren();
  }

  /** `removedMessages`: how many of the oldest messages the host removed to keep the conversation within its stored size. */
  show(entries: ChatTranscriptEntry[], removedMessages = 0): void {
    this.clear();
    if (removedMessages > 0) this.list.append(removedNote(removedMessages));
    for (const entry of entries) {
      if (entry.role === 'user') {
        this.addUser(entry.text, entry.attachments);
        continue;
      }
      const answer = new Answer('', entry.text);
      // An answer that broke off has both: the error, and the footer of what it cost.
      if (entry.error) answer.fail(entry.error);
      if (entry.footer) answer.finish(entry.footer);
      if (answer.isStreaming) answer.settle();
      this.list.append(answer.element);
    }
  }

  addUser(text: string, attachments: AttachmentChip[]): void {
    // Only the conversation's last answer can be asked again (the host asks its question).
    for (const askAgain of Array.from(this.list.querySelectorAll('button.ask-again'))) askAgain.remove();
    const message = el('article', { class: 'message user', 'aria-label': 'You' });
    if (attachments.length > 0) {
      const chips = el('ul', { class: 'chips', 'aria-label': 'Attached' });
      for (const chip of attachments) chips.append(withHiddenMarked(chipElement(chip)));
      message.append(chips);
    }
    message.append(el('div', { class: 'user-text' }, text));
    this.list.append(message);
  }

  /** Returns undefined when an answer with this id is already shown (a repeated `start`). */
  startAnswer(id: string, requestedModel: string): Answer | undefined {
    if (this.answers.has(id)) return undefined;
    const answer = new Answer(requestedModel);
    answer.element.dataset.id = id;
    this.answers.set(id, answer);
    this.list.append(answer.element);
    return answer;
  }

  answer(id: string): Answer | undefined {
    return this.answers.get(id);
  }

  /** A request that failed before any answer started, e.g. no model could be reached. */
  addError(error: AnswerError): void {
    const answer = new Answer('');
    answer.fail(error);
    this.list.append(answer.element);
  }
}

/** Where the removed messages were: the conversation says it is not whole, and what to do about it. */
function removedNote(count: number): HTMLElement {
  const messages = count === 1 ? 'message was' : `${count.toLocaleString('en-US')} messages were`;
  return el(
    'p',
    { class: 'removed-note', role: 'note' },
    `The oldest ${messages} removed: a conversation keeps about its latest ${MAX_CONVERSATION_CHARS.toLocaleString('en-US')} characters in this workspace. Their cost still counts in the total. For a new subject, start a new chat (+).`,
  );
}

/**
 * `element` with its hidden characters marked, as an answer's are: the model named in a footer (a provider may name
 * it, as Bedrock's router does), a server's error words and a workspace file's name on a chip are not Switchboard's,
 * and a right-to-left override in one would make it read as something else.
 */
function withHiddenMarked(element: HTMLElement): HTMLElement {
  markHiddenCharacters(element);
  return element;
}

/** An excluded file is shown with why it was not attached, so nothing is dropped silently. */
function chipElement(chip: AttachmentChip): HTMLElement {
  // The tooltip cannot box a hidden character in as the chip's text is (withHiddenMarked): it names its code point.
  if (!chip.excluded) return el('li', { class: 'chip', title: withCodePointsShown(chip.label) }, chip.label);
  const text = `${chip.label}: not attached, ${chip.excluded}`;
  return el('li', { class: 'chip excluded', title: withCodePointsShown(text) }, text);
}

/** The model's tooltip: after a fallback, why each model asked before it did not answer (a host that could not be reached in time, a refusal). */
function answeredByTooltip(footer: AnswerFooter): string {
  if (!footer.fellBack || !footer.fellBackBecause?.length) return 'Model that answered';
  return ['Model that answered, after:', ...footer.fellBackBecause.map((reason) => `• ${reason}`)].join('\n');
}

function footerElement(footer: AnswerFooter): HTMLElement {
  const parts: HTMLElement[] = [
    el('span', { class: 'footer-model', title: withCodePointsShown(answeredByTooltip(footer)) }, formatAnsweredBy(footer)),
    el(
      'span',
      {
        class: 'footer-tokens',
        title: footer.estimated ? 'Tokens in / out (estimated: the provider reported no usage)' : 'Tokens in / out',
      },
      formatTokenCounts(footer),
    ),
    el('span', { class: 'footer-cost', title: 'Cost of this answer' }, formatUsd(footer.costUsd)),
    // Beside the cost it qualifies: the figure is a bound, not what the provider reported.
    ...(footer.pricedAtBound ? [el('span', { class: 'footer-bound', title: footer.pricedAtBound }, 'priced at a bound')] : []),
    // As the status bar and the terminal say: the sandbox's answers cost nothing real.
    ...(footer.simulated
      ? [el('span', { class: 'footer-simulated', title: "Simulated: the sandbox's fake provider answered (npm start with no keys). The cost is what this model would have charged; nothing was billed." }, 'simulated, not billed')]
      : []),
    el('span', { class: 'footer-latency', title: 'Time to the last token' }, formatLatency(footer.latencyMs)),
  ];
  if (footer.stopped) parts.push(el('span', { class: 'footer-stopped' }, 'stopped'));
  if (footer.maxTokensReached !== undefined) {
    // A stream that ended properly, yet not the whole answer: said, or the reader takes the cut for the end.
    const limit = footer.maxTokensReached.toLocaleString('en-US');
    parts.push(
      el(
        'span',
        { class: 'footer-cut', title: `The model reached this answer's limit of ${limit} output tokens and stopped there. Raise switchboard.chat.maxTokens for longer answers.` },
        `cut at ${limit} tokens`,
      ),
    );
  }
  if (footer.omittedMessages) {
    const count = footer.omittedMessages;
    parts.push(
      el(
        'span',
        {
          class: 'footer-omitted',
          title: `The ${count === 1 ? 'oldest message' : `${count} oldest messages`} of this conversation did not fit the model's context and were not sent with this question. Start a new chat, or repeat what matters, if the answer needs them.`,
        },
        `${count} earlier ${count === 1 ? 'message' : 'messages'} not sent`,
      ),
    );
  }
  if (footer.routing) parts.push(el('span', { class: 'footer-routing', title: formatRoutingTooltip(footer.routing) }, formatRouting(footer.routing)));
  if (footer.routing?.mode === 'auto' && footer.routing.tier === 'cheap' && footer.recordId) {
    parts.push(
      button('Retry with the strong model', {
        class: 'retry-strong',
        'data-record-id': footer.recordId,
        title: 'Ask this question again on the strong tier; the two answers are linked in the ledger',
      }),
    );
  }
  return el('footer', { class: 'answer-footer', 'aria-label': 'Answer details' }, ...parts);
}

function errorElement(error: AnswerError): HTMLElement {
  const element = el('div', { class: 'answer-error', role: 'alert' }, el('p', { class: 'error-message' }, error.message));
  if (error.attempts.length > 0) {
    const attempts = el('ul', { class: 'error-attempts', 'aria-label': 'Models tried' });
    for (const attempt of error.attempts) {
      attempts.append(
        el('li', {}, el('span', { class: 'attempt-model' }, `${attempt.provider}:${attempt.model}`), ` — ${attempt.error}`),
      );
    }
    element.append(attempts);
  }
  if (error.retryable) {
    element.append(
      button('Ask again', {
        class: 'ask-again',
        // The model picked below now, not the one that failed: changing the picker first is how to ask another.
        title: 'Ask this question again, with what was attached to it, on the model picked below (pick another first to switch); the answer above stays as it is',
      }),
    );
  }
  return element;
}
