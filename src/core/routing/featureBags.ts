/**
 * The hashed features of one request, counted in place: one bag per
 * namespace, reused from request to request (a generation stamp marks what
 * the current request touched), so scoring allocates nothing per token.
 */
import { CONCURRENT_CODE_TOKENS, SECURITY_CODE_TOKENS } from './lexicon';
import {
  buildsStringAt,
  HEADER_MEMBER_HASHES,
  HEADER_OBJECT_HASHES,
  INPUT_MEMBER_HASHES,
  INPUT_OBJECT_HASHES,
  INPUT_SOURCES,
  LOCATION_INPUT_MEMBER_HASHES,
  LOCATION_OBJECT_HASHES,
  LOCATION_SINK_MEMBER_HASHES,
  PATH_MEMBER_HASHES,
  PATH_OBJECT_HASHES,
  SINKS,
  SQL,
  SQL_LINES_LOOKED_AT,
} from './codeRisk';
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
  /** Of the code bag's tokens: input from outside (`$_GET`, `req.query`, `argv`), and sinks (`exec`, `pickle`, `path.join`, `res.redirect`…); codeRisk.ts. */
  inputSources = 0;
  sinks = 0;
  /** Where the first SQL words of the code are, to look at their lines once the scan is done. */
  readonly sqlAt = new Int32Array(SQL_LINES_LOOKED_AT);
  sqlWords = 0;
  /** The code token before this one, for `req.query`, `path.join` and `header('Location:`. */
  previousToken = 0;

  /** Empties the bag for the next request (the counts are stamped by generation, not cleared). */
  reset(): void {
    this.size = 0;
    this.securityTokens = 0;
    this.inputSources = 0;
    this.sinks = 0;
    this.sqlWords = 0;
    this.previousToken = 0;
  }

  /** Input from outside and a sink in the same attached code, or SQL put together from strings beside such input. */
  takesInputToASink(text: string): boolean {
    if (this.inputSources === 0) return false;
    if (this.sinks > 0) return true;
    for (let k = 0; k < this.sqlWords; k++) if (buildsStringAt(text, this.sqlAt[k]!)) return true;
    return false;
  }

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
for (const set of [INPUT_SOURCES, INPUT_MEMBER_HASHES, SINKS, PATH_MEMBER_HASHES, HEADER_MEMBER_HASHES, LOCATION_SINK_MEMBER_HASHES, LOCATION_INPUT_MEMBER_HASHES, SQL]) for (const hash of set) TOKEN_BUCKETS[bucket(hash, CODE)]! |= 4;

/**
 * Adds one code token to the code bag, the same for a fenced line and for a
 * line of code outside a fence; 1 when it is a concurrency token, else 0.
 * Security tokens are counted in the bag (`securityTokens`).
 */
export function addCodeToken(bag: Bag, hash: number, start: number, end: number, generation: number): number {
  const codeBucket = bucket(hash, CODE);
  bag.add(codeBucket, generation, start, end);
  const marks = TOKEN_BUCKETS[codeBucket]!;
  const previous = bag.previousToken;
  bag.previousToken = hash;
  if (marks === 0) return 0;
  if (marks & 2 && SECURITY_CODE.has(hash)) bag.securityTokens++;
  if (marks & 4) readRisk(bag, hash, previous, start);
  return marks & 1 && CONCURRENT_CODE.has(hash) ? 1 : 0;
}

/** Counts a token that is input from outside or a sink (codeRisk.ts); notes where SQL words are. */
function readRisk(bag: Bag, hash: number, previous: number, start: number): void {
  const afterLocation = LOCATION_OBJECT_HASHES.has(previous);
  if (INPUT_SOURCES.has(hash) || (INPUT_MEMBER_HASHES.has(hash) && INPUT_OBJECT_HASHES.has(previous)) || (afterLocation && LOCATION_INPUT_MEMBER_HASHES.has(hash))) bag.inputSources++;
  if (
    SINKS.has(hash) ||
    (PATH_MEMBER_HASHES.has(hash) && PATH_OBJECT_HASHES.has(previous)) ||
    (HEADER_MEMBER_HASHES.has(hash) && HEADER_OBJECT_HASHES.has(previous)) ||
    (afterLocation && LOCATION_SINK_MEMBER_HASHES.has(hash))
  )
    bag.sinks++;
  if (SQL.has(hash) && bag.sqlWords < SQL_LINES_LOOKED_AT) bag.sqlAt[bag.sqlWords++] = start;
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
