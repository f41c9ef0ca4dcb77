/**
 * What routing saved, written so that the saving and the two costs it is the
 * difference of agree on the page. formatUsd alone gives each figure two
 * significant digits, so $0.137 and $0.142 both read "$0.14" beside "saved
 * $0.005": a reader cannot tell which figure to believe. Here the three share
 * one number of decimals, enough for each of them (the saving included) to
 * show two significant digits, and the saving shown is the difference of the
 * two costs as shown, so "$0.137, would have cost $0.142: saved $0.005" always
 * adds up.
 */

export interface SavingFigures {
  /** What the requests cost. */
  actual: string;
  /** What they would have cost on each route's strong tier. */
  strong: string;
  /** The difference as shown, without its sign: say "saved" or "cost an extra" from `sign`. */
  saved: string;
  /** 1: routing saved; -1: it cost more; 0: no difference at the decimals shown. */
  sign: -1 | 0 | 1;
}

/**
 * A saving smaller than a millionth of a dollar is float noise or nothing a
 * bill would show; past this the figures would only grow digits nobody reads.
 */
const MAX_DECIMALS = 6;

/**
 * Decimals the saving may add to those the two costs need. Two significant
 * digits of a tiny saving on large totals took up to six ("$1,234.567000,
 * would have cost $1,234.567002"): past a hundredth of the costs' last digit
 * a saving is nothing a reader weighs against them, so it is shown at that
 * precision (or as no difference) rather than growing the costs' decimals.
 */
const MAX_EXTRA_DECIMALS = 2;

export function savingFigures(actualUsd: number, strongUsd: number): SavingFigures {
  const costs = Math.max(decimalsFor(actualUsd), decimalsFor(strongUsd));
  const wanted = Math.max(costs, Math.min(decimalsFor(strongUsd - actualUsd), costs + MAX_EXTRA_DECIMALS));
  // A saving that still rounds to nothing at the decimals allowed adds none: "$0.0000" says no more than "$0.00".
  let decimals = toUnits(strongUsd, wanted) === toUnits(actualUsd, wanted) ? costs : wanted;
  let actual = toUnits(actualUsd, decimals);
  let strong = toUnits(strongUsd, decimals);
  // Zeros all three end with say nothing ($0.1370, $0.1420, $0.0050 read $0.137, $0.142, $0.005); cents stay.
  while (decimals > 2 && actual % 10n === 0n && strong % 10n === 0n) {
    actual /= 10n;
    strong /= 10n;
    decimals -= 1;
  }
  const saved = strong - actual;
  const sign = saved > 0n ? 1 : saved < 0n ? -1 : 0;
  return { actual: unitsText(actual, decimals), strong: unitsText(strong, decimals), saved: unitsText(saved < 0n ? -saved : saved, decimals), sign };
}

/** Decimals for two significant digits (cents from $1 up), as formatUsd gives them, at most MAX_DECIMALS. */
function decimalsFor(usd: number): number {
  const size = Math.abs(usd);
  if (!Number.isFinite(size) || size === 0 || size >= 1) return 2;
  return Math.min(MAX_DECIMALS, Math.max(2, 1 - Math.floor(Math.log10(size))));
}

/** The amount in units of 10^-decimals, rounded half up on its shortest decimal form (1.005 -> 1.01), as formatUsd does. */
function toUnits(usd: number, decimals: number): bigint {
  const negative = usd < 0;
  const shortest = String(Math.abs(usd));
  // Exponent notation (below 1e-6 or from 1e21): toFixed rounds it well enough at these decimals.
  if (shortest.includes('e')) {
    const fixed = Math.abs(usd).toFixed(decimals).replace('.', '');
    return negative ? -BigInt(fixed) : BigInt(fixed);
  }
  const [whole = '', fraction = ''] = shortest.split('.');
  let units = BigInt(whole + fraction.slice(0, decimals).padEnd(decimals, '0'));
  if ((fraction[decimals] ?? '0') >= '5') units += 1n;
  return negative ? -units : units;
}

/** "$1,234.5012": thousands separated, the three figures with the same decimals so they line up. */
function unitsText(units: bigint, decimals: number): string {
  const digits = units.toString().padStart(decimals + 1, '0');
  const whole = digits.slice(0, -decimals).replace(/\B(?=(\d{3})+$)/g, ',');
  return `$${whole}.${digits.slice(-decimals)}`;
}
