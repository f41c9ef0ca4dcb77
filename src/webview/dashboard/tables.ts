/** The text tables beside each chart (its accessible alternative) and the costliest-requests table. */
import { el } from '../dom';

/** A figure or text; an element when the cell carries more than text (a mark with a tooltip). */
export type Cell = string | number | HTMLElement;

/** A table with a caption, a header row and right-aligned numbers. */
export function dataTable(caption: string, header: string[], rows: Cell[][], className = 'data-table'): HTMLTableElement {
  const table = el('table', { class: className });
  table.append(el('caption', {}, caption));
  const head = el('thead');
  head.append(el('tr', {}, ...header.map((label) => el('th', { scope: 'col' }, label))));
  const body = el('tbody');
  for (const row of rows) {
    body.append(
      el('tr', {}, ...row.map((cell, index) => (index === 0 ? el('th', { scope: 'row' }, text(cell)) : el('td', { class: typeof cell === 'number' ? 'number' : undefined }, text(cell))))),
    );
  }
  table.append(head, body);
  return table;
}

function text(cell: Cell): string | HTMLElement {
  return typeof cell === 'object' ? cell : String(cell);
}
