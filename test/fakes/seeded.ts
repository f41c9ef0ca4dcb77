/**
 * A small seeded generator (mulberry32) of numbers in [0, 1): the same sequence for a seed on every run and machine,
 * so a test that draws latencies, errors or records from it can replay a failure.
 */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
