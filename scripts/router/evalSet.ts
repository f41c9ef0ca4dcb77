import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { RoutingInput } from '../../src/core/routing/features';
import type { ChatMessage } from '../../src/core/types';

/** The families of requests, in the order reports list them (multilingual: coding requests in six other languages; notation: maths written in notation; textbook: textbook maths in notation, asked as competition problems ask). */
export const FAMILIES = ['coding', 'math', 'knowledge', 'programming', 'multilingual', 'tryout', 'notation', 'textbook'] as const;
export type Family = (typeof FAMILIES)[number];

/** One labelled request of eval/router/requests.jsonl (see eval/router/README.md). */
export interface EvalItem {
  id: string;
  split: 'train' | 'test';
  family: Family;
  kind: string;
  task: 'chat' | 'plan';
  /** 0 (any cheap model does it) to 3 (needs a strong model). */
  level: 0 | 1 | 2 | 3;
  /** Expected quality of a cheap model's answer, the strong model's being 1. */
  cheapQuality: number;
  cheapSuffices: boolean;
  /** Estimated prompt tokens (system, history and message) and typical answer tokens. */
  inputTokens: number;
  outputTokens: number;
  why?: string;
  /** The level first written, when the label was corrected (its split stays that level's). */
  relabelledFrom?: 0 | 1 | 2 | 3;
  prompt: string;
  history?: ChatMessage[];
}

export const EVAL_SET_PATH = path.resolve(__dirname, '../../eval/router/requests.jsonl');

export function readEvalSet(file = EVAL_SET_PATH): EvalItem[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line, index) => {
      const item = JSON.parse(line) as EvalItem;
      if (typeof item.prompt !== 'string' || typeof item.cheapQuality !== 'number' || (item.split !== 'train' && item.split !== 'test')) {
        throw new Error(`${file}:${index + 1}: not an evaluation item`);
      }
      return item;
    });
}

export function routingInputOf(item: EvalItem): RoutingInput {
  return { task: item.task, prompt: item.prompt, ...(item.history ? { history: item.history } : {}) };
}
