import type { ModelPrice } from './prices/priceTable';
import { promptTokens, type Usage } from './types';

/** Above this many prompt tokens a long-context tier (`inputAbove200k`) applies. */
export const LONG_CONTEXT_THRESHOLD = 200_000;

/**
 * What a request cost in USD, or null when the model has no known price:
 * an unknown price is "unpriced", never $0.
 */
export function costOf(usage: Usage, price: ModelPrice | undefined): number | null {
  if (!price) return null;
  return roundUsd(costAtTier(usage, price, promptTokens(usage) > LONG_CONTEXT_THRESHOLD));
}

/**
 * `usage` priced at the normal or the long-context rates, unrounded. For
 * token totals of many calls, whose sum says nothing about each call's
 * prompt size (the ledger's totals keep the two apart).
 */
export function costAtTier(usage: Usage, price: ModelPrice, longPrompt: boolean): number {
  const longInput = price.inputAbove200k;
  const longContext = longInput !== undefined && longPrompt;
  const input = longContext ? longInput : price.input;
  const output = longContext ? (price.outputAbove200k ?? price.output) : price.output;
  // Anthropic raises cache reads and writes by the same factor as input in the
  // long-context tier; the price table carries only the input and output rates.
  const cacheFactor = longContext && price.input > 0 ? input / price.input : 1;
  // Usage counts cached tokens apart from inputTokens, so they must be billed
  // at some rate. A table without a cache price means the provider gives no
  // discount (OpenAI bills cached tokens of such models as ordinary input, and
  // has no surcharge for writing the cache): the input rate is what was charged.
  const cacheRead = price.cacheRead === undefined ? input : price.cacheRead * cacheFactor;
  const cacheWrite = price.cacheWrite === undefined ? input : price.cacheWrite * cacheFactor;
  const perMillion =
    usage.inputTokens * input +
    usage.outputTokens * output +
    usage.cacheReadTokens * cacheRead +
    usage.cacheWriteTokens * cacheWrite;
  return perMillion / 1e6;
}

/** Drops float noise (0.0025000000000000005) while keeping far more precision than any bill has. */
export function roundUsd(usd: number): number {
  return Number(usd.toPrecision(12));
}

/**
 * Dollars and cents with thousands separators, as en-US number formatting
 * writes them ("1,234.50"): the number's shortest decimal form rounded half up
 * at the cent, so 1.005 reads $1.01. Not Intl.NumberFormat itself: its first
 * construction in a process loads ICU's number data, about 15 ms of the
 * extension's activation when it was built as the module loaded.
 */
function withCents(usd: number): string {
  const shortest = String(usd);
  // Exponent notation from 1e21 up: no bill gets there, but say it exactly.
  if (shortest.includes('e')) return usd.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const [whole = '', fraction = ''] = shortest.split('.');
  let cents = BigInt(whole + fraction.slice(0, 2).padEnd(2, '0'));
  if ((fraction[2] ?? '0') >= '5') cents += 1n;
  const digits = cents.toString().padStart(3, '0');
  return `${digits.slice(0, -2).replace(/\B(?=(\d{3})+$)/g, ',')}.${digits.slice(-2)}`;
}

/**
 * What is left of a limit, for people to read: as formatUsd, except that while anything is spent it never reads as
 * the whole limit ("$0.15 left of $0.15 ($0.002 spent)", "$5.00 left of $5.00"), which says nothing was spent and
 * more is left than is. Then it takes as many more decimals as tell the two apart (at most 8), rounded down.
 */
export function formatUsdLeft(leftUsd: number, limitUsd: number): string {
  const shown = formatUsd(leftUsd);
  if (!(leftUsd < limitUsd) || leftUsd <= 0 || shown !== formatUsd(limitUsd)) return shown;
  for (let decimals = 3; decimals <= 8; decimals++) {
    const factor = 10 ** decimals;
    // The small addend keeps 0.29 × 100 (28.999…) from flooring to 28.
    const down = Math.floor(leftUsd * factor + 1e-6) / factor;
    const text = `$${down.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: decimals })}`;
    if (text !== shown) return text;
  }
  return shown;
}

/**
 * What is left of a limit beside what was spent (and is in flight), for people to read side by side: each at the
 * same number of decimals, as many as the finest of them needs (formatUsd's, formatUsdLeft's for what is left; at
 * most 8), so they visibly add up to the limit. "$0.0001 left ($0.00 spent)" of a $0.0001 limit, or "$0.0000001
 * left ($0.50 spent of $0.50)", read as figures that do not add up. What is left is rounded down, as formatUsdLeft
 * does, and what was spent is the rest, so the three make the limit at the precision shown.
 */
export function formatBudgetFigures(limitUsd: number, spentUsd: number, reservedUsd: number, leftUsd: number): { left: string; spent: string; reserved: string } {
  let decimals = Math.min(8, Math.max(decimalsOf(formatUsdLeft(leftUsd, limitUsd)), decimalsOf(formatUsd(spentUsd)), reservedUsd > 0 ? decimalsOf(formatUsd(reservedUsd)) : 2));
  for (;;) {
    const factor = 10 ** decimals;
    // The small addend keeps 0.29 × 100 (28.999…) from flooring to 28.
    const left = Math.max(0, Math.floor(leftUsd * factor + 1e-6) / factor);
    const reserved = Math.round(reservedUsd * factor) / factor;
    const spent = Math.max(0, Math.round((limitUsd - left - reserved) * factor) / factor);
    // What is left rounded down makes what was spent the rest, which may then read a unit more than it is rounded
    // ("$1.42 left of $1.60 ($0.18 spent)" of $0.1747, beside "$0.17" spent on the dashboard and in doctor): one more
    // decimal until the spent shown is the spent rounded.
    if (decimals >= 8 || Math.abs(spent - spentUsd) <= 0.5 / factor + 1e-12) {
      const text = (usd: number) => `$${usd.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals })}`;
      return { left: text(left), spent: text(spent), reserved: text(reserved) };
    }
    decimals += 1;
  }
}

/** The decimals of a figure formatUsd wrote ("$0.0004": 4; "$1,234.50": 2). */
function decimalsOf(shown: string): number {
  return shown.split('.')[1]?.length ?? 2;
}

/** What a local server's model nobody priced costs, as the status bar, the ledger's views and `costs` say it. */
export const LOCAL_COST_TEXT = 'local, $0';

/**
 * One request's cost for people to read: formatUsd's, except that a model served on this machine that nobody
 * priced reads "local, $0" (not "$0.00", which reads as a price someone set, nor "unpriced", as it did before).
 */
export function formatRecordCost(record: { costUsd: number | null; costSource?: string }): string {
  return record.costSource === 'local' && record.costUsd === 0 ? LOCAL_COST_TEXT : formatUsd(record.costUsd);
}

/** Below this a figure would need more than 12 decimals; nothing real costs that little. */
const SMALLEST_SHOWN = 1e-12;

/**
 * A cost for people to read. From $1 up: cents ($1.23, $12.40, $1,234.50).
 * Below $1, where a single request usually sits: two significant digits with
 * at least two decimals ($0.50, $0.052, $0.0004, $0.000012), so a cheap
 * request never reads as a misleading $0.00. null reads "unpriced".
 *
 * The figure is rounded to 12 significant digits first (roundUsd), as the ledger's totals are: a sum's float noise
 * would otherwise round it the other way at the digit shown (0.0005 + 0.0005 + 0.00105 is 0.0020499999999999997,
 * "$0.002" in the status bar beside "$0.0021" on the dashboard and in `costs`, which round their sums).
 */
export function formatUsd(costUsd: number | null): string {
  if (costUsd === null || !Number.isFinite(costUsd)) return 'unpriced';
  const sign = costUsd < 0 ? '-' : '';
  // Below $1 million, 12 digits keep the digits shown and six more; above, the figure is written as it is (a sum's
  // noise there is far below a cent, and 12 digits would cut into the digit that rounds the cent).
  const usd = Math.abs(costUsd) < 1e6 ? roundUsd(Math.abs(costUsd)) : Math.abs(costUsd);
  if (usd === 0) return '$0.00';
  if (usd >= 1) return `${sign}$${withCents(usd)}`;
  if (usd < SMALLEST_SHOWN) return `${sign}<$0.000000000001`;
  const decimals = Math.max(2, 1 - Math.floor(Math.log10(usd)));
  const rounded = usd.toFixed(decimals);
  // Rounding can carry up to a whole dollar (0.999 -> "1.00").
  if (Number(rounded) >= 1) return `${sign}$${withCents(Number(rounded))}`;
  const fraction = (rounded.split('.')[1] ?? '').replace(/0+$/, '').padEnd(2, '0');
  return `${sign}$0.${fraction}`;
}
