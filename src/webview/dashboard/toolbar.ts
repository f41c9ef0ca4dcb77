/** The page's header: the range, one filter each for provider, model and task, and Export CSV…. */
import { RANGE_DESCRIPTIONS, RANGE_IDS, RANGE_LABELS, type RangeId } from '../../core/costs/dayRange';
import type { Task } from '../../core/types';
import type { DashboardQuery } from '../../shared/dashboardProtocol';
import { button, el } from '../dom';
import type { ViewMessage } from './viewMessage';

type FilterKey = 'providers' | 'models' | 'tasks';

export interface ToolbarEvents {
  /** The user chose another range or filter value: the rest of the query stays. */
  change(change: Partial<DashboardQuery>): void;
  export(): void;
}

export class Toolbar {
  readonly element = el('header', { class: 'toolbar' });
  private readonly rangeButtons = new Map<RangeId, HTMLButtonElement>();
  private readonly selects: Record<FilterKey, HTMLSelectElement>;

  constructor(private readonly events: ToolbarEvents) {
    const ranges = el('div', { class: 'ranges', role: 'radiogroup', 'aria-label': 'Range' });
    for (const id of RANGE_IDS) {
      const choice = button(RANGE_LABELS[id], { role: 'radio', 'data-range': id, 'aria-checked': 'false', title: RANGE_DESCRIPTIONS[id] });
      choice.addEventListener('click', () => this.events.change({ range: id }));
      this.rangeButtons.set(id, choice);
      ranges.append(choice);
    }
    this.selects = {
      providers: this.filter('Provider', 'All providers', 'filter-provider', 'providers'),
      models: this.filter('Model', 'All models', 'filter-model', 'models'),
      tasks: this.filter('Task', 'All tasks', 'filter-task', 'tasks'),
    };
    const exportButton = button('Export CSV…', { id: 'export', title: 'Save the requests of this range and these filters as CSV, one row per request' });
    exportButton.addEventListener('click', () => this.events.export());
    this.element.append(el('h1', {}, 'Costs'), ranges, ...Object.values(this.selects).map((select) => select.parentElement!), exportButton);
  }

  showRange(range: RangeId): void {
    for (const [id, choice] of this.rangeButtons) choice.setAttribute('aria-checked', String(id === range));
  }

  /** Each filter offers what the view's range holds. */
  showFilters({ view, query }: ViewMessage): void {
    fillFilter(this.selects.providers, view.available.providers, query.providers);
    fillFilter(this.selects.models, view.available.models, query.models);
    fillFilter(this.selects.tasks, view.available.tasks, query.tasks);
  }

  private filter(label: string, all: string, id: string, key: FilterKey): HTMLSelectElement {
    const select = el('select', { id });
    select.append(el('option', { value: '' }, all));
    select.addEventListener('change', () => {
      const value = select.value;
      this.events.change({ [key]: value ? [value] : [] });
    });
    el('label', { class: 'filter' }, el('span', {}, label), select);
    return select;
  }
}

/** Options from what the range holds; the chosen one is kept even when the range has none of it. */
function fillFilter(select: HTMLSelectElement, values: readonly (string | Task)[], chosen: readonly string[]): void {
  const current = chosen[0] ?? '';
  const wanted = [...new Set([...values, ...(current ? [current] : [])])];
  const existing = [...select.options].slice(1).map((option) => option.value);
  if (existing.join('\n') !== wanted.join('\n')) {
    select.replaceChildren(select.options[0]!, ...wanted.map((value) => el('option', { value }, value)));
  }
  select.value = current;
}
