/** What the page shows before any request was answered: the first step, and the ways to a provider while none is usable. */
import { el } from '../dom';
import type { ViewMessage } from './viewMessage';

export class EmptyState {
  readonly element: HTMLElement;
  /** The ways to a provider, shown only while none is usable: with one set, "No provider yet?" would read as a fault. */
  private readonly noProvider: HTMLElement;
  private readonly title = el('h2', {}, 'No requests yet');
  /** The requests recorded before any answer (refusals are records too), said rather than charted. */
  private readonly unanswered = el('p', { id: 'unanswered', hidden: true });

  constructor(setKey: () => void) {
    const setKeyLink = el('a', { href: '#', id: 'set-key' }, 'Set API Key…');
    setKeyLink.addEventListener('click', (event) => {
      event.preventDefault();
      setKey();
    });
    this.noProvider = el('p', { id: 'no-provider', hidden: true }, 'No provider yet? ', setKeyLink, ', set up AWS credentials for Bedrock, or a local server (Switchboard: Use a Local Server…).');
    this.element = el(
      'section',
      { id: 'empty', hidden: true },
      this.title,
      this.unanswered,
      el('p', {}, 'Every request Switchboard makes, from this window, other windows and the switchboard CLI, is recorded with what it cost. Once there are some, this page shows where the money goes.'),
      // Opened before the first request, with a key or without: the first step either way.
      el('p', {}, 'Ask in the chat panel, or pause while typing code for ghost text.'),
      this.noProvider,
    );
  }

  draw(message: ViewMessage): void {
    this.element.hidden = !message.empty;
    this.noProvider.hidden = message.noProvider !== true;
    const unanswered = message.empty ? (message.unanswered ?? 0) : 0;
    this.title.textContent = unanswered > 0 ? 'No answers yet' : 'No requests yet';
    this.unanswered.hidden = unanswered === 0;
    this.unanswered.textContent =
      unanswered === 1
        ? '1 request so far, not answered: refused before any model was asked (no provider yet) or failed. Switchboard: Show Log says why.'
        : `${unanswered.toLocaleString('en-US')} requests so far, none answered: refused before any model was asked (no provider yet) or failed. Switchboard: Show Log says why.`;
  }
}
