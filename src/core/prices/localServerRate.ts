/*
 * What is said where a request's cost is the price table's vendor rate although its server was on this machine
 * (LedgerRecord.tableRateOnLocalServer): LM Studio or vLLM serving `gpt-5.4-nano` from a file is charged OpenAI's
 * rate by default (a LiteLLM proxy on localhost forwarding to OpenAI really is billed, and a record cannot tell the
 * two apart), so the user is told, with the one step that makes it free: switchboard.freeOnLocalServer.
 */

import { parseModelRef } from '../modelRef';

/** The setting (a --config file's key without `switchboard.`) that makes such a model free. */
export const FREE_ON_LOCAL_SERVER_SETTING = 'switchboard.freeOnLocalServer';

/** The button or action that adds a model to it. */
export const FREE_ON_LOCAL_SERVER_ACTION = "It's Free (Local Server)";

/** A short mark beside the cost ("$0.0040 · vendor's rate, local server"). */
export const TABLE_RATE_MARK = "vendor's rate, local server";

const VENDORS: Readonly<Record<string, string>> = { openai: 'OpenAI', anthropic: 'Anthropic', bedrock: 'AWS Bedrock' };

/** "OpenAI's" for `openai:…`: the vendor whose published rate the table holds for the model's name. */
function vendorOf(ref: string): string {
  const provider = parseModelRef(ref)?.provider ?? ref;
  return `${VENDORS[provider] ?? provider}'s`;
}

/**
 * Why the cost is what it is and how to change it, for `provider:model` (`ref`): "priced at OpenAI's rate from the
 * price table, though its server was on this machine (a proxy forwarding to OpenAI is billed that; a model file
 * LM Studio or vLLM serves under that name is not). If nothing bills you for it: …". `setting` names where the
 * entry goes (the CLI names its --config file's key); `action` the one-step fix where there is one.
 */
export function tableRateNote(ref: string, setting = FREE_ON_LOCAL_SERVER_SETTING, action?: string): string {
  const vendor = vendorOf(ref);
  const fix = action ? `${action}, or add "${ref}" to ${setting}` : `add "${ref}" to ${setting}`;
  return `priced at ${vendor} rate from the price table, though its server was on this machine (a proxy forwarding to ${vendor.slice(0, -2)} is billed that; a model file a local server such as LM Studio or vLLM serves under that name is not). If nothing bills you for it: ${fix}, and its requests from then on are local, $0 (those recorded keep their cost)`;
}

/** A model whose requests in a report were charged at its vendor's rate on a server on this machine. */
export interface TableRateModel {
  /** `provider:model` */
  model: string;
  requests: number;
}

/** Such models from the ledger's cells (LedgerCell.tableRate), the most requests first. */
export function tableRateModels(cells: Iterable<{ provider: string; model: string; tableRate?: number }>): TableRateModel[] {
  const counts = new Map<string, number>();
  for (const cell of cells) if (cell.tableRate) counts.set(`${cell.provider}:${cell.model}`, (counts.get(`${cell.provider}:${cell.model}`) ?? 0) + cell.tableRate);
  return [...counts].map(([model, requests]) => ({ model, requests })).sort((a, b) => b.requests - a.requests || a.model.localeCompare(b.model));
}

/**
 * One line for `switchboard costs` (and the dashboard): "Charged at a vendor's rate though served on this machine:
 * openai:gpt-5.4-nano (12 requests): priced at OpenAI's rate …". `setting` names where the entry goes.
 */
export function tableRateModelsNote(models: readonly TableRateModel[], setting = FREE_ON_LOCAL_SERVER_SETTING, action?: string): string | undefined {
  if (models.length === 0) return undefined;
  return `Charged at a vendor's rate though served on this machine: ${models.map((m) => `${m.model} (${m.requests} request${m.requests === 1 ? '' : 's'}): ${tableRateNote(m.model, setting, action)}`).join('; ')}`;
}

/** The mark `switchboard costs` puts after the cost of each model line its footnote (tableRateFootnote) concerns. */
export const TABLE_RATE_FOOTNOTE_MARK = '*';

/**
 * The one footnote under `switchboard costs`'s model table for every line charged at a vendor's rate on a server on
 * this machine (each marked TABLE_RATE_FOOTNOTE_MARK): the why and the fix said once, not once per model, with each
 * model's request count and the entries that make them free. `setting` names where the entries go.
 */
export function tableRateFootnote(models: readonly TableRateModel[], setting = FREE_ON_LOCAL_SERVER_SETTING): string | undefined {
  if (models.length === 0) return undefined;
  if (models.length === 1) return `${TABLE_RATE_FOOTNOTE_MARK} ${tableRateModelsNote(models, setting)}`;
  const vendors = [...new Set(models.map((m) => vendorOf(m.model).slice(0, -2)))];
  const vendorText = vendors.length === 1 ? `${vendors[0]}'s` : "each vendor's";
  const listed = models.map((m) => `${m.model} (${m.requests} request${m.requests === 1 ? '' : 's'})`).join(', ');
  const entries = models.map((m) => `"${m.model}"`).join(', ');
  return `${TABLE_RATE_FOOTNOTE_MARK} Charged at a vendor's rate though served on this machine: ${listed}. Each was priced at ${vendorText} rate from the price table, though its server was on this machine (a proxy forwarding to the vendor is billed that; a model file a local server such as LM Studio or vLLM serves under that name is not). If nothing bills you for them: add ${entries} to ${setting}, and their requests from then on are local, $0 (those recorded keep their cost)`;
}
