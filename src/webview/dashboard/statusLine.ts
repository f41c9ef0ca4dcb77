/**
 * The page's foot line. It says the ledger's path; a problem, until a view shows the ledger read again (one whose
 * read stopped at a file keeps it: the note above the figures points to it); or what an export wrote, until the
 * user does something else on the page (a live update's redraw put the ledger's line over it within a second).
 */
import { el } from '../dom';
import type { ViewMessage } from './viewMessage';

type StatusKind = 'ledger' | 'problem' | 'exported';

export class StatusLine {
  readonly element = el('p', { id: 'status', role: 'status' });
  private kind: StatusKind = 'ledger';

  problem(text: string): void {
    this.show('problem', text);
  }

  exported(text: string): void {
    this.show('exported', text);
  }

  /**
   * A view arrived: the ledger was read again, so a problem is over, even if the view draws nothing new. A read that
   * stopped at a file it could not read is not over: its views (the live file is still followed) keep the problem
   * that names the file.
   */
  viewArrived(message: ViewMessage): void {
    if (this.kind === 'problem' && !message.reading?.stopped) this.show('ledger', ledgerLine(message.ledgerPath));
  }

  /**
   * A view was drawn. A problem said after it arrived (the host sends the files it could read, then why it stopped)
   * stays until the next view, and an export's result until the user acts: drawing the view a frame later must not
   * put the ledger's line over either.
   */
  viewDrawn(ledgerPath: string): void {
    if (this.kind === 'ledger') this.element.textContent = ledgerLine(ledgerPath);
  }

  /** The user did something else: an export's result gives way to the ledger's line (a problem stays). */
  userActed(latest: ViewMessage | undefined): void {
    if (this.kind === 'exported') this.show('ledger', latest ? ledgerLine(latest.ledgerPath) : '');
  }

  private show(kind: StatusKind, text: string): void {
    this.kind = kind;
    this.element.textContent = text;
    this.element.classList.toggle('problem', kind === 'problem');
  }
}

function ledgerLine(ledgerPath: string): string {
  return `Ledger: ${ledgerPath} (shared with other windows and the switchboard CLI)`;
}
