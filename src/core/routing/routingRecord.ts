/**
 * The ledger fields Auto adds to a record: its id, how its models were
 * chosen (`routing`), and which answer it re-asks (`retryOf`, with
 * `retryOfUnpriced` when that answer had no known price, `retryOfHandedOver`
 * when a failed strong tier handed it to the cheap tier). All optional:
 * records written before Auto existed stay valid.
 */
const MODES: ReadonlySet<string> = new Set(['auto', 'retry', 'manual']);
const TIERS: ReadonlySet<string> = new Set(['cheap', 'strong']);
const MAX_ID_CHARS = 100;

/** Why these fields of a record are malformed, or undefined when they are fine or absent. */
export function routingFieldsProblem(value: Record<string, unknown>): string | undefined {
  for (const field of ['id', 'retryOf'] as const) {
    const id = value[field];
    if (id !== undefined && (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID_CHARS)) return `"${field}" must be a non-empty string`;
  }
  for (const field of ['retryOfUnpriced', 'retryOfHandedOver'] as const) {
    if (value[field] !== undefined && (value[field] !== true || value.retryOf === undefined)) return `"${field}" must be true, beside "retryOf"`;
  }
  const routing = value.routing;
  if (routing === undefined) return undefined;
  if (typeof routing !== 'object' || routing === null || Array.isArray(routing)) return '"routing" must be an object';
  const { mode, tier, score, reasons, handedOverFrom } = routing as Record<string, unknown>;
  if (typeof mode !== 'string' || !MODES.has(mode)) return '"routing.mode" must be auto, retry or manual';
  if (tier !== undefined && (typeof tier !== 'string' || !TIERS.has(tier))) return '"routing.tier" must be cheap or strong';
  if (score !== undefined && (typeof score !== 'number' || !(score >= 0 && score <= 1))) return '"routing.score" must be a number from 0 to 1';
  if (handedOverFrom !== undefined && (typeof handedOverFrom !== 'string' || !TIERS.has(handedOverFrom))) return '"routing.handedOverFrom" must be cheap or strong';
  if (!Array.isArray(reasons) || !reasons.every((reason) => typeof reason === 'string')) return '"routing.reasons" must be a list of strings';
  return undefined;
}
