/**
 * A follow-up with nothing of its own ("Why?", "How so?", "Are you sure?",
 * "Pourquoi ?", "为什么？") asks about the answer before it: it needs what
 * the question that answer was for needed. Read alone it is one short word,
 * and "Why?" after a long thread on distributed locks went to the cheap tier
 * (0.039). The scorer scores such a message as the question it follows.
 * "thanks" is not one (it asks nothing: acknowledgement.ts), and neither is a
 * short question with a subject of its own ("what does LWW stand for?",
 * "same in Go please", "which one is faster?"): those are scored as they are.
 */
import type { ChatMessage } from '../types';
import { acknowledgementWord } from './acknowledgement';
import { isUnspacedScript } from './characters';
import type { RoutingInput } from './requestFeatures';

/** Longer messages say something of their own; this also keeps the check cheap for any request. */
const MAX_CHARS = 60;
/** How many earlier user turns are looked through for the question followed (past other bare follow-ups and thanks). */
const TURNS_BACK = 4;

/** Words that ask about the answer before: a bare follow-up has at least one. */
const ASKING_WORDS = new Set(
  (
    'why how sure really mean meant explain elaborate prove justify understand continue details detail exactly certain ' +
    'pourquoi vraiment sûr sûre certain explique expliquer expliquez détaille ' +
    'warum wieso weshalb wirklich sicher erkläre erklären erklärst genauer ' +
    'porque porqué porquê qué quê realmente seguro segura explica explicar explique ' +
    'perché davvero'
  ).split(' '),
);
/** Words that may stand beside them without giving the message a subject of its own. */
const FILLER_WORDS = new Set(
  (
    "so come are you is it that this what do does did not but then and can could would will me i don't dont please " +
    "the a again wait hm hmm huh ok okay go on tell say more exactly that's thats is it's its right correct in other words " +
    'et mais alors ça ca c’est c\'est est tu vous es êtes peux pouvez pas plus le la moi me ' +
    'und aber also das ist du bist sind sie kannst können nicht mehr mir es ' +
    'y pero entonces eso es estás está puedes no más me lo por que e mas então isso você pode'
  ).split(' '),
);
/** Chinese and Japanese: a run of these script's characters is one asking term and a tail that adds nothing. */
const UNSPACED_ASKING = ['为什么', '为啥', '为何', '怎么说', '真的', '确定', '解释', '详细', 'なぜ', 'どうして', 'なんで', '本当', '説明', '詳しく', '確か'];
const UNSPACED_TAILS = new Set(['', '呢', '吗', '嘛', '啊', '一下', '说说', '一点', 'ですか', 'でしょうか', 'なの', 'なのか', 'に', 'して', 'してください']);

/** Whether `prompt` is a follow-up with nothing of its own: short, made only of asking and filler words, at least one asking. */
export function isBareFollowUp(prompt: string): boolean {
  const text = prompt.trim();
  if (text.length === 0 || text.length > MAX_CHARS || text.includes('`')) return false;
  const words = text.toLowerCase().match(/[\p{L}\p{N}'’]+/gu);
  if (!words) return false;
  let asks = false;
  for (const word of words) {
    if (isUnspacedScript(word.charCodeAt(0))) {
      const term = UNSPACED_ASKING.find((asking) => word.startsWith(asking) && UNSPACED_TAILS.has(word.slice(asking.length)));
      if (!term) return false;
      asks = true;
    } else if (ASKING_WORDS.has(word)) asks = true;
    else if (!FILLER_WORDS.has(word)) return false;
  }
  return asks;
}

/**
 * The question a bare follow-up asks about: the newest earlier user turn that is neither a bare follow-up nor an
 * acknowledgement, with the conversation before it (as it was scored when it was sent). Undefined when `input` is
 * not a bare follow-up or no such turn is near.
 */
export function questionFollowedUp(input: RoutingInput): RoutingInput | undefined {
  const history = input.history;
  if (!history || history.length === 0 || !isBareFollowUp(input.prompt)) return undefined;
  let looked = 0;
  for (let m = history.length - 1; m >= 0 && looked < TURNS_BACK; m--) {
    const message: ChatMessage = history[m]!;
    if (message.role !== 'user') continue;
    looked++;
    if (isBareFollowUp(message.content) || acknowledgementWord(message.content)) continue;
    return { task: input.task, prompt: message.content, history: history.slice(0, m) };
  }
  return undefined;
}
