/** The costliest requests of the range, as a table with why each model was chosen. */
import { formatRecordCost, formatUsd } from '../../core/cost';
import { el } from '../dom';
import { formatLatency, formatTokens } from '../format';
import { dataTable, type Cell } from './tables';
import type { ViewMessage } from './viewMessage';

type TopRow = ViewMessage['top'][number];

export class TopRequests {
  private readonly holder = el('div', { class: 'table-holder', id: 'top-requests' });
  readonly element = el('section', { id: 'top' }, el('h2', {}, 'Most expensive requests'), this.holder);

  draw(top: readonly TopRow[]): void {
    this.holder.replaceChildren(
      top.length === 0
        ? el('p', { class: 'note' }, 'No priced request in this range.')
        : dataTable(
            'The costliest requests of the range',
            ['Time', 'Task', 'Model', 'Tokens in', 'Tokens out', 'Cost', 'Latency', 'Why this model'],
            top.map((row) => [new Date(row.time).toLocaleString(), row.task, `${row.provider}:${row.model}`, formatTokens(row.inputTokens), formatTokens(row.outputTokens), costCell(row), formatLatency(row.latencyMs), row.reason]),
            'data-table top-table',
          ),
    );
  }
}

/** The cost, marked when it was priced at a bound (the note, what was reported, as its tooltip). */
function costCell(row: TopRow): Cell {
  if (row.local) return formatRecordCost({ costUsd: row.costUsd, costSource: 'local' });
  if (!row.pricedAtBound) return formatUsd(row.costUsd);
  return el('span', {}, formatUsd(row.costUsd), el('span', { class: 'bound-mark', title: row.pricedAtBound }, 'priced at a bound'));
}
