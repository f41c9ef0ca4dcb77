import type { ChatTurn } from '../../core/prompts/chatContext';
import type { Tier } from '../../core/routing/tiers';
import type { ModelRef } from '../../core/types';
import type { AttachmentChip } from '../../shared/chatProtocol';

/** The chip a retried question carries, so the conversation shows which answer is the retry. */
export const RETRY_CHIP = 'Retry with the strong model';

/** A question as the model receives it, and how to route it. */
export interface ChatQuestion {
  /** What the panel shows. */
  text: string;
  /** A question typed just now (not Ask again or a retry): refused, it goes back into the message box. */
  typed?: boolean;
  chips: AttachmentChip[];
  /** The message sent: attachments included. */
  prompt: string;
  /** The conversation before it. */
  history: ChatTurn[];
  /** A model the user picked (overrides Auto). */
  model?: ModelRef;
  /** A tier to use without scoring, and the answer this re-asks. */
  tier?: Tier;
  retryOf?: string;
  /** The answer it re-asks had no known price. */
  retryOfUnpriced?: boolean;
  /** The answer it re-asks was handed over from a failed strong tier. */
  retryOfHandedOver?: boolean;
}
