/** The costliest requests of the range, as a table with why each model was chosen. */
import { formatRecordCost, formatUsd } from '../../core/cost';
import { FREE_ON_LOCAL_SERVER_ACTION, FREE_ON_LOCAL_SERVER_SETTING, TABLE_RATE_MARK, tableRateNote } from '../../core/prices/localServerRate';
import { el } from '../dom';
import { formatLatency, formatTokens } from '../format';
import { dataTable, type Cell } from './tables';
import type { ViewMessage } from './viewMessage';

type TopRow = ViewMessage['top'][number];

export class TopRequests {
  /** `free`: the "It's Free (Local Server)" button of a row charged at its vendor's rate on a server on this machine. */
  constructor(private readonly free: (model: string) => void) {}

  private readonly holder = el('div', { class: 'table-holder', id: 'top-requests' });
  readonly element = el('section', { id: 'top' }, el('h2', {}, 'Most expensive requests'), this.holder);

  draw(top: readonly TopRow[]): void {
    this.holder.replaceChildren(
      top.length === 0
        ? el('p', { class: 'note' }, 'No priced request in this range.')
        : dataTable(
            'The costliest requests of the range',
            ['Time', 'Task', 'Model', 'Tokens in', 'Tokens out', 'Cost', 'Latency', 'Why this model'],
            top.map((row) => [new Date(row.time).toLocaleString(), row.task, `${row.provider}:${row.model}`, formatTokens(row.inputTokens), formatTokens(row.outputTokens), this.costCell(row), formatLatency(row.latencyMs), row.reason]),
            'data-table top-table',
          ),
    );
  }

  /**
   * The cost, marked when it was priced at a bound (the note, what was reported, as its tooltip), or at its vendor's
   * rate on a server on this machine (why, as its tooltip, and the button that makes the model free there).
   */
  private costCell(row: TopRow): Cell {
    if (row.local) return formatRecordCost({ costUsd: row.costUsd, costSource: 'local' });
    const marks: HTMLElement[] = [];
    if (row.pricedAtBound) marks.push(el('span', { class: 'bound-mark', title: row.pricedAtBound }, 'priced at a bound'));
    if (row.tableRateOnLocalServer) {
      const ref = `${row.provider}:${row.model}`;
      const button = el('button', { type: 'button', class: 'free-local', title: `Adds "${ref}" to ${FREE_ON_LOCAL_SERVER_SETTING} in your User settings` }, FREE_ON_LOCAL_SERVER_ACTION);
      button.addEventListener('click', () => this.free(ref));
      marks.push(el('span', { class: 'bound-mark table-rate-mark', title: tableRateNote(ref, FREE_ON_LOCAL_SERVER_SETTING, FREE_ON_LOCAL_SERVER_ACTION) }, TABLE_RATE_MARK), button);
    }
    return marks.length ? el('span', {}, formatUsd(row.costUsd), ...marks) : formatUsd(row.costUsd);
  }
}
