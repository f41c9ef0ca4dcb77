/**
 * Logistic regression for the request router, trained by full-batch Adam:
 * no randomness, so the same data and settings give the same weights on
 * every machine. Targets may be soft (the share of the quality gap a cheap
 * model leaves), which cross-entropy handles as it does 0/1 labels.
 */
import { HASH_SIZE } from '../../src/core/routing/features';

export interface Example {
  /** Standardised dense features. */
  dense: Float64Array;
  indices: Int32Array;
  values: Float32Array;
  /** In [0, 1]. */
  target: number;
}

export interface Fit {
  bias: number;
  dense: Float64Array;
  hashed: Float64Array;
}

export interface FitOptions {
  denseL2: number;
  /** Infinity: no hashed features at all. */
  hashedL2: number;
  iterations: number;
  learningRate: number;
}

export function logitOf(fit: Fit, example: Example): number {
  let z = fit.bias;
  for (let j = 0; j < example.dense.length; j++) z += fit.dense[j]! * example.dense[j]!;
  for (let k = 0; k < example.indices.length; k++) z += fit.hashed[example.indices[k]!]! * example.values[k]!;
  return z;
}

export function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

export function fitLogistic(examples: readonly Example[], options: FitOptions): Fit {
  const denseCount = examples[0]?.dense.length ?? 0;
  const useHashed = Number.isFinite(options.hashedL2);
  const fit: Fit = { bias: 0, dense: new Float64Array(denseCount), hashed: new Float64Array(HASH_SIZE) };
  const size = 1 + denseCount + HASH_SIZE;
  const m = new Float64Array(size);
  const v = new Float64Array(size);
  const grad = new Float64Array(size);
  const beta1 = 0.9;
  const beta2 = 0.999;
  const n = examples.length;
  for (let t = 1; t <= options.iterations; t++) {
    grad.fill(0);
    for (const example of examples) {
      const error = (sigmoid(logitOf(fit, example)) - example.target) / n;
      grad[0]! += error;
      for (let j = 0; j < denseCount; j++) grad[1 + j]! += error * example.dense[j]!;
      if (useHashed) for (let k = 0; k < example.indices.length; k++) grad[1 + denseCount + example.indices[k]!]! += error * example.values[k]!;
    }
    for (let j = 0; j < denseCount; j++) grad[1 + j]! += options.denseL2 * fit.dense[j]!;
    if (useHashed) for (let h = 0; h < HASH_SIZE; h++) grad[1 + denseCount + h]! += options.hashedL2 * fit.hashed[h]!;
    const correction1 = 1 - beta1 ** t;
    const correction2 = 1 - beta2 ** t;
    const step = (index: number): number => {
      const g = grad[index]!;
      m[index] = beta1 * m[index]! + (1 - beta1) * g;
      v[index] = beta2 * v[index]! + (1 - beta2) * g * g;
      return (options.learningRate * (m[index]! / correction1)) / (Math.sqrt(v[index]! / correction2) + 1e-8);
    };
    fit.bias -= step(0);
    for (let j = 0; j < denseCount; j++) fit.dense[j]! -= step(1 + j);
    if (useHashed) {
      for (let h = 0; h < HASH_SIZE; h++) {
        // Buckets no example touches have zero gradient and stay at zero.
        if (grad[1 + denseCount + h] !== 0 || m[1 + denseCount + h] !== 0) fit.hashed[h]! -= step(1 + denseCount + h);
      }
    }
  }
  return fit;
}
