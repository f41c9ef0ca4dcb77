import { estimateTokens } from '../usageEstimate';
import type { ChatMessage, ModelRequest } from '../types';
import { CHAT_SYSTEM } from './taskPrompts';

/** Context window assumed for models the price table has no figure for. */
const DEFAULT_CONTEXT_TOKENS = 128_000;

export interface ChatTurn {
  role: 'user' | 'assistant';
  text: string;
}

export type ChatRequestPlan =
  | { ok: true; request: ModelRequest; droppedTurns: number }
  | { ok: false; reason: string };

/**
 * Fits a conversation into a model's context: the new message must fit on
 * its own (else it is refused, with how much too long it is); older turns are
 * left out, oldest first, until the rest fits. Token counts are estimates.
 */
export function planChatRequest(
  history: readonly ChatTurn[],
  message: string,
  options: { maxTokens: number; contextTokens?: number; modelLabel: string; system?: string },
): ChatRequestPlan {
  const system = options.system ?? CHAT_SYSTEM;
  const context = options.contextTokens ?? DEFAULT_CONTEXT_TOKENS;
  // Leave room for the answer, and a margin for the estimate being low.
  const budget = Math.floor((context - Math.min(options.maxTokens, context / 2)) * 0.9) - estimateTokens(system);
  const own = estimateTokens(message);
  if (own > budget) {
    return {
      ok: false,
      reason: `This message is about ${own.toLocaleString('en-US')} tokens; ${options.modelLabel} accepts about ${Math.max(0, budget).toLocaleString('en-US')} for a question. Shorten it or attach less.`,
    };
  }
  let used = own;
  let keepFrom = history.length;
  while (keepFrom > 0) {
    const cost = estimateTokens(history[keepFrom - 1]!.text);
    if (used + cost > budget) break;
    used += cost;
    keepFrom--;
  }
  // A conversation sent to a model must start with the user.
  while (keepFrom < history.length && history[keepFrom]!.role !== 'user') keepFrom++;
  const messages: ChatMessage[] = history.slice(keepFrom).filter((turn) => turn.text.trim() !== '').map((turn) => ({ role: turn.role, content: turn.text }));
  messages.push({ role: 'user', content: message });
  return { ok: true, request: { system, messages: mergeSameRole(messages), maxTokens: options.maxTokens }, droppedTurns: keepFrom };
}

/** Providers want user and assistant to alternate (a failed answer leaves two user turns in a row). */
function mergeSameRole(messages: ChatMessage[]): ChatMessage[] {
  const merged: ChatMessage[] = [];
  for (const message of messages) {
    const last = merged.at(-1);
    if (last && last.role === message.role) last.content += `\n\n${message.content}`;
    else merged.push({ ...message });
  }
  return merged;
}
