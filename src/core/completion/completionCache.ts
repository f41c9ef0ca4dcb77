/**
 * Recent completions by the text around the cursor, so returning to a place
 * (undo, backspace, moving the cursor back) costs no request.
 */

/** Enough context to tell places apart, little enough to build on every keystroke. */
const KEY_PREFIX_CHARS = 500;
const KEY_SUFFIX_CHARS = 200;

export interface CacheKeyParts {
  languageId: string;
  /** Changes whenever what would answer changes (model route, multi-line mode). */
  variant: string;
  prefix: string;
  suffix: string;
}

export function completionCacheKey(parts: CacheKeyParts): string {
  const prefixTail = parts.prefix.length > KEY_PREFIX_CHARS ? parts.prefix.slice(-KEY_PREFIX_CHARS) : parts.prefix;
  const suffixHead = parts.suffix.length > KEY_SUFFIX_CHARS ? parts.suffix.slice(0, KEY_SUFFIX_CHARS) : parts.suffix;
  return `${parts.languageId}\u0000${parts.variant}\u0000${prefixTail}\u0000${suffixHead}`;
}

interface Entry<V> {
  value: V;
  storedAt: number;
}

/** Least-recently-used map with a fixed number of entries and an optional age limit. */
export class CompletionCache<V> {
  private readonly entries = new Map<string, Entry<V>>();

  constructor(
    private readonly maxEntries = 200,
    private readonly maxAgeMs = Number.POSITIVE_INFINITY,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: string, now = performance.now()): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (now - entry.storedAt > this.maxAgeMs) return undefined;
    // Map iteration follows insertion order, so re-inserting marks it most recent.
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: string, value: V, now = performance.now()): void {
    this.entries.delete(key);
    this.entries.set(key, { value, storedAt: now });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
  }

  clear(): void {
    this.entries.clear();
  }
}
