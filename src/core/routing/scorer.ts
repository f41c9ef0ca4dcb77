import { DENSE_FEATURES, extractFeatures, NAMESPACES, type RequestFeatures, type RequestStats, type RoutingInput } from './features';
import { WORD_GROUPS } from './lexicon';
import { shippedRoutingModel, type RoutingModel } from './routingModel';
import { isWordChar } from './characters';
import { quotesSplitWord } from './wordJoins';
import { questionFollowedUp } from './followUp';

/** One thing that pushed the score up (towards the strong tier) or down, in words. */
export interface RoutingFactor {
  text: string;
  /** Its share of the logit: positive = harder. */
  contribution: number;
  /**
   * The text quotes the request (a word the user typed). Such reasons are
   * shown to the user, never written to the ledger or the log, which hold no
   * prompt text.
   */
  quotesRequest?: true;
}

export interface RoutingScore {
  /** In [0, 1]: higher means the request more likely needs the strong tier. */
  score: number;
  /** Largest first, by size. */
  factors: RoutingFactor[];
}

export type Tier = 'cheap' | 'strong';

/** The reason given when a bare follow-up is scored as the question it follows (followUp.ts). */
export const FOLLOW_UP_REASON = 'a follow-up on the answer before it: as hard as the question it follows';

/**
 * Scores a request locally: no model call, no network, no file read. The
 * logit is the model's bias plus each feature's contribution, and the same
 * contributions, grouped the way a person would describe them, are the reasons.
 * A bare follow-up ("Why?") is scored as the question it follows when that
 * scores higher: its own words say only that it is short.
 */
export function scoreRequest(input: RoutingInput, model: RoutingModel = shippedRoutingModel()): RoutingScore {
  const own = scoreOwnWords(input, model);
  const followed = questionFollowedUp(input);
  if (!followed) return own;
  const carried = scoreOwnWords(followed, model);
  if (carried.score <= own.score) return own;
  const factors = [{ text: FOLLOW_UP_REASON, contribution: logit(carried.score) - logit(own.score) }, ...own.factors];
  factors.sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution));
  return { score: carried.score, factors };
}

/** The most lines of the user's code a short "is this ok?" may ask about and still be read by its length (above). */
export const REVIEWED_SNIPPET_LINES = 20;

function logit(p: number): number {
  const clamped = Math.min(1 - 1e-12, Math.max(1e-12, p));
  return Math.log(clamped / (1 - clamped));
}

function scoreOwnWords(input: RoutingInput, model: RoutingModel): RoutingScore {
  const features = extractFeatures(input);
  const families = new Map<string, number>();
  const addTo = (family: string, value: number) => families.set(family, (families.get(family) ?? 0) + value);

  let logit = model.bias;
  const { dense } = features;
  // A review of code that lets input from outside reach a command, a query, a file path or a deserialiser is a security
  // review, as hard however few words ask it ("¿Está bien así?", "这样写有问题吗？"): its length is not counted (the
  // model's average request's), where "short request (3 words)" outweighed the review and the code. So is a review of
  // code that handles passwords, keys or crypto ("ready to ship?" over a password reset), and a question whether more
  // than a snippet of the user's code is right ("Is this good to merge?" over a file, reviewAsk.ts): the answer has to
  // read all of it and find what is wrong, and the few words asking say nothing of how hard that is. Counted, "short
  // request (5 words)" (−1.8) sent "Is this good to merge?" over 100 KB cheap; the model learnt large files mostly from
  // mechanical edits ("rename this" over 45 KB). Over a snippet ("is this ok?" over a two-line average) the length
  // still counts: such a question is often the well-known pitfall a cheap model answers.
  const { reviewOfRiskyCode, reviewAsked, securityReview, codeLines, traceLines, logLines, dataLines } = features.stats;
  const lengthNotCounted = reviewOfRiskyCode || securityReview || (reviewAsked && codeLines - traceLines - logLines - dataLines > REVIEWED_SNIPPET_LINES);
  for (let i = 0; i < DENSE_FEATURES.length; i++) {
    if (lengthNotCounted && DENSE_FAMILY[i] === 'length') continue;
    const contribution = (model.denseWeight[i]! * (dense[i]! - model.denseMean[i]!)) / model.denseStd[i]!;
    if (contribution === 0) continue;
    logit += contribution;
    addTo(DENSE_FAMILY[i]!, contribution);
  }

  // Hashed features: words and word pairs are named one by one (the largest few); code and history as a whole.
  const top = new TopContributions(TOKEN_CANDIDATES);
  const { indices, values, namespaces } = features;
  for (let k = 0; k < indices.length; k++) {
    const contribution = model.hashed[indices[k]!]! * values[k]!;
    if (contribution === 0) continue;
    logit += contribution;
    const namespace = NAMESPACES[namespaces[k]!]!;
    if (namespace === 'word' || namespace === 'pair') top.offer(k, contribution);
    else addTo(namespace, contribution);
  }
  const tokens: RoutingFactor[] = [];
  for (const [k, contribution] of top.entries()) {
    // Function words weigh in the score but make poor reasons, and so do the words of a French elision or a
    // hyphenated pronoun read apart: `mentions "d"` for "d'où" quoted a word cut short.
    const text = tokenText(input.prompt, features, k);
    if (text.split(' ').some((word) => !FUNCTION_WORDS.has(word)) && !quotesSplitWord(input.prompt, features.tokenStart[k]!, features.tokenEnd[k]!)) tokens.push({ text: `mentions "${text}"`, contribution, quotesRequest: true });
  }

  // A word its group's reason already quotes ('design question ("design")') is not named again as
  // 'mentions "design"': its weight joins the group's reason.
  const quotedBy = new Map(Object.entries(features.stats.groupWords).map(([id, word]) => [`mentions "${word}"`, `group:${id}`]));
  const named: RoutingFactor[] = [];
  for (const token of tokens) {
    const group = quotedBy.get(token.text);
    if (group && families.has(group)) addTo(group, token.contribution);
    else named.push(token);
  }

  const factors: RoutingFactor[] = [];
  for (const [family, contribution] of families) {
    const text = describeFamily(family, features.stats);
    if (text) factors.push({ text, contribution });
  }
  // The same word read as a word and as part of a pair is one reason.
  const seen = new Set<string>();
  for (const token of named) {
    if (seen.has(token.text) || seen.size >= 8) continue;
    seen.add(token.text);
    factors.push(token);
  }
  factors.sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution));
  return { score: 1 / (1 + Math.exp(-logit)), factors };
}

/**
 * The main reasons for sending a request to `tier`: the factors that pushed
 * it that way. `recordable` leaves out those that quote the request.
 */
export function reasonsFor(result: RoutingScore, tier: Tier, options: { most?: number; recordable?: boolean } = {}): string[] {
  const most = options.most ?? 3;
  const direction = tier === 'strong' ? 1 : -1;
  const reasons = result.factors
    .filter((factor) => factor.contribution * direction >= MIN_REASON_CONTRIBUTION && !(options.recordable && factor.quotesRequest))
    .slice(0, most)
    .map((factor) => factor.text);
  return reasons.length > 0 ? reasons : [tier === 'strong' ? 'scored above the dial’s threshold' : 'scored below the dial’s threshold'];
}

/** Word features looked at for reasons: enough to find a few that are not function words. */
const TOKEN_CANDIDATES = 24;

/** The `size` largest contributions by magnitude, kept sorted as they are offered: no array of every token. */
class TopContributions {
  private readonly keys: number[] = [];
  private readonly values: number[] = [];
  constructor(private readonly size: number) {}

  offer(key: number, value: number): void {
    const magnitude = Math.abs(value);
    if (this.values.length === this.size && magnitude <= Math.abs(this.values[this.size - 1]!)) return;
    let at = this.values.length;
    while (at > 0 && Math.abs(this.values[at - 1]!) < magnitude) at--;
    this.keys.splice(at, 0, key);
    this.values.splice(at, 0, value);
    if (this.values.length > this.size) {
      this.keys.pop();
      this.values.pop();
    }
  }

  entries(): Array<[number, number]> {
    return this.keys.map((key, i) => [key, this.values[i]!]);
  }
}

const FUNCTION_WORDS = new Set(
  ('a an the and or but if so to of in on at by for with from into about as is are was were be been do does did done have has had ' +
    'i me my we our you your it its this that these those there here what which who how when where can could would should will ' +
    'not no yes please thanks just some any all one me us them they he she his her than then also very too ' +
    // The other languages read (lexiconLanguages.ts): articles, pronouns, prepositions, "is", "have". Left out where
    // the word means something in a request in English: "die", "des", "du", "su", "mit", "em".
    'le la les un une et ou où à au aux dans par pour sur avec sans ce cet cette ces mon ma mes ton ta tes son sa ses ' +
    'notre nos votre vos leur leurs je tu il elle nous vous ils elles te se moi toi lui y ne pas que qui quoi est sont ai ' +
    'el los las una unos unas o de del al en con para es que mi mis tus lo ' +
    'os um uma uns umas e da dos das na nas com meu minha é são ' +
    'der das den dem ein eine einen einem einer und oder zu im von für auf ist sind ich er sie es wir mein meine nicht wie ' +
    '的 了 是 我 你 在 和 の は が を に で と も')
    .split(' '),
);

/** Smaller pushes than this are noise, not reasons. */
const MIN_REASON_CONTRIBUTION = 0.05;

const DENSE_FAMILY: readonly string[] = DENSE_FEATURES.map((name) => {
  if (name.startsWith('group:')) return name;
  if (/^(prose|words|sentences|clauses)/.test(name)) return 'length';
  if (name === 'numbers' || name === 'mathSymbols') return 'numbers';
  if (name === 'mathNotation') return 'mathNotation';
  if (name === 'lowDegreeEquation') return 'lowDegreeEquation';
  if (name.startsWith('code') || name === 'noCode') return 'codeSize';
  if (name === 'files' || name === 'fileList') return 'files';
  if (name.startsWith('history')) return 'history';
  return name;
});

function describeFamily(family: string, stats: RequestStats): string | undefined {
  if (family.startsWith('group:')) {
    const id = family.slice('group:'.length);
    if (id === 'security' && stats.securityReview) return stats.riskyCode ? 'a security review: the code passes input from outside to a command, query, file path, redirect or deserialiser' : 'a security review: the code handles passwords, keys, crypto or permissions';
    if (id === 'review' && stats.reviewAsked) return 'asks whether the attached code is right: a code review';
    const word = stats.groupWords[id];
    const group = WORD_GROUPS.find((g) => g.id === id);
    // A group none of whose words occur still moves the score (the model weighs its absence against the average
    // request), but naming it would tell the user a "lookup question" was found in a request that has none.
    if (!group || word === undefined) return undefined;
    // Only a word of the group's own list is quoted, never other text of the request.
    return group.words.includes(word) || group.ruled?.includes(word) ? `${group.label} ("${word}")` : group.label;
  }
  switch (family) {
    case 'length': {
      const words = stats.proseWords;
      // "short request (0 words)" beside 600 pasted lines reads as a fault: say what was sent.
      if (words === 0) return stats.codeLines === 0 ? 'nothing asked' : onlyMachineOutput(stats) ? `${pastedKind(stats)} only, no question asked` : 'code only, no question asked';
      if (words <= 25) return `short request (${plural(words, 'word')})`;
      return words > 80 ? `long request (${plural(words, 'word')})` : `request of ${plural(words, 'word')}`;
    }
    case 'questions':
      return stats.questions > 1 ? `${stats.questions} questions at once` : stats.questions === 1 ? 'one question' : undefined;
    case 'numbers':
      return stats.numbers === 0 ? undefined : `${plural(stats.numbers, 'number')} to work with`;
    case 'choices':
      return stats.choices >= 3 ? 'multiple-choice question' : undefined;
    case 'codeSize':
      if (stats.codeLines === 0) return stats.reviewUnseen ? 'a code review with nothing attached: either tier can only ask for the code' : 'no code attached';
      if (onlyMachineOutput(stats)) return `${plural(stats.codeLines, 'line')} of ${pastedKind(stats)} pasted`;
      return `${plural(stats.codeLines, 'line')} of code${machineLines(stats) > 0 ? ` and ${pastedKind(stats)}` : ''} attached`;
    case 'code':
      return stats.codeLines === 0 ? undefined : onlyMachineOutput(stats) ? `the kind of ${pastedKind(stats)} pasted` : stats.concurrentCodeTokens > 0 ? 'the kind of code attached (threads, locks or async)' : 'the kind of code attached';
    case 'concurrentCode':
      return stats.concurrentCodeTokens > 0 ? 'attached code uses threads, locks or async' : undefined;
    case 'files':
      if (stats.files > 0) return `names ${plural(stats.files, 'file')}`;
      return stats.fileListLines > 0 ? `lists ${plural(stats.fileListLines, 'file')}` : undefined;
    case 'mathNotation':
      return stats.mathNotation > 0 ? 'mathematical notation' : undefined;
    case 'lowDegreeEquation':
      return stats.lowDegreeEquation ? 'a linear or quadratic equation in one unknown' : undefined;
    case 'bigO':
      return stats.bigO ? 'asks for a complexity bound (O(…))' : undefined;
    case 'errorTrace':
      return stats.errorTrace ? 'includes an error message' : undefined;
    case 'history':
      if (stats.historyTurns === 0) return undefined;
      return stats.historyHardTopic ? `follows ${plural(stats.historyTurns, 'earlier message')} on a hard topic` : `follows ${plural(stats.historyTurns, 'earlier message')}`;
    case 'plan':
      return stats.plan ? 'planning task' : undefined;
    default:
      return undefined;
  }
}

/** Lines pasted that nobody wrote as code: frames of a stack trace, lines of a log, rows of a table. */
function machineLines(stats: RequestStats): number {
  return stats.traceLines + stats.logLines + stats.dataLines;
}

/** The only "code" is machine output: the frames of a pasted stack trace, the lines of a pasted log, a table's rows. */
function onlyMachineOutput(stats: RequestStats): boolean {
  return machineLines(stats) > 0 && machineLines(stats) >= stats.codeLines;
}

/** "stack trace", "log", "table", or what mix of them was pasted. */
function pastedKind(stats: RequestStats): string {
  const kinds = [stats.logLines > 0 && 'log', stats.traceLines > 0 && 'stack trace', stats.dataLines > 0 && 'table'].filter(Boolean);
  return kinds.length === 0 ? 'stack trace' : kinds.length === 1 ? String(kinds[0]) : `${kinds.slice(0, -1).join(', ')} and ${kinds[kinds.length - 1]}`;
}

function tokenText(prompt: string, features: RequestFeatures, k: number): string {
  // "C++", "C#", "F#": the word read is "c", the word typed and meant is "c++" (quoted "in c", it read as cut short).
  let end = features.tokenEnd[k]!;
  while ((prompt.charCodeAt(end) === 43 || prompt.charCodeAt(end) === 35) && end - features.tokenEnd[k]! < 2) end++;
  if (end > features.tokenEnd[k]! && isWordChar(prompt.charCodeAt(end))) end = features.tokenEnd[k]!;
  const text = prompt.slice(features.tokenStart[k]!, end);
  return (text.length > 40 ? `${text.slice(0, 39)}…` : text).toLowerCase();
}

function plural(count: number, noun: string): string {
  return `${count.toLocaleString('en-US')} ${noun}${count === 1 ? '' : 's'}`;
}
