/**
 * The cost dashboard page: range and filters, summary figures, four charts
 * each with its text table, and the costliest requests. Everything shown
 * arrives as a validated `view` message; the page only asks (query, export).
 * Views may arrive many times a second while requests stream in: the newest
 * one is drawn, in parts over a few animation frames (frameDrawer.ts).
 */
import { formatUsd } from '../../core/cost';
import { parseDashboardHostMessage, type DashboardQuery } from '../../shared/dashboardProtocol';
import { el } from '../dom';
import { formatTokens } from '../format';
import { ChartPanels } from './chartPanels';
import { EmptyState } from './emptyState';
import { drawPart, FrameDrawer } from './frameDrawer';
import { suggestions } from './ghostTextWords';
import { StatusLine } from './statusLine';
import { SummaryFigures } from './summaryFigures';
import { Toolbar } from './toolbar';
import { TopRequests } from './topRequests';
import type { ViewMessage } from './viewMessage';
import type { DashboardChannel } from './vscodeApi';

export class DashboardView {
  private query: DashboardQuery;
  private readonly toolbar: Toolbar;
  private readonly empty: EmptyState;
  // The button's post runs on a click, when the host is long set.
  private readonly figures = new SummaryFigures(
    () => {
      this.userActed();
      this.host.post({ type: 'setPrice' });
    },
    (model) => this.free(model),
  );
  private readonly content: HTMLElement;
  private readonly top = new TopRequests((model) => this.free(model));
  private readonly status = new StatusLine();
  private readonly drawer: FrameDrawer<ViewMessage>;

  constructor(
    private readonly root: HTMLElement,
    private readonly host: DashboardChannel,
  ) {
    this.query = host.savedQuery();
    this.toolbar = new Toolbar({
      change: (change) => this.ask({ ...this.query, ...change }),
      export: () => {
        this.userActed();
        this.host.post({ type: 'export', query: this.query });
      },
    });
    this.empty = new EmptyState(() => {
      this.userActed();
      this.host.post({ type: 'setKey' });
    });
    const chartHolder = el('div', { class: 'charts' });
    this.content = el('div', { id: 'content' }, ...this.figures.elements, chartHolder);
    root.append(this.toolbar.element, this.empty.element, this.content, this.top.element, this.status.element);
    const charts = new ChartPanels(chartHolder, this.figures.savingsNote);

    this.drawer = new FrameDrawer(root, drawPart((message) => this.drawFigures(message)), [
      ...charts.parts(),
      drawPart(
        ({ top, ledgerPath }) => {
          this.top.draw(top);
          this.status.viewDrawn(ledgerPath);
        },
        ({ top, ledgerPath }) => JSON.stringify([top, ledgerPath]),
      ),
    ]);

    window.addEventListener('message', (event: MessageEvent) => this.receive(event.data));
    new MutationObserver(() => charts.retheme()).observe(document.body, { attributes: true, attributeFilter: ['class'] });
    this.toolbar.showRange(this.query.range);
    host.post({ type: 'ready', query: this.query });
  }

  private ask(query: DashboardQuery): void {
    this.userActed();
    this.query = query;
    this.host.saveQuery(query);
    this.toolbar.showRange(query.range);
    this.host.post({ type: 'query', query });
  }

  private receive(raw: unknown): void {
    const message = parseDashboardHostMessage(raw);
    if (!message) {
      console.warn('Switchboard costs: dropped a malformed message from the host');
      return;
    }
    if (message.type === 'problem') {
      this.status.problem(message.message);
      return;
    }
    if (message.type === 'exported') {
      const served = message.served ? `, and ${formatTokens(message.served)} ${suggestions(message.served)} served without a request,` : '';
      this.status.exported(`Exported ${formatTokens(message.requests)} requests (${formatUsd(message.totalUsd)})${served} to ${message.file}.`);
      return;
    }
    this.status.viewArrived(message);
    this.drawer.show(message);
  }

  private drawFigures(message: ViewMessage): void {
    this.empty.draw(message);
    this.content.hidden = message.empty;
    // With nothing recorded, "no priced request in this range" under the empty state only repeats it.
    this.top.element.hidden = message.empty;
    this.root.dataset.range = message.query.range;
    this.toolbar.showFilters(message);
    this.figures.draw(message);
  }

  /** It's Free (Local Server) for `model` (`provider:model`): the host checks the page named a model it was sent. */
  private free(model: string): void {
    this.userActed();
    this.host.post({ type: 'freeOnLocalServer', model });
  }

  private userActed(): void {
    this.status.userActed(this.drawer.newest);
  }
}
