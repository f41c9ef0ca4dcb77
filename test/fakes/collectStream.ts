/** Drains an adapter's stream the way the router would, keeping what arrived before any failure. */
import type { StreamEvent, Usage } from '../../src/core/types';

export interface CollectedStream {
  text: string;
  /** Usage events merged in order, later fields replacing earlier ones. */
  usage: Partial<Usage>;
  /** Models reported by `model` events. */
  models: string[];
  /** The last cost a gateway reported, if any. */
  gatewayCost?: { costUsd: number; gateway: string };
  /** How many text events arrived. */
  textEvents: number;
  /** Characters of reasoning (a thinking model's, never shown) reported. */
  reasoningChars: number;
  /** The adapter said the provider stopped at the request's max output. */
  maxTokensReached: boolean;
  /** The adapter said the provider accepted the request and began its answer. */
  started: boolean;
  /** What the stream threw, if it did. */
  error?: unknown;
}

/** `onText` sees each piece of text as it arrives (a `textGate` for scripted cuts). */
export async function collectStream(stream: AsyncIterable<StreamEvent>, onText?: (piece: string) => void): Promise<CollectedStream> {
  const collected: CollectedStream = { text: '', usage: {}, models: [], textEvents: 0, reasoningChars: 0, maxTokensReached: false, started: false };
  try {
    for await (const event of stream) {
      if (event.type === 'text') {
        collected.text += event.text;
        collected.textEvents++;
        onText?.(event.text);
      } else if (event.type === 'max-tokens') {
        collected.maxTokensReached = true;
      } else if (event.type === 'reasoning') {
        collected.reasoningChars += event.chars;
      } else if (event.type === 'usage') {
        Object.assign(collected.usage, event.usage);
      } else if (event.type === 'cost') {
        collected.gatewayCost = { costUsd: event.costUsd, gateway: event.gateway };
      } else if (event.type === 'model') {
        collected.models.push(event.model);
      } else {
        collected.started = true;
      }
    }
  } catch (error) {
    collected.error = error;
  }
  return collected;
}
