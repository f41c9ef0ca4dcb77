/**
 * The notice shown while no provider is usable, with the words and buttons for the cause: no provider at all, a
 * setting a key would not fix, or a key kept back from a host.
 */
import { noProviderPanelText, providerWayLabel, providerWays, type ProviderWay } from '../../shared/providerSetup';
import { button, el } from '../dom';

export interface ProviderState {
  hasCredentials: boolean;
  /** Why the providers are out when a setting a key would not fix is the cause (Open Settings is offered then). */
  invalidSettings?: string[];
  /** Hosts a provider's key was kept back from, with why: allowing the host is the way offered then. */
  withheldKeys?: { host: string; reason: string }[];
}

export class ProviderNotice {
  private readonly text = el('p', {});
  private readonly ways = el('div', { class: 'provider-ways' });
  readonly element = el('section', { id: 'no-key', class: 'notice', 'aria-label': 'No provider' }, this.text, this.ways);
  private state: Required<ProviderState> = { hasCredentials: true, invalidSettings: [], withheldKeys: [] };

  constructor(setUp: (way: ProviderWay) => void) {
    this.element.hidden = true;
    this.ways.addEventListener('click', (event) => {
      const way = event.target instanceof Element ? event.target.closest<HTMLButtonElement>('button[data-way]')?.dataset.way : undefined;
      const known = providerWays(this.state.invalidSettings, this.withheldHosts()).find((candidate) => candidate === way);
      if (known) setUp(known);
    });
  }

  /** Until the host says otherwise, a provider is taken to be usable: the page asks nothing of one by itself. */
  get providerUsable(): boolean {
    return this.state.hasCredentials;
  }

  show({ hasCredentials, invalidSettings = [], withheldKeys = [] }: ProviderState): void {
    this.state = { hasCredentials, invalidSettings, withheldKeys };
    const hosts = this.withheldHosts();
    this.text.textContent = noProviderPanelText(invalidSettings, withheldKeys.map(({ reason }) => reason));
    this.ways.replaceChildren(
      ...providerWays(invalidSettings, hosts).map((way, index) => button(providerWayLabel(way, hosts), { 'data-way': way, class: index === 0 ? 'primary' : undefined })),
    );
    this.element.hidden = hasCredentials;
  }

  private withheldHosts(): string[] {
    return this.state.withheldKeys.map(({ host }) => host);
  }
}
