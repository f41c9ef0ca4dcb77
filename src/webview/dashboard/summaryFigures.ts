/**
 * The figures above the charts (spent, requests, saved by routing, ghost text served, tokens, unpriced), the notes
 * that explain them, the budgets, and the note under the savings chart, whose words come from the same figures.
 */
import { formatUsd } from '../../core/cost';
import { handedOverNote } from '../../core/costs/handedOverNote';
import { savingFigures, type SavingFigures } from '../../core/costs/savingFigures';
import { SAVING_SCOPE, savingState } from '../../core/costs/savingScope';
import { unpricedNote } from '../../core/costs/unpricedNote';
import { plural } from '../../core/words';
import { FREE_ON_LOCAL_SERVER_ACTION, FREE_ON_LOCAL_SERVER_SETTING, tableRateNote } from '../../core/prices/localServerRate';
import { el } from '../dom';
import { formatTokens } from '../format';
import { servedNote } from './ghostTextWords';
import type { ViewMessage } from './viewMessage';

export class SummaryFigures {
  /** While the host is still reading the ledger's older files: the figures are those read so far. */
  private readonly readingNote = el('p', { class: 'note', id: 'reading', hidden: true });
  private readonly figures: Record<'cost' | 'requests' | 'unpriced' | 'saved' | 'served' | 'tokens', HTMLElement>;
  /** Under the request count, when any failed, were refused or cancelled: how many were answered. */
  private readonly requestsDetail = el('span', { class: 'figure-detail', id: 'requests-detail', hidden: true });
  /** Under the spend, when some of it bought no answer (failed attempts a provider billed, streams cut mid-answer): how much. */
  private readonly costDetail = el('span', { class: 'figure-detail', id: 'cost-detail', hidden: true });
  /** Which requests the spend leaves out, and why: without it "Unpriced requests: 3" reads as a puzzle. */
  private readonly unpricedNote = el('p', { class: 'note', id: 'unpriced-note', hidden: true });
  /**
   * Models charged at their vendor's rate though served on this machine, each with It's Free (Local Server): the
   * costliest requests rarely list them (a small model's requests cost little), so they are named here too.
   */
  private readonly tableRateNote = el('div', { class: 'note', id: 'table-rate-note', hidden: true });
  /** Budgets are today's and this month's whatever the range shown: what the next requests may still spend. */
  private readonly budgets = el('section', { id: 'budgets', 'aria-label': 'Budgets' });
  /** Under the budgets: the requests they count at the estimate, their model having no price, and a button to price it. */
  private readonly estimateText = el('span', {});
  private readonly estimateNote: HTMLElement;
  /** Shown under the savings chart. */
  readonly savingsNote = el('p', { class: 'note', id: 'savings-note' });
  /** In the page's order: the reading note, the figures, the unpriced note, the budgets. */
  readonly elements: HTMLElement[];

  constructor(
    setPrice: () => void,
    private readonly free: (model: string) => void = () => undefined,
  ) {
    const setPriceButton = el('button', { type: 'button', id: 'set-price' }, 'Set a Price…');
    setPriceButton.addEventListener('click', () => setPrice());
    this.estimateNote = el('p', { class: 'note', id: 'budget-estimate', hidden: true }, this.estimateText, ' ', setPriceButton);
    const figure = (id: string, label: string) => {
      const value = el('span', { class: 'figure-value', id });
      return { box: el('div', { class: 'figure' }, el('span', { class: 'figure-label' }, label), value), value };
    };
    const cost = figure('total-cost', 'Spent');
    cost.box.append(this.costDetail);
    const requests = figure('total-requests', 'Requests');
    requests.box.append(this.requestsDetail);
    const unpriced = figure('total-unpriced', 'Unpriced requests');
    const saved = figure('saved', 'Saved by routing');
    // Next to what routing saved: the other thing Switchboard spares the user, requests never made. A count, not
    // dollars: how many of them would have become a request (rather than been debounced away) is not known.
    const served = figure('total-served', 'Ghost text served without a request');
    served.box.title = 'Inline suggestions shown from the cache, while typing through one already shown, or from a request already under way: no model was asked, nothing was spent.';
    const tokens = figure('tokens', 'Tokens in / out');
    this.figures = { cost: cost.value, requests: requests.value, unpriced: unpriced.value, saved: saved.value, served: served.value, tokens: tokens.value };
    const summary = el('section', { id: 'summary', 'aria-label': 'Summary', 'aria-live': 'polite' }, cost.box, requests.box, saved.box, served.box, tokens.box, unpriced.box);
    this.budgets.hidden = true;
    this.elements = [this.readingNote, summary, this.unpricedNote, this.tableRateNote, this.budgets, this.estimateNote];
  }

  private showTableRate(byModel: ViewMessage['view']['byModel']): void {
    const models = byModel.filter((line) => line.tableRate);
    this.tableRateNote.hidden = models.length === 0;
    this.tableRateNote.replaceChildren(
      ...(models.length ? [el('p', {}, "Charged at a vendor's rate though served on this machine:")] : []),
      ...models.map((line) => {
        const button = el('button', { type: 'button', class: 'free-local', title: `Adds "${line.model}" to ${FREE_ON_LOCAL_SERVER_SETTING} in your User settings` }, FREE_ON_LOCAL_SERVER_ACTION);
        button.addEventListener('click', () => this.free(line.model));
        return el('p', {}, `${line.model} (${plural(line.tableRate!, 'request')}): ${tableRateNote(line.model, FREE_ON_LOCAL_SERVER_SETTING, FREE_ON_LOCAL_SERVER_ACTION)}.`, ' ', button);
      }),
    );
  }

  draw(message: ViewMessage): void {
    const { totals, savings } = message.view;
    this.showReading(message.reading);
    this.showSpendAndRequests(totals);
    // Rounded as the note's two costs are, so the three add up.
    const shown = savingFigures(savings.actualUsd, savings.strongUsd);
    // Cheap-tier answers none of which could be compared (no price) are no saving of $0.00: it is not known.
    // No cheap-tier answer at all (Auto off) is: routing chose nothing cheaper.
    const state = savingState(savings, totals.requests);
    this.figures.saved.textContent = state === 'unknown' ? 'unknown' : `${shown.sign < 0 ? '−' : ''}${shown.saved}`;
    this.figures.served.textContent = formatTokens(totals.served);
    this.figures.tokens.textContent = `${formatTokens(totals.inputTokens)} / ${formatTokens(totals.outputTokens)}`;
    const unpriced = totals.unpriced > 0 ? unpricedNote(message.unpriced ?? []) : undefined;
    this.unpricedNote.hidden = unpriced === undefined;
    this.unpricedNote.textContent = unpriced ? `${unpriced}.` : '';
    this.showTableRate(message.view.byModel);
    const budgets = message.budgets ?? [];
    this.budgets.hidden = budgets.length === 0;
    this.budgets.replaceChildren(...budgets.flatMap((budget) => [el('p', { class: `budget budget-${budget.level}` }, budget.text), ...(budget.alert ? [el('p', { class: 'budget-alert' }, budget.alert)] : [])]));
    this.estimateNote.hidden = !message.budgetEstimate;
    this.estimateText.textContent = message.budgetEstimate ? `${message.budgetEstimate}.` : '';
    this.savingsNote.textContent = savingsNoteText(message, shown, state);
  }

  private showReading(reading: ViewMessage['reading']): void {
    this.readingNote.hidden = reading === undefined;
    if (!reading) this.readingNote.textContent = '';
    // The figures stay (they are what could be read), but no more files are coming.
    else if (reading.stopped) this.readingNote.textContent = `Stopped reading the ledger: ${reading.read} of ${reading.files} files read, newest first, then one could not be read (said at the foot of the page). The figures leave out the files not read.`;
    else this.readingNote.textContent = `Still reading the ledger: ${reading.read} of ${reading.files} files read, newest first. Older days fill in as the rest are read; until then the figures are short of them.`;
  }

  private showSpendAndRequests(totals: ViewMessage['view']['totals']): void {
    this.figures.cost.textContent = formatUsd(totals.costUsd);
    // Billed for no answer is still spent: said, so a spend above what the answers cost is explained.
    this.costDetail.hidden = !(totals.failedUsd > 0);
    this.costDetail.textContent = totals.failedUsd > 0 ? `of which ${formatUsd(totals.failedUsd)} billed for failed attempts and cut streams` : '';
    this.costDetail.title = 'A model tried first that failed after its provider had billed it (then another answered), or an answer whose stream was cut: billed, nothing usable came back.';
    this.figures.requests.textContent = formatTokens(totals.requests);
    // Refusals (a budget, no provider) and failures are records too: said, so the count is not read as answers.
    const notAnswered = [
      ...(totals.failed > 0 ? [`${formatTokens(totals.failed)} failed or refused`] : []),
      ...(totals.cancelled > 0 ? [`${formatTokens(totals.cancelled)} cancelled`] : []),
    ];
    this.requestsDetail.hidden = notAnswered.length === 0;
    this.requestsDetail.textContent = notAnswered.length ? `${formatTokens(totals.requests - totals.failed - totals.cancelled)} answered, ${notAnswered.join(', ')}` : '';
    this.figures.unpriced.textContent = formatTokens(totals.unpriced);
  }
}

/** What the savings chart compares, against which strong tiers, and what it leaves out. */
function savingsNoteText(message: ViewMessage, shown: SavingFigures, state: ReturnType<typeof savingState>): string {
  const { totals, savings } = message.view;
  const strong = Object.entries(message.strongModels).map(([task, model]) => `${task}: ${model}`).join('; ');
  return (
    (state === 'unknown'
      ? `Routing's saving unknown: no answer routing sent to the cheap tier has both a price and a priced strong tier to compare with (${strong || 'none priced'}).`
      : state === 'none'
        ? `Routing chose no cheaper model than each route's strong tier (${strong || 'none priced'}) for these requests.`
        : `These requests cost ${shown.actual}, and would have cost ${shown.strong} on each route's strong tier (${strong || 'none priced'}).`) +
    ` ${SAVING_SCOPE}.` +
    // Only routing's own choices are compared, so only a retry on the strong tier can make it cost more.
    (shown.sign < 0 ? ' Routing cost more: cheap-tier answers retried on the strong tier, or a cheap tier dearer than its strong tier.' : '') +
    (savings.handedOverRequests > 0 ? ` ${handedOverNote(savings)}` : '') +
    servedNote(totals.served)
  );
}
