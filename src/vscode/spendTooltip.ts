import { formatUsd, LOCAL_COST_TEXT } from '../core/cost';
import { redactUrl } from '../core/redactUrl';
import { TABLE_RATE_MARK } from '../core/prices/localServerRate';
import type { SpendLine } from '../core/spendTracker';
import { plural } from '../core/words';
import { escapeMarkdown, table } from './hoverMarkdown';
import type { StatusInput } from './statusModel';

/** Today's spend by task and by model, with request counts. */
export function spendTooltip(input: Pick<StatusInput, 'today' | 'simulated' | 'snoozed' | 'openaiServer' | 'containerSettingsHeld'>): string {
  const { today } = input;
  const lines: string[] = [];
  if (input.simulated) {
    lines.push(
      '_Simulated providers: `npm start` found no keys, so it pointed the provider settings (`switchboard.providers.*`) at local fake servers. Answers are showcase text, not real models, and cost nothing real._',
      '',
    );
  }
  lines.push(`**Today** (${today.day}): ${lineCost(today.total)} over ${plural(today.total.requests, 'request')}${today.total.unpriced ? `, ${today.total.unpriced} unpriced` : ''}`);
  const tasks = (['completion', 'chat', 'plan'] as const).filter((task) => today.byTask[task]);
  if (tasks.length > 0) {
    lines.push('', ...table(['task', 'requests', 'cost'], tasks.map((task) => {
      const line = today.byTask[task]!;
      return [task, String(line.requests), `${lineCost(line)}${line.unpriced ? ' +unpriced' : ''}`];
    })));
  }
  const models = Object.entries(today.byModel).sort((a, b) => b[1].costUsd - a[1].costUsd);
  if (models.length > 0) {
    lines.push('', ...table(['model', 'requests', 'cost'], models.map(([model, line]) => [
      escapeMarkdown(model),
      String(line.requests),
      line.unpriced === line.requests ? 'unpriced' : `${lineCost(line)}${line.tableRate ? ` (${TABLE_RATE_MARK})` : ''}`,
    ])));
  }
  // Counted, never priced: no model was asked. Includes this window's counts not yet written (Switchboard.today).
  if (today.servedWithoutRequest > 0) lines.push('', `Ghost text served without a request today: ${today.servedWithoutRequest}`);
  if (input.snoozed) lines.push('', '_Inline completions are snoozed._');
  if (input.openaiServer) lines.push('', openaiServerLine(input.openaiServer));
  if (input.containerSettingsHeld) lines.push('', `_Settings held back:_ ${escapeMarkdown(input.containerSettingsHeld)}.`);
  return lines.join('\n');
}

/**
 * A line's cost: "local, $0" when its priced requests were all served on this machine and nobody priced them, as
 * the readout says of such a request (a bare $0.00 reads as a price someone set).
 */
function lineCost(line: SpendLine): string {
  const priced = line.requests - line.unpriced;
  return line.costUsd === 0 && priced > 0 && line.local === priced ? LOCAL_COST_TEXT : formatUsd(line.costUsd);
}

/**
 * Where openai requests go when not to api.openai.com. The environment variable is invisible in the Settings
 * editor, so it is named, with the setting that overrides it: otherwise a server nobody sees set gets the requests.
 */
function openaiServerLine(server: NonNullable<StatusInput['openaiServer']>): string {
  const from =
    server.from === 'OPENAI_BASE_URL'
      ? 'from your `OPENAI_BASE_URL` environment variable (`switchboard.providers.openai.baseUrl` in User settings, when set, comes first)'
      : 'from `switchboard.providers.openai.baseUrl`';
  return `OpenAI requests go to ${escapeMarkdown(redactUrl(server.url))}, ${from}.`;
}
