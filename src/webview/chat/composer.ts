/**
 * The input area: attach toggles, the prompt, the model picker, Send/Stop.
 * It knows nothing about the host; main.ts turns its events into messages.
 */
import { tokensForChars } from '../../core/usageEstimate';
import type { AttachmentChip, ModelOption } from '../../shared/chatProtocol';
import { withCodePointsShown } from '../../shared/hiddenCharacters';
import { button, el } from '../dom';
import { markHiddenCharacters } from './hiddenMarks';
import { formatApproxTokens, formatTokens } from '../format';

const AUTO_MODEL = 'auto';

export interface SendRequest {
  text: string;
  model: string;
  attachSelection: boolean;
  attachFile: boolean;
}

export interface ComposerEvents {
  send(request: SendRequest): void;
  stop(): void;
  selectModel(model: string): void;
}

export class Composer {
  readonly element: HTMLFormElement;
  private readonly prompt = el('textarea', {
    id: 'prompt',
    rows: '2',
    placeholder: 'Ask Switchboard… (Enter to send, Shift+Enter for a new line)',
    'aria-label': 'Message',
  });
  private readonly picker = el('select', { id: 'model-picker', 'aria-label': 'Model' });
  private readonly sendButton = el('button', { id: 'send', type: 'submit' }, 'Send');
  private readonly stopButton = button('Stop', { id: 'stop', 'aria-label': 'Stop generating' });
  private readonly attachSelection = new AttachToggle('attach-selection', 'Selection', 'the selection', 'no selection');
  private readonly attachFile = new AttachToggle('attach-file', 'Active file', 'the active file', 'no active file');
  /** Why Enter did not send: said (and read out politely) instead of nothing happening. */
  private readonly hint = el('p', { id: 'composer-hint', class: 'composer-hint', role: 'status' });
  private busy = false;
  /** Why nothing may be sent now (no provider): Enter keeps the question and says this instead. */
  private refusal: string | undefined;
  /** The hint says a refusal for want of a provider (of a new question, or of Ask again): it goes once one is usable. */
  private hintIsRefusal = false;

  constructor(private readonly events: ComposerEvents) {
    this.stopButton.hidden = true;
    this.hint.hidden = true;
    this.setModels([], AUTO_MODEL);
    this.element = el(
      'form',
      { id: 'composer', 'aria-label': 'Ask Switchboard' },
      el('div', { class: 'attach-toggles', role: 'group', 'aria-label': 'Attach' }, this.attachSelection.element, this.attachFile.element),
      this.prompt,
      this.hint,
      el('div', { class: 'composer-actions' }, this.picker, this.sendButton, this.stopButton),
    );

    this.element.addEventListener('submit', (event) => {
      event.preventDefault();
      this.submit();
    });
    this.prompt.addEventListener('keydown', (event) => {
      // isComposing: Enter also confirms an IME composition, which must not send.
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.submit();
      }
      // Escape, here as anywhere in the panel, is the panel's (chatView.ts): it stops an answer.
    });
    this.stopButton.addEventListener('click', () => this.events.stop());
    this.picker.addEventListener('change', () => this.events.selectModel(this.picker.value));
  }

  setModels(models: ModelOption[], selected: string): void {
    const options = [el('option', { value: AUTO_MODEL }, 'Auto (chat route)')];
    for (const model of models) options.push(el('option', { value: model.ref }, model.label));
    this.picker.replaceChildren(...options);
    this.picker.value = models.some((model) => model.ref === selected) ? selected : AUTO_MODEL;
  }

  setBusy(busy: boolean): void {
    if (this.busy === busy) return;
    const hadFocus = document.activeElement === (busy ? this.sendButton : this.stopButton);
    this.busy = busy;
    this.sendButton.hidden = busy;
    this.stopButton.hidden = !busy;
    if (!busy) this.sayWhyNotSent(undefined);
    // Keep keyboard users on the button that replaced the one they pressed.
    if (hadFocus) (busy ? this.stopButton : this.prompt).focus();
  }

  setRefusal(refusal: string | undefined): void {
    if (this.refusal === refusal) return;
    // The hint said the last refusal: gone with it, so a question sent now is not shown as refused.
    if (this.hintIsRefusal) this.sayWhyNotSent(undefined);
    this.refusal = refusal;
  }

  /** Ask again or Retry (`button`, its label) refused for want of a provider: said where a refused question is. */
  sayNotAskedAgain(button: string): void {
    this.sayWhyNotSent(`Not sent: Switchboard has no provider to ask yet (see above). The question stays in the conversation; press ${button} once one is set up.`);
    this.hintIsRefusal = true;
  }

  /** A question the host refused to send comes back, unless something new was typed meanwhile. */
  restore(text: string): void {
    if (this.prompt.value.trim() === '') this.prompt.value = text;
    if (this.refusal !== undefined) this.sayWhyNotSent(this.refusal);
  }

  showAttachable(selection: AttachmentChip | null, file: AttachmentChip | null): void {
    this.attachSelection.show(selection);
    this.attachFile.show(file);
  }

  focus(): void {
    this.prompt.focus();
  }

  private sayWhyNotSent(message: string | undefined): void {
    this.hint.textContent = message ?? '';
    this.hint.hidden = message === undefined;
    this.hintIsRefusal = message !== undefined && message === this.refusal;
  }

  private submit(): void {
    const text = this.prompt.value;
    if (text.trim() === '') return;
    if (this.busy) {
      // The question stays in the box, ready to send once the answer has ended.
      this.sayWhyNotSent('An answer is still coming: Stop it (Escape) or wait, then press Enter to send.');
      return;
    }
    if (this.refusal !== undefined) {
      this.sayWhyNotSent(this.refusal);
      return;
    }
    this.events.send({
      text,
      model: this.picker.value || AUTO_MODEL,
      attachSelection: this.attachSelection.pressed,
      attachFile: this.attachFile.pressed,
    });
    this.prompt.value = '';
  }
}

/**
 * A toggle button (aria-pressed) that shows what it would attach: the file's
 * name (the whole path in its tooltip), or that there is nothing to attach.
 * On and off differ by more than colour: a ticked box, bold text and a border.
 */
class AttachToggle {
  readonly element: HTMLButtonElement;
  private readonly detail = el('span', { class: 'toggle-detail' });
  private chip: AttachmentChip | null = null;

  constructor(
    id: string,
    label: string,
    private readonly what: string,
    private readonly nothing: string,
  ) {
    this.element = button('', { id, class: 'toggle', 'aria-pressed': 'false' });
    this.element.append(el('span', { class: 'toggle-box', 'aria-hidden': 'true' }), el('span', { class: 'toggle-label' }, label), this.detail);
    this.show(null);
    this.element.addEventListener('click', () => {
      this.element.setAttribute('aria-pressed', String(!this.pressed));
      this.describe();
    });
  }

  get pressed(): boolean {
    return this.element.getAttribute('aria-pressed') === 'true';
  }

  /**
   * What the toggle would attach (a path, or `path:3-7`) and about how many tokens it is; an excluded
   * file is named with why it would not be.
   */
  show(chip: AttachmentChip | null): void {
    const name = chip ? (chip.label.split('/').pop() ?? chip.label) : this.nothing;
    const size = chip?.chars !== undefined && !chip.excluded ? ` · ${formatApproxTokens(tokensForChars(chip.chars))}` : '';
    this.detail.textContent = chip?.excluded ? `${name} (${chip.excluded})` : `${name}${size}`;
    // A file's name is the workspace's: a right-to-left override in it would make it read as another (Trojan Source).
    markHiddenCharacters(this.detail);
    this.detail.classList.toggle('nothing', !chip);
    this.detail.classList.toggle('excluded', chip?.excluded !== undefined);
    this.chip = chip;
    this.describe();
  }

  private describe(): void {
    const chip = this.chip;
    // A tooltip cannot box a hidden character in: it is written as its code point.
    const target = chip ? `${this.what} (${withCodePointsShown(chip.label)}${sizeText(chip)})` : `${this.what}: ${this.nothing} now`;
    const refused = chip?.excluded ? ` It is not sent: ${withCodePointsShown(chip.excluded)}.` : '';
    this.element.title = this.pressed ? `On: attaches ${target} to each message. Click to stop.${refused}` : `Off. Click to attach ${target} to each message.${refused}`;
  }
}

/** ", 4,380 characters, ~1,100 tokens" for a toggle's tooltip; ", its first 60,000 of 250,000 characters, …" when cut. */
function sizeText(chip: AttachmentChip): string {
  if (chip.chars === undefined || chip.excluded) return '';
  const chars = chip.ofChars !== undefined ? `its first ${formatTokens(chip.chars)} of ${formatTokens(chip.ofChars)} characters` : `${formatTokens(chip.chars)} characters`;
  return `, ${chars}, ${formatApproxTokens(tokensForChars(chip.chars))}`;
}
