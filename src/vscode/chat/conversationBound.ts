import { MAX_CONVERSATION_CHARS } from '../../shared/chatProtocol';

export { MAX_CONVERSATION_CHARS };

/*
 * How much of one conversation workspace state keeps (MAX_CONVERSATION_CHARS, in the protocol: the panel's
 * note names it). VS Code loads an extension's whole workspace state at
 * startup and sends all of it again at every save (every conversation, at each answer and each second of one
 * streaming; it warns in its log past 512 KB), so a conversation that only grows slows every window of the
 * workspace. About 500,000 characters is some 125,000 tokens, more than most models' whole context: the oldest
 * messages removed past it had mostly stopped being sent already (chatContext.ts leaves them out).
 */

/**
 * Past the bound, the oldest messages go until the conversation is down to this: a quarter of the bound
 * is freed at once, so the removal (and the panel redrawing the conversation to say so) is rare.
 */
export const TRIMMED_CONVERSATION_CHARS = 375_000;

/**
 * How many of the oldest entries to remove so that what stays fits the bound: none while it fits; past it,
 * whole exchanges (a question with the answers after it) from the oldest, until the rest is within
 * TRIMMED_CONVERSATION_CHARS, but never the last question and what follows it, whatever its size (the
 * prompt itself is limited elsewhere). `sizes[i]` is entry i's stored size; `extra`, what is stored with
 * them (the answer streaming now).
 */
export function oldestToRemove(entries: readonly { role: 'user' | 'assistant' }[], sizes: readonly number[], extra = 0): number {
  let total = extra;
  for (const size of sizes) total += size;
  if (total <= MAX_CONVERSATION_CHARS) return 0;
  let lastQuestion = entries.length - 1;
  while (lastQuestion > 0 && entries[lastQuestion]!.role !== 'user') lastQuestion--;
  let removed = 0;
  while (removed < lastQuestion && total > TRIMMED_CONVERSATION_CHARS) {
    // One exchange: the entry, then up to the next question.
    do total -= sizes[removed++]!;
    while (removed < lastQuestion && entries[removed]!.role !== 'user');
  }
  return removed;
}
