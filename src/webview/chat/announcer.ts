import { el } from '../dom';

/**
 * What a button did, for screen readers: a button's own label stays what it does ("Copy code"), so
 * its brief "Copied" is not heard; this polite region says it once.
 */
export class Announcer {
  readonly element = el('div', { id: 'announcer', class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });

  say(text: string): void {
    // Emptied first, so the same words said twice are heard twice.
    this.element.textContent = '';
    requestAnimationFrame(() => {
      this.element.textContent = text;
    });
  }
}
