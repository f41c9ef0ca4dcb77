import { randomBytes } from 'node:crypto';

/** 48 random bits per process: two processes sharing a ledger never draw the same prefix in practice. */
const PROCESS_PREFIX = randomBytes(6).toString('base64url');
let counter = 0;

/** A record id unique across the processes that share a ledger: this process's prefix and a counter. */
export function newRecordId(): string {
  counter += 1;
  return `${PROCESS_PREFIX}.${counter.toString(36)}`;
}
