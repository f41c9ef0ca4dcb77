import { DENSE_FEATURES, HASH_SIZE, HASH_BITS } from './features';
import shippedModel from './model.json';

/**
 * The request-routing model as stored in model.json (written by
 * `npm run train:router`): logistic regression over standardised dense
 * features and hashed features, plus the dial's thresholds.
 */
export interface StoredRoutingModel {
  format: 'switchboard-router/1';
  hashBits: number;
  bias: number;
  /** Per dense feature, in any order: its standardisation and weight. */
  dense: Record<string, { mean: number; std: number; weight: number }>;
  /** Hashed weights, int8 two's complement in base64, each times `scale`. */
  hashed: { scale: number; int8: string };
  dial: RoutingDial;
  /** How the model was made: read by people, not by the code. */
  training: Record<string, unknown>;
}

/**
 * Maps "this share of requests may go to the strong tier" to a score threshold:
 * thresholds[i] is the score above which shares[i] of the evaluation set's
 * requests fall (score quantiles, computed by the training script).
 */
export interface RoutingDial {
  /** The share used when the setting is left alone. */
  defaultShare: number;
  shares: number[];
  thresholds: number[];
}

/** The model ready to score: typed arrays, weights aligned with DENSE_FEATURES. */
export interface RoutingModel {
  bias: number;
  denseMean: Float64Array;
  denseStd: Float64Array;
  denseWeight: Float64Array;
  hashed: Float32Array;
  dial: RoutingDial;
}

let loaded: RoutingModel | undefined;

/** The shipped model, decoded on first use (a few hundred microseconds, once). */
export function shippedRoutingModel(): RoutingModel {
  return (loaded ??= decodeRoutingModel(shippedModel as StoredRoutingModel));
}

export function decodeRoutingModel(stored: StoredRoutingModel): RoutingModel {
  if (stored.format !== 'switchboard-router/1') throw new Error(`unknown routing model format ${String(stored.format)}`);
  if (stored.hashBits !== HASH_BITS) throw new Error(`routing model has ${stored.hashBits} hash bits; the scorer uses ${HASH_BITS}`);
  const denseMean = new Float64Array(DENSE_FEATURES.length);
  const denseStd = new Float64Array(DENSE_FEATURES.length).fill(1);
  const denseWeight = new Float64Array(DENSE_FEATURES.length);
  DENSE_FEATURES.forEach((name, index) => {
    const entry = stored.dense[name];
    // A feature the model was not trained with weighs nothing.
    if (!entry) return;
    denseMean[index] = entry.mean;
    denseStd[index] = entry.std > 0 ? entry.std : 1;
    denseWeight[index] = entry.weight;
  });
  const bytes = Buffer.from(stored.hashed.int8, 'base64');
  if (bytes.length !== HASH_SIZE) throw new Error(`routing model has ${bytes.length} hashed weights, expected ${HASH_SIZE}`);
  const hashed = new Float32Array(HASH_SIZE);
  for (let i = 0; i < HASH_SIZE; i++) hashed[i] = ((bytes[i]! << 24) >> 24) * stored.hashed.scale;
  return { bias: stored.bias, denseMean, denseStd, denseWeight, hashed, dial: stored.dial };
}

/** Quantises hashed weights for model.json: int8 with one scale keeps the file near 22 KB. */
export function encodeHashedWeights(weights: ArrayLike<number>): { scale: number; int8: string } {
  let largest = 0;
  for (let i = 0; i < weights.length; i++) largest = Math.max(largest, Math.abs(weights[i]!));
  const scale = largest > 0 ? largest / 127 : 1;
  const bytes = Buffer.alloc(weights.length);
  for (let i = 0; i < weights.length; i++) bytes[i] = Math.round(weights[i]! / scale) & 0xff;
  return { scale: Number(scale.toPrecision(6)), int8: bytes.toString('base64') };
}

/**
 * The score threshold for a dial share in [0, 1], interpolated between the
 * stored quantiles. Share 0 sends nothing to the strong tier, 1 everything.
 */
export function thresholdForShare(dial: RoutingDial, share: number): number {
  if (share <= 0) return Number.POSITIVE_INFINITY;
  if (share >= 1) return Number.NEGATIVE_INFINITY;
  const { shares, thresholds } = dial;
  for (let i = 1; i < shares.length; i++) {
    if (share <= shares[i]!) {
      const low = shares[i - 1]!;
      const high = shares[i]!;
      const t = high === low ? 0 : (share - low) / (high - low);
      return thresholds[i - 1]! + t * (thresholds[i]! - thresholds[i - 1]!);
    }
  }
  return thresholds.at(-1)!;
}
