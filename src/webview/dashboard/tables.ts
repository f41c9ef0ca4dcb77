/** The text tables beside each chart (its accessible alternative) and the costliest-requests table. */
import { el } from '../chat/dom';

export type Cell = string | number;

/** A table with a caption, a header row and right-aligned numbers. */
export function dataTable(caption: string, header: string[], rows: Cell[][], className = 'data-table'): HTMLTableElement {
  const table = el('table', { class: className });
  table.append(el('caption', {}, caption));
  const head = el('thead');
  head.append(el('tr', {}, ...header.map((label) => el('th', { scope: 'col' }, label))));
  const body = el('tbody');
  for (const row of rows) {
    body.append(
      el('tr', {}, ...row.map((cell, index) => (index === 0 ? el('th', { scope: 'row' }, String(cell)) : el('td', { class: typeof cell === 'number' ? 'number' : undefined }, String(cell))))),
    );
  }
  table.append(head, body);
  return table;
}
