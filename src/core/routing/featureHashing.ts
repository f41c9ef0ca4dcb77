/**
 * Hashing of words and features: FNV-1a of lower-cased words as the scanner reads them, spread
 * into the model's buckets by namespace, so a word, a word pair and a code token never share a weight by design.
 */

export const HASH_BITS = 14;
export const HASH_SIZE = 1 << HASH_BITS;
const HASH_MASK = HASH_SIZE - 1;

/** Hashed feature families; each is normalised on its own, so a long file does not drown the question. */
export const NAMESPACES = ['word', 'pair', 'code', 'history'] as const;
export type Namespace = (typeof NAMESPACES)[number];
export const WORD = 0;
export const PAIR = 1;
export const CODE = 2;
export const HISTORY = 3;
const NAMESPACE_SALT = [0x9e3779b1, 0x85ebca77, 0xc2b2ae3d, 0x27d4eb2f];

export const FNV_OFFSET = 0x811c9dc5;
export const FNV_PRIME = 0x01000193;

/** Lower-case FNV-1a of a word, as the scanner computes it character by character. */
export function wordHash(word: string): number {
  let hash = FNV_OFFSET;
  for (let i = 0; i < word.length; i++) hash = Math.imul(hash ^ lower(word.charCodeAt(i)), FNV_PRIME);
  return hash >>> 0;
}

export function lower(code: number): number {
  // ASCII and Latin-1 capitals (À–Þ but ×): German nouns start with Ü or Ä as often as with S.
  return (code >= 65 && code <= 90) || (code >= 0xc0 && code <= 0xde && code !== 0xd7) ? code | 0x20 : code;
}

/** murmur3's finaliser: spreads FNV's low bits before they are masked to a bucket. */
function mix(hash: number): number {
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

export function bucket(hash: number, namespace: number): number {
  return mix(hash ^ NAMESPACE_SALT[namespace]!) & HASH_MASK;
}

export function pairHash(previous: number, current: number): number {
  return (Math.imul(previous, 31) ^ current) >>> 0;
}
