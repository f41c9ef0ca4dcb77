/**
 * The hashed features of one request, counted in place: one bag per
 * namespace, reused from request to request (a generation stamp marks what
 * the current request touched), so scoring allocates nothing per token.
 */
import { CONCURRENT_CODE_TOKENS, SECURITY_CODE_TOKENS } from './lexicon';
import { isIdentifierStart, isWordChar } from './characters';
import { bucket, CODE, FNV_OFFSET, FNV_PRIME, HASH_SIZE, lower, wordHash } from './featureHashing';

export class Bag {
  readonly counts = new Float32Array(HASH_SIZE);
  readonly stamp = new Int32Array(HASH_SIZE);
  readonly start = new Int32Array(HASH_SIZE);
  readonly end = new Int32Array(HASH_SIZE);
  touched = new Int32Array(256);
  size = 0;
  /** Code tokens of SECURITY_CODE_TOKENS added (the code bag's), reset with `size` for each request. */
  securityTokens = 0;

  add(index: number, generation: number, start: number, end: number): void {
    if (this.stamp[index] !== generation) {
      this.stamp[index] = generation;
      this.counts[index] = 1;
      this.start[index] = start;
      this.end[index] = end;
      if (this.size === this.touched.length) {
        const grown = new Int32Array(this.touched.length * 2);
        grown.set(this.touched);
        this.touched = grown;
      }
      this.touched[this.size++] = index;
    } else {
      this.counts[index]! += 1;
    }
  }
}

const CONCURRENT_CODE = new Set(CONCURRENT_CODE_TOKENS.map(wordHash));
const SECURITY_CODE = new Set(SECURITY_CODE_TOKENS.map(wordHash));
/** Marks the code buckets a concurrency token (1) or a security token (2) falls in, so most identifiers skip the set lookups. */
const TOKEN_BUCKETS = new Uint8Array(HASH_SIZE);
for (const hash of CONCURRENT_CODE) TOKEN_BUCKETS[bucket(hash, CODE)]! |= 1;
for (const hash of SECURITY_CODE) TOKEN_BUCKETS[bucket(hash, CODE)]! |= 2;

/**
 * Adds one code token to the code bag, the same for a fenced line and for a
 * line of code outside a fence; 1 when it is a concurrency token, else 0.
 * Security tokens are counted in the bag (`securityTokens`).
 */
export function addCodeToken(bag: Bag, hash: number, start: number, end: number, generation: number): number {
  const codeBucket = bucket(hash, CODE);
  bag.add(codeBucket, generation, start, end);
  const marks = TOKEN_BUCKETS[codeBucket]!;
  if (marks === 0) return 0;
  if (marks & 2 && SECURITY_CODE.has(hash)) bag.securityTokens++;
  return marks & 1 && CONCURRENT_CODE.has(hash) ? 1 : 0;
}

/** Adds the code tokens (identifiers) of `source` from `from` to `to`; returns how many are concurrency tokens. */
export function addCodeTokens(bag: Bag, source: string, from: number, to: number, generation: number): number {
  let concurrent = 0;
  let i = from;
  while (i < to) {
    const c = source.charCodeAt(i);
    if (!isIdentifierStart(c)) {
      i++;
      continue;
    }
    const start = i;
    let hash = FNV_OFFSET;
    while (i < to) {
      const d = source.charCodeAt(i);
      if (!isWordChar(d) && d !== 36) break;
      hash = Math.imul(hash ^ lower(d), FNV_PRIME);
      i++;
    }
    concurrent += addCodeToken(bag, hash >>> 0, start, i, generation);
  }
  return concurrent;
}
