/**
 * How well a router ranks requests, measured the way RouteLLM does: send the
 * k highest-scored requests to the strong model and the rest to the cheap
 * one, for every k from 0 to n, and see how much of the cheap-to-strong
 * quality gap each share of strong calls recovers.
 */

export interface LabelledScore {
  score: number;
  /** Expected quality of the cheap model's answer; the strong model's is `strongQuality` (1 by default). */
  cheapQuality: number;
  strongQuality?: number;
}

/**
 * PGR(k) for k = 0..n: the share of the gap recovered when the k highest
 * scores go strong. Tied scores are ordered arbitrarily by a real router, so
 * a tied group contributes its average gain per request (the expectation over
 * orders), never a lucky or unlucky order.
 */
export function pgrCurve(items: readonly LabelledScore[]): number[] {
  const n = items.length;
  const sorted = [...items].sort((a, b) => b.score - a.score);
  const gains = sorted.map((item) => (item.strongQuality ?? 1) - item.cheapQuality);
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && sorted[end]!.score === sorted[start]!.score) end++;
    if (end - start > 1) {
      let sum = 0;
      for (let i = start; i < end; i++) sum += gains[i]!;
      for (let i = start; i < end; i++) gains[i] = sum / (end - start);
    }
    start = end;
  }
  const total = gains.reduce((sum, gain) => sum + gain, 0);
  const curve = [0];
  let recovered = 0;
  for (const gain of gains) {
    recovered += gain;
    curve.push(total > 0 ? recovered / total : 1);
  }
  return curve;
}

/** Average PGR over the share of strong calls from 0 to 100 % (trapezoidal area under the curve). */
export function apgr(curve: readonly number[]): number {
  const n = curve.length - 1;
  if (n <= 0) return 0;
  let area = 0;
  for (let k = 1; k <= n; k++) area += (curve[k - 1]! + curve[k]!) / 2;
  return area / n;
}

/** The smallest share of strong calls that recovers at least `target` of the gap. */
export function strongShareToRecover(curve: readonly number[], target: number): number {
  const n = curve.length - 1;
  for (let k = 0; k <= n; k++) if (curve[k]! >= target - 1e-12) return k / n;
  return 1;
}

/** A seeded shuffle's scores: what a random router does. */
export function randomScores(n: number, random: () => number): number[] {
  return Array.from({ length: n }, () => random());
}

export interface Spread {
  mean: number;
  std: number;
  low: number;
  high: number;
}

/** Mean, standard deviation and the 2.5–97.5 % range of samples. */
export function spread(samples: readonly number[]): Spread {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = sorted.reduce((sum, x) => sum + x, 0) / sorted.length;
  const variance = sorted.reduce((sum, x) => sum + (x - mean) ** 2, 0) / Math.max(1, sorted.length - 1);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(p * (sorted.length - 1))))]!;
  return { mean, std: Math.sqrt(variance), low: at(0.025), high: at(0.975) };
}

/** Score quantiles: thresholds[i] is the score at or above which about shares[i] of `scores` lie. */
export function shareThresholds(scores: readonly number[], shares: readonly number[]): number[] {
  const sorted = [...scores].sort((a, b) => b - a);
  const n = sorted.length;
  return shares.map((share) => {
    if (share <= 0) return 1;
    if (share >= 1) return 0;
    // Midway between the last score in and the first score out, so the cut does not sit on a request.
    const k = Math.round(share * n);
    if (k <= 0) return sorted[0]!;
    if (k >= n) return sorted[n - 1]!;
    return (sorted[k - 1]! + sorted[k]!) / 2;
  });
}

export interface DialMiss {
  share: number;
  /** The share of `scores` at or above the share's threshold. */
  sent: number;
  /** How far off it may be: half a request, plus the requests tied with the threshold. */
  allowed: number;
}

/**
 * The dial values at which `thresholdOf` does not send their share of
 * `scores` (the out-of-fold scores the thresholds were taken from) to the
 * strong tier. At a stored quantile the share may be off by half a request
 * (the cut falls between two requests), or by a group of requests tied on
 * the cut's score; between stored points, by no more than the step to the
 * next point. Empty when the dial is calibrated.
 */
export function dialMisses(scores: readonly number[], shares: readonly number[], thresholdOf: (share: number) => number, step = 0): DialMiss[] {
  const n = scores.length;
  const sorted = [...scores].sort((a, b) => b - a);
  const misses: DialMiss[] = [];
  for (const share of shares) {
    const threshold = thresholdOf(share);
    const count = countAtOrAbove(sorted, threshold);
    const tied = count - countAtOrAbove(sorted, nextUp(threshold));
    const allowed = (0.5 + Math.max(0, tied - 1)) / n + step + 1e-12;
    if (Math.abs(count / n - share) > allowed) misses.push({ share, sent: count / n, allowed });
  }
  return misses;
}

/** How many of `descending` are at or above `value`. */
function countAtOrAbove(descending: readonly number[], value: number): number {
  let low = 0;
  let high = descending.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (descending[mid]! >= value) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** The smallest double above `value` (±Infinity as they are). */
function nextUp(value: number): number {
  if (!Number.isFinite(value)) return value;
  if (value === 0) return Number.MIN_VALUE;
  const buffer = new Float64Array([value]);
  const bits = new BigInt64Array(buffer.buffer);
  bits[0] = bits[0]! + (value > 0 ? 1n : -1n);
  return buffer[0]!;
}
