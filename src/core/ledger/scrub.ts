import type { FailedAttempt } from '../types';
import type { LedgerRecord } from './record';
import { redactSecrets } from '../redact';

/** Provider error bodies can be long; the ledger keeps the gist, and its lines short. In UTF-8 bytes. */
export const MAX_ERROR_BYTES = 500;

/** A record as it may be written: error texts stripped of anything shaped like a key, and shortened. */
export function scrub(record: LedgerRecord): LedgerRecord {
  return {
    ...record,
    ...(record.error !== undefined ? { error: cleanError(record.error) } : {}),
    attempts: record.attempts.map((attempt): FailedAttempt => ({ ...attempt, error: cleanError(attempt.error) })),
  };
}

function cleanError(text: string): string {
  return truncateBytes(redactSecrets(text), MAX_ERROR_BYTES);
}

/** `text` cut to at most `max` UTF-8 bytes, ending in "…" when cut, never inside a character. */
function truncateBytes(text: string, max: number): string {
  if (Buffer.byteLength(text) <= max) return text;
  const ellipsis = '…';
  let budget = max - Buffer.byteLength(ellipsis);
  let cut = '';
  for (const character of text) {
    budget -= Buffer.byteLength(character);
    if (budget < 0) break;
    cut += character;
  }
  return cut + ellipsis;
}
