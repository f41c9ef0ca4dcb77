import type { RoutingInput } from '../src/core/routing/features';
import { WORD_GROUPS } from '../src/core/routing/lexicon';

/**
 * The naive baseline: what a scorer looks like written without care for
 * cost. One case-insensitive regular expression per word group over the whole
 * text (history included), a split into words and lines, a regular
 * expression per line for code, numbers and question marks by regex.
 */
const NAIVE_GROUPS = WORD_GROUPS.map((group) => new RegExp(`\\b(${group.words.map((w) => w.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')).join('|')})\\b`, 'gi'));
const NAIVE_HARD = new Set(['design', 'concurrency', 'plan', 'proof', 'security', 'refactor', 'perf', 'debug']);
export function naiveScore(input: RoutingInput): number {
  const text = [...(input.history ?? []).map((m) => m.content), input.prompt].join('\n');
  let logit = 0;
  NAIVE_GROUPS.forEach((regex, index) => {
    const hits = text.match(regex)?.length ?? 0;
    logit += (NAIVE_HARD.has(WORD_GROUPS[index]!.id) ? 0.3 : -0.2) * Math.min(hits, 5);
  });
  const words = text.toLowerCase().split(/\s+/).filter(Boolean);
  const lines = text.split('\n');
  const codeLines = lines.filter((line) => /[;{}]\s*$|^\s*(def|class|function|const|let|import|return)\b/.test(line)).length;
  const numbers = text.match(/\d+(\.\d+)?/g)?.length ?? 0;
  const questions = text.match(/\?/g)?.length ?? 0;
  const fences = (text.match(/```/g)?.length ?? 0) / 2;
  logit += 0.2 * Math.log1p(words.length) + 0.1 * Math.log1p(codeLines) + 0.05 * Math.log1p(numbers) - 0.1 * questions + 0.1 * fences;
  return 1 / (1 + Math.exp(-logit));
}

export function lengthScore(input: RoutingInput): number {
  let length = input.prompt.length;
  for (const message of input.history ?? []) length += message.content.length;
  return length;
}
