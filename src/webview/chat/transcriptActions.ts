/**
 * What the buttons and links in the transcript do: Retry with the strong model and Ask again (one ask at a time,
 * refused in the page while no provider is usable), a code block's Copy and Insert, and links, which the host opens.
 */
import { isHttpUrl } from '../../core/urls';
import type { WebviewToHost } from '../../shared/chatProtocol';
import { acknowledge, codeActionAt } from './codeBlocks';

export interface TranscriptActionsHost {
  post(message: WebviewToHost): void;
  /** No answer streams and none was asked for: the only time Retry and Ask again may ask. */
  isIdle(): boolean;
  /** An ask was posted: the panel is busy until its answer starts. */
  asked(): void;
  providerUsable(): boolean;
  sayNotAskedAgain(buttonLabel: string): void;
  focusPrompt(): void;
  announce(text: string): void;
}

export class TranscriptActions {
  /** The Insert button last pressed, told what became of it when the host answers. */
  private insertPressed: HTMLButtonElement | undefined;
  /** The Ask again or Retry button last pressed: pressable again if the host refuses it (no provider). */
  private againPressed: HTMLButtonElement | undefined;

  constructor(
    list: HTMLElement,
    private readonly host: TranscriptActionsHost,
  ) {
    list.addEventListener('click', (event) => this.onClick(event));
    // Middle-click would otherwise try to open the link in a new window of the webview.
    list.addEventListener('auxclick', (event) => {
      if (event.target instanceof Element && event.target.closest('a')) event.preventDefault();
    });
  }

  /**
   * The host asked no model, for want of a provider. `questionReturned`: a new question, back in the box; otherwise
   * Ask again's or Retry's, still in the conversation, whose button works again.
   */
  askRefused(questionReturned: boolean): void {
    if (!questionReturned && this.againPressed) {
      this.againPressed.disabled = false;
      this.host.sayNotAskedAgain(this.againPressed.textContent ?? 'the button');
    }
    this.againPressed = undefined;
  }

  answerStarted(): void {
    this.againPressed = undefined;
  }

  codeInserted(inserted: boolean): void {
    if (this.insertPressed?.isConnected) acknowledge(this.insertPressed, inserted ? 'Inserted' : 'Not inserted');
    this.insertPressed = undefined;
    this.host.announce(inserted ? 'Code inserted at the cursor' : 'Code not inserted: no editor to insert into');
  }

  private onClick(event: MouseEvent): void {
    const target = event.target instanceof Element ? event.target : null;
    const retry = target?.closest<HTMLButtonElement>('button.retry-strong');
    if (retry) {
      const recordId = retry.dataset.recordId;
      if (recordId && this.host.isIdle() && this.mayAskAgain(retry)) {
        this.host.asked();
        this.host.post({ type: 'retry', recordId });
        // One retry per answer: the new answer carries its own footer.
        retry.disabled = true;
        this.againPressed = retry;
      }
      return;
    }
    const askAgain = target?.closest<HTMLButtonElement>('button.ask-again');
    if (askAgain) {
      if (this.host.isIdle() && this.mayAskAgain(askAgain)) {
        this.host.asked();
        this.host.post({ type: 'askAgain' });
        askAgain.disabled = true;
        this.againPressed = askAgain;
        // The button goes when the new answer starts; the prompt (Escape stops) keeps the keyboard.
        this.host.focusPrompt();
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
    const link = target?.closest('a');
    if (!link) return;
    // The webview must never navigate itself; the host opens http(s) links in the browser. Nor may the click reach
    // VS Code's own listener on the page's window, which opens any http(s) link it sees clicked, whatever the page
    // prevented, past the host's question about links to this computer (src/vscode/chat/answerLinks.ts).
    event.preventDefault();
    event.stopPropagation();
    const href = link.getAttribute('href');
    if (href && isHttpUrl(href)) this.host.post({ type: 'openLink', href });
  }

  /**
   * Retry and Ask again while no provider is usable: refused here as a new question is, with the notice above
   * showing the ways to one, instead of an error naming every model of the route.
   */
  private mayAskAgain(pressed: HTMLButtonElement): boolean {
    if (this.host.providerUsable()) return true;
    this.host.sayNotAskedAgain(pressed.textContent ?? 'the button');
    return false;
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
    this.host.announce('Code copied');
  }
}
