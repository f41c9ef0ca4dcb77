/**
 * The scan's counts as the model sees them: the dense features (logs and
 * buckets of the counts, the word groups found) and the hashed features,
 * each namespace's counts made sub-linear and scaled to unit length.
 */
import { WORD_GROUPS } from './lexicon';
import { INTEGER_NAMES } from './equations';
import type { Bag } from './featureBags';
import { HISTORY } from './featureHashing';
import { DENSE_INDEX, GROUP_OFFSET, type DenseFeature, type RequestFeatures, type RoutingInput } from './requestFeatures';

/** Lines of a pasted log, stack trace or table that count as code in the code's size (setDenseFeatures). */
const MACHINE_LINES_READ = 5;

/** What the scan of a request counts, line by line. */
export type ScanTotals = ReturnType<typeof newScanTotals>;

export function newScanTotals() {
  return {
    proseChars: 0,
    proseWords: 0,
    sentences: 0,
    clauses: 0,
    bigO: 0,
    questions: 0,
    numbers: 0,
    mathSymbols: 0,
    mathNotation: 0,
    choices: 0,
    codeChars: 0,
    codeLines: 0,
    codeBlocks: 0,
    fileListLines: 0,
    concurrent: 0,
    codeHashed: 0,
    traceLines: 0,
    logLines: 0,
    dataLines: 0,
    /** Characters of those machine-output lines (trace, log, table), counted in codeChars too. */
    machineChars: 0,
    /** Words of `inline code` in the prose, not of a file name: something to review is in the request (`src/auth.ts` is not). */
    inlineCode: 0,
    /** Code nouns ("PR", "function", "diff") in the prose: a review word is a code review (CODE_NOUNS). */
    codeNouns: 0,
    /** Lines of maths (an equation or notation, no code marks), and those beyond a polynomial of degree two (lowDegreeEquation). */
    mathLines: 0,
    beyondQuadraticLines: 0,
    /** The lower-case one-letter names of those lines, a bit a letter: unknowns (`x`, the x of `5x`) and functions (`f(`). */
    unknowns: 0,
    functions: 0,
  };
}

/** The conversation before the request, as read by readConversation (conversationWords.ts). */
export interface ConversationCounts {
  historyTurns: number;
  historyChars: number;
  /** Words of the newest user turns that belong to the groups of hard topics. */
  historyHardWords: number;
}

/** Fills `dense` (DENSE_FEATURES order); returns what the stats need besides the totals. */
export function setDenseFeatures(
  dense: Float64Array,
  input: RoutingInput,
  s: ScanTotals,
  files: ReadonlySet<string>,
  conversation: ConversationCounts,
  errorTrace: boolean,
  groupAt: Int32Array,
  groupEnd: Int32Array,
): { lowDegreeEquation: boolean; groupWords: Record<string, string> } {
  const text = input.prompt;
  const { historyTurns, historyChars, historyHardWords } = conversation;
  const set = (name: DenseFeature, value: number) => {
    dense[DENSE_INDEX.get(name)!] = value;
  };
  set('proseChars', Math.log1p(s.proseChars));
  set('proseWords', Math.log1p(s.proseWords));
  // Without code attached, a longer request is a longer problem (maths, knowledge, tasks); with code, length is mostly
  // the code's. A request that names the project's files or folders ("Find every TODO in the files under src/…") is
  // about code that is not attached: its length describes the project, not the steps of a problem.
  set('proseWordsNoCode', s.codeLines === 0 && files.size === 0 && s.fileListLines === 0 ? Math.log1p(s.proseWords) : 0);
  set('wordsUpTo8', s.proseWords <= 8 ? 1 : 0);
  set('wordsUpTo25', s.proseWords > 8 && s.proseWords <= 25 ? 1 : 0);
  set('wordsUpTo80', s.proseWords > 25 && s.proseWords <= 80 ? 1 : 0);
  set('wordsOver80', s.proseWords > 80 ? 1 : 0);
  set('sentences', Math.log1p(s.sentences));
  set('questions', Math.min(s.questions, 5));
  set('clauses', Math.log1p(s.clauses));
  set('bigO', s.bigO > 0 ? 1 : 0);
  set('numbers', Math.log1p(s.numbers));
  set('mathSymbols', Math.log1p(s.mathSymbols));
  set('mathNotation', Math.log1p(s.mathNotation));
  // One unknown: a letter named and never applied as a function ("Let h(x) = …. Find the zeros of h." has one, x).
  const unknowns = s.unknowns & ~s.functions;
  const lowDegreeEquation =
    s.mathLines > 0 && s.beyondQuadraticLines === 0 && unknowns !== 0 && (unknowns & (unknowns - 1)) === 0 && (unknowns & INTEGER_NAMES) === 0 && s.codeLines === 0 && files.size === 0;
  set('lowDegreeEquation', lowDegreeEquation ? 1 : 0);
  set('choices', s.choices >= 3 ? 1 : 0);
  // A pasted log, stack trace or table counts as a few lines of code however long it is: its length says how long
  // the program ran, not how much there is to read (one line repeated, one frame after another). Counted in full,
  // 30 lines of an nginx log with "what does it mean?" weighed as 30 lines of code to understand.
  const machineLines = s.traceLines + s.logLines + s.dataLines;
  const readLines = Math.min(machineLines, MACHINE_LINES_READ);
  const codeLines = s.codeLines - machineLines + readLines;
  const codeChars = s.codeChars - s.machineChars + (machineLines > 0 ? (s.machineChars * readLines) / machineLines : 0);
  set('codeChars', Math.log1p(codeChars));
  set('noCode', codeLines === 0 ? 1 : 0);
  set('codeUpTo20Lines', codeLines > 0 && codeLines <= 20 ? 1 : 0);
  set('codeUpTo200Lines', codeLines > 20 && codeLines <= 200 ? 1 : 0);
  set('codeOver200Lines', codeLines > 200 ? 1 : 0);
  set('codeBlocks', Math.min(s.codeBlocks, 5));
  set('files', Math.log1p(files.size));
  set('fileList', Math.log1p(s.fileListLines));
  set('errorTrace', errorTrace ? 1 : 0);
  set('concurrentCode', Math.log1p(s.concurrent));
  set('historyTurns', Math.log1p(historyTurns));
  set('historyChars', Math.log1p(historyChars));
  set('historyHardTopic', Math.log1p(historyHardWords));
  set('plan', input.task === 'plan' ? 1 : 0);
  const groupWords: Record<string, string> = {};
  WORD_GROUPS.forEach((group, index) => {
    if (groupAt[index] === -1) return;
    dense[GROUP_OFFSET + index] = 1;
    groupWords[group.id] = text.slice(groupAt[index], groupEnd[index]).toLowerCase();
  });
  return { lowDegreeEquation, groupWords };
}

/** The bags' features, sub-linear counts with each namespace scaled to unit length. */
export function hashedFeatures(bags: readonly Bag[]): Pick<RequestFeatures, 'indices' | 'values' | 'namespaces' | 'tokenStart' | 'tokenEnd'> {
  let total = 0;
  for (const bag of bags) total += bag.size;
  const indices = new Int32Array(total);
  const values = new Float32Array(total);
  const namespaces = new Uint8Array(total);
  const tokenStart = new Int32Array(total);
  const tokenEnd = new Int32Array(total);
  let at = 0;
  bags.forEach((bag, namespace) => {
    let norm = 0;
    for (let k = 0; k < bag.size; k++) {
      const value = 1 + Math.log(bag.counts[bag.touched[k]!]!);
      norm += value * value;
    }
    norm = Math.sqrt(norm) || 1;
    for (let k = 0; k < bag.size; k++) {
      const index = bag.touched[k]!;
      indices[at] = index;
      values[at] = (1 + Math.log(bag.counts[index]!)) / norm;
      namespaces[at] = namespace;
      tokenStart[at] = namespace === HISTORY ? -1 : bag.start[index]!;
      tokenEnd[at] = namespace === HISTORY ? -1 : bag.end[index]!;
      at++;
    }
  });
  return { indices, values, namespaces, tokenStart, tokenEnd };
}
