import type { ChatMessage, Task } from '../types';
import { CODE_LINE_KEYWORDS, WORD_GROUPS } from './lexicon';
import { isDigit, isExponentBase, isIdentifierStart, isLatinLetter, isSpace, isUnspacedScript, isUpper, isWordChar, isWordStart, KATAKANA_KIND, unspacedKind } from './characters';
import { CODE_NOUN_BUCKETS, CODE_NOUN_HASHES, REVIEW_GROUP, reviewReading } from './codeContext';
import { INTEGER_NAMES, isQuadraticPower, letterBit } from './equations';
import { addCodeToken, Bag } from './featureBags';
import { bucket, CODE, FNV_OFFSET, FNV_PRIME, HISTORY, lower, NAMESPACES, PAIR, pairHash, WORD, wordHash } from './featureHashing';
import { endsQuestion, fieldShape, fieldsOf, isChoiceLine, isPath, linesIn, middleJumpEnd, nextLineEnd, opensWithWords, trimPunctuation } from './lineShape';
import { lineEnds, lineHashes, lineInline, lineInPath, linePaths, lineStarts, lineSymbol } from './lineWords';
import { callFollows, hasErrorTrace, isCallAt, isExceptionLine, isLevelEnd, isOneChunk, LOG_LEVELS, logPrefixLength, nextLineHasPrefix, sameChars, startsWithGutter, startsWithTimestamp } from './machineOutput';
import { FALSE_FRIEND_HASHES, FALSE_FRIEND_SALT, falseFriendsOf } from './requestLanguage';
import { ruledGroup, RULED_BUCKETS, WHY_SECOND } from './ruledTerms';
import { GROUP_OF_WORD, HARD_TOPIC_GROUPS, LEXICON_BUCKETS, termStartsAt, unspacedTermsAt } from './wordGroupTables';
import { elidedBefore, joinEndsWord } from './wordJoins';

export { HASH_BITS, HASH_SIZE, NAMESPACES, wordHash, type Namespace } from './featureHashing';

/**
 * What the request-routing model sees: a few dense features (lengths, counts,
 * which word groups occur) and hashed word, word-pair and code-token features.
 * One pass over the text, no regular expressions per line and no allocation
 * per token, so a 100 KB request is read in well under a millisecond; the
 * training script calls the same function, so training and routing cannot
 * disagree about what a feature is.
 */

/** What a routing decision is made from: the message being sent and the conversation before it. */
export interface RoutingInput {
  task: Task;
  /** The message as it will be sent, attachments included. */
  prompt: string;
  /** Earlier turns, oldest first. */
  history?: readonly ChatMessage[];
}

/** Code beyond this many characters is counted (lines, size) but not hashed: its first 24 KB say what language and kind it is. */
const CODE_HASH_LIMIT = 24_000;
/** Each earlier user turn contributes at most this many characters of words. */
const HISTORY_TURN_LIMIT = 4_000;
/**
 * Only the newest user turns are read as words, at most this many and this
 * many characters in all (older turns and every assistant turn are only
 * counted): a 100-message conversation cost 2.5 ms to score when each of its
 * 50 user turns was read, and what it is about now is in its last turns.
 */
const HISTORY_TURNS_READ = 8;
const HISTORY_CHARS_READ = 8_000;
/** Prose words beyond this many are counted but not hashed: a pasted document's first pages say what it is. */
const PROSE_HASH_LIMIT = 3_000;
/**
 * A long request is read in full at its start and end, where the question
 * is; lines in between are only counted (as code or prose, like the line
 * before them), so a 100 KB paste costs about as much as a 12 KB one.
 */
const HEAD_CHARS = 8_000;
const TAIL_CHARS = 4_000;
/** A longer line (minified code, a pasted log line) is read this far and counted beyond. */
const LINE_SCAN_CHARS = 2_000;

export const DENSE_FEATURES = [
  'proseChars',
  'proseWords',
  'proseWordsNoCode',
  'wordsUpTo8',
  'wordsUpTo25',
  'wordsUpTo80',
  'wordsOver80',
  'sentences',
  'questions',
  'clauses',
  'bigO',
  'numbers',
  'mathSymbols',
  'mathNotation',
  'lowDegreeEquation',
  'choices',
  'codeChars',
  'noCode',
  'codeUpTo20Lines',
  'codeUpTo200Lines',
  'codeOver200Lines',
  'codeBlocks',
  'files',
  'fileList',
  'errorTrace',
  'concurrentCode',
  'historyTurns',
  'historyChars',
  'historyHardTopic',
  'plan',
  ...WORD_GROUPS.map((group) => `group:${group.id}`),
] as const;
export type DenseFeature = (typeof DENSE_FEATURES)[number];
const DENSE_INDEX = new Map<string, number>(DENSE_FEATURES.map((name, index) => [name, index]));
const GROUP_OFFSET = DENSE_INDEX.get(`group:${WORD_GROUPS[0]!.id}`)!;

/** The facts the dense features were computed from, for reasons a person can read. */
export interface RequestStats {
  proseWords: number;
  questions: number;
  numbers: number;
  choices: number;
  mathNotation: number;
  /** The request's maths is linear or quadratic equations (or expressions) in one unknown: "x^2 = 16", "Solve 2x + 5 = 17." */
  lowDegreeEquation: boolean;
  bigO: boolean;
  codeChars: number;
  codeLines: number;
  /** Of the code lines, those that are frames of a pasted stack trace. */
  traceLines: number;
  /** Of the code lines, those that are lines of a pasted log. */
  logLines: number;
  /** Of the code lines, those that are rows of a pasted table (CSV, tab-separated, markdown). */
  dataLines: number;
  codeBlocks: number;
  files: number;
  fileListLines: number;
  errorTrace: boolean;
  concurrentCodeTokens: number;
  historyTurns: number;
  historyHardTopic: boolean;
  plan: boolean;
  /** A code review is asked ("review my PR") of code the request does not hold: no model can do it from the request. */
  reviewUnseen: boolean;
  /** The first word of each group found in the prose, by group id. */
  groupWords: Record<string, string>;
}

export interface RequestFeatures {
  /** Raw values in DENSE_FEATURES order (the model standardises them). */
  dense: Float64Array;
  /** Hashed features: bucket, value after per-namespace normalisation, namespace. */
  indices: Int32Array;
  values: Float32Array;
  namespaces: Uint8Array;
  /** Where each hashed feature's first token is in the prompt (-1: none, e.g. history). */
  tokenStart: Int32Array;
  tokenEnd: Int32Array;
  stats: RequestStats;
}

const CODE_KEYWORDS = new Set(CODE_LINE_KEYWORDS.map(wordHash));
const IMPORT_WORDS = new Set(['import', 'package', 'using', 'include'].map(wordHash));
const FROM = wordHash('from');
const ATTACHED = wordHash('attached');
const AT = wordHash('at');
const FILE = wordHash('file');
const TRACEBACK = wordHash('traceback');
const EXCEPTION = wordHash('exception');
const IN = wordHash('in');
const THREAD = wordHash('thread');
const CAUSED = wordHash('caused');
const BY = wordHash('by');
const GOROUTINE = wordHash('goroutine');
const CREATED = wordHash('created');

// ---- per-call scratch (one request is scored at a time: the work is synchronous; the line's words: lineWords.ts) ----

let bags: Bag[] | undefined;
let generation = 0;

// ---- the scan ---------------------------------------------------------------

export function extractFeatures(input: RoutingInput): RequestFeatures {
  bags ??= NAMESPACES.map(() => new Bag());
  generation = (generation + 1) | 0 || 1;
  for (const bag of bags) bag.size = 0;
  const dense = new Float64Array(DENSE_FEATURES.length);
  const groupAt = new Int32Array(WORD_GROUPS.length).fill(-1);
  const groupEnd = new Int32Array(WORD_GROUPS.length);
  const text = input.prompt;
  const falseFriends = falseFriendsOf(text);
  linePaths.length = 0;
  const files = new Set<string>();
  const s = {
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
  const [wordBag, pairBag, codeBag, historyBag] = bags as [Bag, Bag, Bag, Bag];

  let inFence = false;
  let previousWasCode = false;
  /** The previous line was a log line: a skipped middle after it is log too. */
  let previousWasLog = false;
  /** The previous line's fields (fieldShape), 0 for none; a skipped middle after a table row is table too. */
  let previousFields = 0;
  let previousWasData = false;
  /** The previous line was a frame of a stack trace (or its header): a call line or source line after it is one too. */
  let previousWasFrame = false;
  /** Where the previous line's first chunk (up to its first space) is, for a prefix repeated line after line. */
  let previousPrefixStart = 0;
  let previousPrefixLength = 0;
  /** The option letter the next multiple-choice line would carry (A, B, C…). */
  let nextChoice = 65;
  let lineStart = 0;
  const length = text.length;
  const middleStart = length > HEAD_CHARS + TAIL_CHARS ? HEAD_CHARS : length + 1;
  const middleEnd = length - TAIL_CHARS;
  let hashedWords = 0;
  while (lineStart <= length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = length;
    // Leading white space and the fence marker.
    let first = lineStart;
    while (first < lineEnd && isSpace(text.charCodeAt(first))) first++;
    const c0 = text.charCodeAt(first);
    if (first + 2 < lineEnd + 1 && (c0 === 96 || c0 === 126) && text.charCodeAt(first + 1) === c0 && text.charCodeAt(first + 2) === c0) {
      if (!inFence) s.codeBlocks++;
      inFence = !inFence;
      previousWasCode = false;
      previousWasLog = false;
      previousWasFrame = false;
      previousWasData = false;
      previousFields = 0;
      lineStart = lineEnd + 1;
      continue;
    }
    if (first === lineEnd) {
      lineStart = lineEnd + 1;
      continue;
    }
    const to = lineStart >= middleStart && lineEnd < middleEnd ? middleJumpEnd(text, lineStart, middleEnd) : lineStart;
    if (to > lineStart) {
      // The middle of a long request: jump to the next fence or to the tail, counting what is skipped.
      const skipped = to - lineStart;
      if (inFence || previousWasCode) {
        s.codeChars += skipped;
        const lines = linesIn(text, lineStart, to);
        s.codeLines += lines;
        if (previousWasLog && !inFence) s.logLines += lines;
        if (previousWasData && !inFence) s.dataLines += lines;
      } else {
        s.proseChars += skipped;
        s.proseWords += Math.ceil(skipped / 6);
      }
      lineStart = to;
      continue;
    }
    if (inFence) {
      s.codeLines++;
      s.codeChars += lineEnd - lineStart;
      if (s.codeHashed < CODE_HASH_LIMIT) {
        s.codeHashed += lineEnd - lineStart;
        s.concurrent += hashCode(text, first, lineEnd, codeBag);
      }
      lineStart = lineEnd + 1;
      continue;
    }

    // A line outside a fence: words, punctuation and shape in one pass.
    let words = 0;
    let letters = 0;
    let nonSpace = 0;
    let symbols = 0;
    let mathSymbols = 0;
    let mathNotation = 0;
    let questions = 0;
    let sentenceEnds = 0;
    let clauses = 0;
    let bigO = 0;
    let numbers = 0;
    let last = 0;
    let pathLike = false;
    let chunkStart = first;
    let chunkHasSlash = false;
    let chunkDot = -1;
    /** Code punctuation in a chunk rules out a path before the costlier check. */
    let chunkHasSymbol = false;
    let inline = false;
    /** Which of the line's first words is a log level in capitals (INFO, WARN, ERROR…), -1: none. */
    let levelWord = -1;
    let keyValues = 0;
    /** Marks only code has (`;`, braces, quotes, `==`, `=>`, `a.b`…): with none, a line in notation is maths. */
    let codeMarks = 0;
    /** `=` alone (not `==`, `=>`, `!=`, `:=`), a one-letter function applied (`f(x)`, `g(3)`), a coefficient (`5x`). */
    let equals = 0;
    let oneLetterCalls = 0;
    let coefficients = 0;
    /** Numbers and one-letter names other than "a" and "I" (`f`, `x`, `5x`): symbols, not words, in a line of maths. */
    let symbolWords = 0;
    /**
     * What says a line of maths is more than a linear or quadratic equation in one unknown: an exponent above 2 or on a
     * number or a letter of a longer word, a named function (`sqrt(`, `sin(`, `log_2(`), a function of a function
     * (`f(f(x))`), an absolute value, a number of four digits or more, a symbol such as √ ∑ ≡; and the unknowns it
     * names (one-letter names not applied, the letter of `5x`) and functions it applies (`f(`).
     */
    let beyondQuadratic = 0;
    let lineUnknowns = 0;
    let lineFunctions = 0;
    /** A table row's separators (fieldShape): commas with no space after them, tabs, pipes. */
    let tightCommas = 0;
    let tabs = 0;
    let pipes = 0;
    /**
     * Chinese and Japanese characters are read one a word (hashed, and for the line's shape) but counted as the words
     * a reader would see: a new word where the script changes (kanji, hiragana, katakana), every two characters
     * within a run of kanji or hiragana (Chinese words are mostly two characters), a katakana run one word. Counted a
     * character a word, a 40-character Japanese question was a "long request". Intl.Segmenter counts better but costs
     * about 1 µs a character (5 ms for 4,000 characters on Node 20), against a budget of 1 ms for the whole request.
     */
    let unspacedExtra = 0;
    let runKind = 0;
    let runLength = 0;
    let runEnd = -1;
    const scanEnd = Math.min(lineEnd, first + LINE_SCAN_CHARS);
    let i = first;
    while (i <= scanEnd) {
      const c = i < scanEnd ? text.charCodeAt(i) : 32;
      if (isUnspacedScript(c)) {
        // Chinese and Japanese: a word at every character, read exactly as the general word path below reads one
        // (one character hashed, a letter, no path, symbol or log level), in fewer steps: in a long request in these
        // scripts this is nearly every step of the scan, and the general path made it the slowest shape to score.
        if (words < lineHashes.length) {
          lineHashes[words] = Math.imul(FNV_OFFSET ^ c, FNV_PRIME) | 0;
          lineStarts[words] = i;
          lineEnds[words] = i + 1;
          lineInline[words] = inline ? 1 : 0;
          lineInPath[words] = 0;
          lineSymbol[words] = 0;
        }
        const kind = unspacedKind(c);
        if (kind !== runKind || runEnd !== i) {
          runKind = kind;
          runLength = 0;
        }
        if (runLength > 0 && (kind === KATAKANA_KIND || runLength % 2 === 1)) unspacedExtra++;
        runLength++;
        runEnd = i + 1;
        words++;
        letters++;
        nonSpace++;
        last = c;
        i++;
        continue;
      }
      if (isSpace(c)) {
        if (c === 9) tabs++;
        if (chunkStart < i && !chunkHasSymbol && (chunkHasSlash || chunkDot > chunkStart)) {
          if (isPath(text, chunkStart, i, chunkHasSlash, chunkDot)) {
            pathLike = true;
            for (let w = Math.min(words, lineHashes.length) - 1; w >= 0 && lineStarts[w]! >= chunkStart; w--) lineInPath[w] = 1;
            if (linePaths.length < 64) linePaths.push(text.slice(chunkStart, trimPunctuation(text, chunkStart, i)));
          }
        }
        chunkStart = i + 1;
        chunkHasSlash = false;
        chunkHasSymbol = false;
        chunkDot = -1;
        i++;
        continue;
      }
      nonSpace++;
      last = c;
      if (c === 47 || c === 92) chunkHasSlash = true;
      else if (c === 46) chunkDot = i;
      if (c === 79 && text.charCodeAt(i + 1) === 40 && (i === first || !isWordChar(text.charCodeAt(i - 1)))) bigO++;
      if (isWordStart(c)) {
        // One word (letters, digits, _, inner - and '), hashed as it is read.
        const wordStart = i;
        const numeric = c >= 48 && c <= 57;
        let hash = FNV_OFFSET;
        while (i < scanEnd) {
          const d = text.charCodeAt(i);
          // Chinese and Japanese are written without spaces: each character is read as a word of its own.
          if (i > wordStart && (isUnspacedScript(d) || isUnspacedScript(c))) break;
          if (isWordChar(d) || ((d === 45 || d === 39) && i + 1 < scanEnd && isWordChar(text.charCodeAt(i + 1)) && i > wordStart && !joinEndsWord(text, wordStart, i, scanEnd))) {
            hash = Math.imul(hash ^ lower(d), FNV_PRIME);
            if (d >= 65) letters++;
            i++;
          } else if (numeric && (d === 46 || d === 44) && i + 1 < scanEnd && isDigit(text.charCodeAt(i + 1))) {
            i++;
          } else break;
        }
        if (words < lineHashes.length) {
          lineHashes[words] = numeric ? 0 : hash | 0;
          lineStarts[words] = wordStart;
          lineEnds[words] = i;
          lineInline[words] = inline ? 1 : 0;
          lineInPath[words] = 0;
        }
        if (words < 3 && levelWord < 0 && !numeric && LOG_LEVELS.has(hash >>> 0) && isUpper(c) && isUpper(text.charCodeAt(i - 1))) levelWord = words;
        if (i - wordStart === 1 && !numeric && text.charCodeAt(i) === 40) oneLetterCalls++;
        else if (numeric && isLatinLetter(text.charCodeAt(i - 1)) && i - wordStart >= 2 && isDigit(text.charCodeAt(i - 2))) coefficients++;
        // "l'équation": an elided article, not a name.
        const oneLetterName = i - wordStart === 1 && isLatinLetter(c) && c !== 97 && c !== 65 && c !== 73 && !elidedBefore(text, i);
        if (words < lineHashes.length) lineSymbol[words] = oneLetterName ? 1 : 0;
        if (oneLetterName) {
          // `f(x)`: f is a function, x the unknown. A capital is a unit, a point or a set ("1 L", "triangle ABC").
          if (text.charCodeAt(i) === 40) {
            lineFunctions |= letterBit(c);
            // `f(f(x))`, `f(g(3))`: a function of a function; of a quadratic, a quartic.
            if (isLatinLetter(text.charCodeAt(i + 1)) && text.charCodeAt(i + 2) === 40) beyondQuadratic++;
          } else lineUnknowns |= letterBit(c);
        } else if (numeric) {
          let digitsEnd = wordStart;
          while (digitsEnd < i && isDigit(text.charCodeAt(digitsEnd))) digitsEnd++;
          if (digitsEnd - wordStart >= 4) beyondQuadratic++;
          // A coefficient: `5x` names x; `2sin` is no polynomial.
          if (digitsEnd === i - 1 && isLatinLetter(text.charCodeAt(i - 1))) lineUnknowns |= letterBit(text.charCodeAt(i - 1));
          else if (digitsEnd < i && isLatinLetter(text.charCodeAt(digitsEnd))) beyondQuadratic++;
        } else if (i - wordStart > 1 && text.charCodeAt(i) === 40) beyondQuadratic++;
        if (numeric || oneLetterName) symbolWords++;
        words++;
        if (numeric) numbers++;
        nonSpace += i - wordStart - 1;
        last = text.charCodeAt(i - 1);
        continue;
      }
      switch (c) {
        case 123: case 125: case 59: case 91: case 93:
          codeMarks++;
          symbols++;
          chunkHasSymbol = true;
          break;
        case 40: case 41: case 60: case 62:
          symbols++;
          chunkHasSymbol = true;
          break;
        case 34: case 35: case 64:
          codeMarks++;
          break;
        case 38: case 124:
          if (text.charCodeAt(i + 1) === c) codeMarks++;
          if (c === 124) {
            pipes++;
            // An absolute value, `|x^2 - 4| = 3x`: cases to check, not one equation.
            beyondQuadratic++;
          }
          break;
        case 61: {
          symbols++;
          mathSymbols++;
          chunkHasSymbol = true;
          const before = i > first ? text.charCodeAt(i - 1) : 0;
          const after = text.charCodeAt(i + 1);
          if (after === 61 || after === 62 || before === 61 || before === 33 || before === 58) codeMarks++;
          else if (before !== 60 && before !== 62) equals++;
          // key=value, as logfmt and most loggers write fields (not ` = `, `==`, `=>`).
          if (i > first && isWordChar(text.charCodeAt(i - 1)) && i + 1 < scanEnd && !isSpace(text.charCodeAt(i + 1)) && text.charCodeAt(i + 1) !== 61 && text.charCodeAt(i + 1) !== 62) keyValues++;
          break;
        }
        case 45:
          if (text.charCodeAt(i + 1) === 62) codeMarks++;
          break;
        case 94:
          // An exponent has a base right before it (x^2, (a+b)^n); a caret after a space, `/`, `[` or `(` is a regex anchor or negation.
          if (i > first && isExponentBase(text.charCodeAt(i - 1))) {
            mathSymbols++;
            mathNotation++;
            if (!isQuadraticPower(text, first, i)) beyondQuadratic++;
          }
          break;
        case 43: case 42: case 37: case 36: case 215: case 247:
          mathSymbols++;
          break;
        case 8730: case 8721: case 8747: case 8734: case 8712: case 8704: case 8707: case 8804: case 8805: case 8800: case 937: case 960: case 8594: case 8801:
          // √ ∑ ∫ ∞ ∈ ∀ ∃ ≤ ≥ ≠ Ω π → ≡
          mathNotation++;
          beyondQuadratic++;
          break;
        case 96:
          inline = !inline;
          codeMarks++;
          break;
        case 63:
          // A question ends at its mark; a `?` inside a token (`(?:`, `a?.b`, `x=?`) or `inline code` is a regex or an operator.
          if (!inline && endsQuestion(text, i + 1, lineEnd)) {
            questions++;
            sentenceEnds++;
          }
          break;
        case 46: case 33:
          sentenceEnds++;
          // A member access (`items.append`); numbers such as 3.5 were read whole as words.
          if (c === 46 && i > first && isWordChar(text.charCodeAt(i - 1)) && isWordChar(text.charCodeAt(i + 1))) codeMarks++;
          break;
        case 44: case 58:
          clauses++;
          if (c === 44 && i + 1 < lineEnd && !isSpace(text.charCodeAt(i + 1))) tightCommas++;
          break;
      }
      i++;
    }
    const readWords = Math.min(words, lineHashes.length);
    if (lineEnd > scanEnd) {
      // The unread rest of a very long line, counted at the rate of what was read.
      const scale = (lineEnd - first) / Math.max(1, scanEnd - first);
      words = Math.round(words * scale);
      unspacedExtra = Math.round(unspacedExtra * scale);
      numbers = Math.round(numbers * scale);
      letters = Math.round(letters * scale);
      nonSpace = Math.round(nonSpace * scale);
      let end = lineEnd;
      while (end > scanEnd && isSpace(text.charCodeAt(end - 1))) end--;
      last = text.charCodeAt(end - 1);
    }
    const firstHash = words > 0 ? lineHashes[0]! >>> 0 : 0;
    const wordy = words >= 5 && letters >= nonSpace * 0.75;
    // A stack frame ("    at handler (src/a.js:10:15)", '  File "a.py", line 10, in f') is machine output, not
    // words the user wrote: read as prose, 60 frames made "What is wrong?" a "long request (611 words)".
    // Java indents its frames with one tab.
    const indented = first - lineStart >= 2 || (first > lineStart && text.charCodeAt(first - 1) === 9);
    const secondHash = words > 1 ? lineHashes[1]! >>> 0 : 0;
    const stackFrame: boolean =
      // Node, Java, .NET: `at f (a.js:1:2)`, `\tat a.B.c(B.java:12)`, `at lambda_method(Closure , Object[] )`.
      (firstHash === AT && indented && (last === 41 || isDigit(last)) && (numbers > 0 || callFollows(text, lineEnds[0]!, lineEnd))) ||
      (firstHash === FILE && text.charCodeAt(first + 5) === 34 && numbers > 0) ||
      (firstHash === TRACEBACK && last === 58) ||
      // Java's header and causes: `Exception in thread "main" java.lang.…`, `Caused by: …`, `\t... 12 more`.
      (firstHash === EXCEPTION && secondHash === IN && words > 2 && lineHashes[2]! >>> 0 === THREAD) ||
      (firstHash === CAUSED && secondHash === BY && text.charCodeAt(lineEnds[1]!) === 58) ||
      (indented && text.startsWith('... ', first) && numbers > 0 && words === 2) ||
      // Go: `goroutine 7 [running]:`, `created by main.main in goroutine 1`, `\t/src/srv.go:87 +0x1c`, and the
      // calls between them (`main.(*Server).handle(0x0, …)`); Rust's numbered frames `  3: store::Store::compact`.
      (firstHash === GOROUTINE && numbers > 0 && last === 58) ||
      (firstHash === CREATED && secondHash === BY && previousWasFrame) ||
      (indented && pathLike && numbers > 0 && !wordy && questions === 0) ||
      (previousWasFrame && last === 41 && isCallAt(text, first, lineEnd)) ||
      (indented && words > 1 && lineHashes[0] === 0 && text.charCodeAt(lineEnds[0]!) === 58 && isOneChunk(text, lineEnds[0]! + 1, lineEnd)) ||
      // .NET between rethrows.
      (text.startsWith('--- End of ', first) && last === 45) ||
      // The exception a trace ends (Python) or starts (Java, .NET) with: `_pickle.PicklingError: Can't pickle …`.
      (questions === 0 && isExceptionLine(text, first, lineEnd));
    if (stackFrame) s.traceLines++;
    // A log line ("2026-12-01T10:00:00Z INFO …", "[12:00:01] WARN …", "level=info msg=… user=…", "web_1  | …")
    // is machine output too: read as prose, a pasted log made "long request (16,656 words), 876 numbers".
    const prefixLength = logPrefixLength(text, first, lineEnd);
    // The first line of a run has no line before it with its prefix: the line after it says (a log pasted with no
    // question was otherwise read from a line of prose).
    const repeatedPrefix =
      prefixLength > 0 &&
      ((prefixLength === previousPrefixLength && sameChars(text, previousPrefixStart, first, prefixLength)) || nextLineHasPrefix(text, lineEnd, first, prefixLength));
    previousPrefixStart = first;
    previousPrefixLength = prefixLength;
    const logLine =
      !stackFrame &&
      // "ERROR: I keep getting this, what do I do?" is a person's.
      questions === 0 &&
      (startsWithTimestamp(text, first, lineEnd) ||
        (levelWord === 0 && isLevelEnd(text.charCodeAt(lineEnds[0]!))) ||
        (levelWord > 0 && (c0 === 91 || isDigit(c0))) ||
        (keyValues >= 3 && words <= keyValues * 4) ||
        repeatedPrefix);
    // A row of a pasted table ("1,Ben B.,Berlin,2025-02-02", tab-separated, "| a | b |") has the fields of the row
    // before or after it: read as prose, 60 rows of CSV made "turn this into a markdown table" a 310-word request.
    const fields = stackFrame || logLine || questions > 0 ? 0 : fieldsOf(c0, tightCommas, tabs, pipes);
    const dataLine = fields > 0 && (fields === previousFields || fields === fieldShape(text, lineEnd + 1, nextLineEnd(text, lineEnd)));
    previousFields = fields;
    previousWasData = dataLine;
    if (dataLine) s.dataLines++;
    if (logLine) s.logLines++;
    // The paths in a log line are mostly URLs served (`GET /api/orders/7`), not files of the project; a table's cells are data.
    else if (!dataLine) for (const path of linePaths) if (files.size < 64) files.add(path);
    linePaths.length = 0;
    previousWasLog = logLine;
    // "Solve for x: 2^(x+1) = 32." and "If f(x) = x^2 - 5x + 6, find all x with f(x) = 0." are maths questions, however
    // dense their brackets and `=`, and "If" or "Select" opens a sentence as often as code.
    const sentence = (last === 46 || last === 63) && opensWithWords(text, first, lineEnd);
    // "Simplify (x^2-4)/(x-2)." and "f(x) = 3x + 2, what is f(4)" are maths however they open or end: notation (an
    // exponent, a one-letter function or a coefficient in an equation) and none of the marks only code has.
    const maths = codeMarks === 0 && (mathNotation > 0 || ((oneLetterCalls > 0 || coefficients > 0) && equals > 0));
    const isCode =
      last === 59 || last === 123 || last === 125 ||
      (c0 === 62 && text.charCodeAt(first + 1) === 62 && text.charCodeAt(first + 2) === 62) ||
      (IMPORT_WORDS.has(firstHash) && words <= 8 && !wordy) ||
      (firstHash === FROM && words <= 8 && lineHasWord(readWords, IMPORT_WORDS)) ||
      (CODE_KEYWORDS.has(firstHash) && (symbols > 0 || last === 58) && !wordy && !sentence && !maths) ||
      (symbols >= 3 && symbols >= nonSpace * 0.12 && words <= 10 && !sentence && !maths) ||
      (previousWasCode && first - lineStart >= 2 && !wordy) ||
      // The source line Python prints under a frame; rustc's gutter (`  |`, `3 |     let x = …`) and its ` --> a.rs:4:5`.
      (previousWasFrame && first - lineStart >= 4) ||
      startsWithGutter(text, first, lineEnd) ||
      (c0 === 45 && text.startsWith('--> ', first)) ||
      stackFrame ||
      logLine ||
      dataLine;
    previousWasFrame = stackFrame;
    // "Attached src/app.ts:3-7:" and plan headers name files; a bare path is a file list line.
    const header = pathLike && last === 58 && (firstHash === ATTACHED || words <= 8);
    // A listing names files and nothing else; "Review src/auth.ts" (or a Plan's "Goal: Review src/auth.ts") asks
    // something of them: read as a listing, its "review" was never read and it was "nothing asked".
    const bareList = pathLike && !isCode && words <= 6 && !wordy && questions === 0 && !asksBesidePaths(text, readWords);
    if (header || bareList) {
      if (bareList && !header) s.fileListLines++;
      previousWasCode = false;
      lineStart = lineEnd + 1;
      continue;
    }
    if (isCode) {
      s.codeLines++;
      s.codeChars += lineEnd - lineStart;
      if (s.codeHashed < CODE_HASH_LIMIT) {
        // The line's words were hashed while it was read: they become code tokens.
        s.codeHashed += lineEnd - lineStart;
        for (let w = 0; w < readWords; w++) {
          const hash = lineHashes[w]! >>> 0;
          // Every Go panic names a goroutine and most Java traces end in Thread.run: a frame says where, not that
          // the code is concurrent.
          if (hash !== 0) s.concurrent += addCodeToken(codeBag, hash, lineStarts[w]!, lineEnds[w]!, generation) && !stackFrame ? 1 : 0;
        }
      }
      previousWasCode = true;
      lineStart = lineEnd + 1;
      continue;
    }
    previousWasCode = false;

    // Prose.
    if (isChoiceLine(text, first, lineEnd, nextChoice)) {
      s.choices++;
      nextChoice++;
    }
    s.proseChars += lineEnd - first;
    // "If f(x) = x^2 - 5x + 6, find all x with f(x) = 0." is five words and an equation, not fifteen words: read as
    // words, its symbols made a textbook exercise as long as a word problem.
    const equation = codeMarks === 0 && (mathNotation > 0 || (equals > 0 && symbolWords > 0));
    if (equation) {
      s.mathLines++;
      if (beyondQuadratic > 0) s.beyondQuadraticLines++;
      s.unknowns |= lineUnknowns;
      s.functions |= lineFunctions;
    }
    s.proseWords += equation ? Math.max(1, words - unspacedExtra - symbolWords) : words - unspacedExtra;
    s.questions += questions;
    s.sentences += sentenceEnds;
    s.clauses += clauses;
    s.bigO += bigO;
    s.numbers += numbers;
    s.mathSymbols += mathSymbols;
    s.mathNotation += mathNotation;
    let previous = 0;
    const held = hashedWords < PROSE_HASH_LIMIT ? readWords : 0;
    hashedWords += held;
    for (let w = 0; w < held; w++) {
      let hash = lineHashes[w]! >>> 0;
      if (hash === 0) {
        previous = 0;
        continue;
      }
      if (falseFriends?.has(hash)) hash = (hash ^ FALSE_FRIEND_SALT) >>> 0;
      const start = lineStarts[w]!;
      const end = lineEnds[w]!;
      const terms = end - start === 1 && !lineInPath[w] ? unspacedTermsAt(text, start) : undefined;
      if (terms) {
        for (const term of terms) {
          if (groupAt[term.group] === -1 && termStartsAt(text, start, term)) {
            groupAt[term.group] = start;
            groupEnd[term.group] = start + term.term.length;
          }
        }
      }
      if (lineInline[w]) {
        if (!lineInPath[w]) s.inlineCode++;
        codeBag.add(bucket(hash, CODE), generation, start, end);
        previous = 0;
        continue;
      }
      if (equation && lineSymbol[w]) {
        // The x and f of an equation say nothing of what is asked; as words they had learnt "competition problem".
        previous = 0;
        continue;
      }
      const wordBucket = bucket(hash, WORD);
      wordBag.add(wordBucket, generation, start, end);
      if (CODE_NOUN_BUCKETS[wordBucket] && CODE_NOUN_HASHES.has(hash)) s.codeNouns++;
      if (previous !== 0) pairBag.add(bucket(pairHash(previous, hash), PAIR), generation, lineStarts[w - 1]!, end);
      previous = hash;
      if ((LEXICON_BUCKETS[wordBucket] || RULED_BUCKETS[wordBucket]) && !lineInPath[w]) {
        // Buckets are shared ("port" and "meaning" share one): the word itself decides.
        const group = GROUP_OF_WORD.get(hash) ?? (RULED_BUCKETS[wordBucket] ? ruledGroup(text, w, readWords, hash, questions > 0, falseFriends === FALSE_FRIEND_HASHES[0]) : -1);
        if (group >= 0 && groupAt[group] === -1) {
          // "por qué" is quoted from its first word.
          groupAt[group] = WHY_SECOND.has(hash) ? lineStarts[w - 1]! : start;
          groupEnd[group] = end;
        }
      }
    }
    lineStart = lineEnd + 1;
  }

  // The conversation so far: earlier user turns as words, assistant turns as size.
  let historyTurns = 0;
  let historyChars = 0;
  let historyHardWords = 0;
  const history = input.history ?? [];
  // Newest first, what each read turn may take; then read oldest first, the order training saw.
  const reads: Array<{ message: ChatMessage; to: number }> = [];
  let budget = HISTORY_CHARS_READ;
  for (let m = history.length - 1; m >= 0; m--) {
    const message = history[m]!;
    historyChars += message.content.length;
    if (message.role !== 'user') continue;
    historyTurns++;
    if (reads.length < HISTORY_TURNS_READ && budget > 0) {
      const to = Math.min(message.content.length, HISTORY_TURN_LIMIT, budget);
      budget -= to;
      reads.push({ message, to });
    }
  }
  for (let r = reads.length - 1; r >= 0; r--) historyHardWords += hashWords(reads[r]!.message.content, reads[r]!.to, historyBag);

  // "review" is a code review only where there is code to review: "It established judicial review" asks for none, and
  // "Can you review my PR?" with nothing attached gets the same answer from either tier (paste the diff).
  let reviewUnseen = false;
  if (groupAt[REVIEW_GROUP] !== -1) {
    const reading = reviewReading(input, s.codeLines + s.inlineCode, files.size + s.fileListLines + s.codeNouns);
    if (reading !== 'code') groupAt[REVIEW_GROUP] = -1;
    reviewUnseen = reading === 'unseen';
  }

  const errorTrace = hasErrorTrace(text);
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
  set('codeChars', Math.log1p(s.codeChars));
  set('noCode', s.codeLines === 0 ? 1 : 0);
  set('codeUpTo20Lines', s.codeLines > 0 && s.codeLines <= 20 ? 1 : 0);
  set('codeUpTo200Lines', s.codeLines > 20 && s.codeLines <= 200 ? 1 : 0);
  set('codeOver200Lines', s.codeLines > 200 ? 1 : 0);
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

  // Sub-linear counts, then each namespace scaled to unit length.
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

  return {
    dense,
    indices,
    values,
    namespaces,
    tokenStart,
    tokenEnd,
    stats: {
      proseWords: s.proseWords,
      questions: s.questions,
      numbers: s.numbers,
      choices: s.choices,
      mathNotation: s.mathNotation,
      lowDegreeEquation,
      bigO: s.bigO > 0,
      codeChars: s.codeChars,
      codeLines: s.codeLines,
      traceLines: s.traceLines,
      logLines: s.logLines,
      dataLines: s.dataLines,
      codeBlocks: s.codeBlocks,
      files: files.size,
      fileListLines: s.fileListLines,
      errorTrace,
      concurrentCodeTokens: s.concurrent,
      historyTurns,
      historyHardTopic: historyHardWords > 0,
      plan: input.task === 'plan',
      reviewUnseen,
      groupWords,
    },
  };

  function hashCode(source: string, from: number, to: number, bag: Bag): number {
    let concurrent = 0;
    let i = from;
    while (i < to) {
      const c = source.charCodeAt(i);
      if (!isIdentifierStart(c)) {
        i++;
        continue;
      }
      const start = i;
      let hash = FNV_OFFSET;
      while (i < to) {
        const d = source.charCodeAt(i);
        if (!isWordChar(d) && d !== 36) break;
        hash = Math.imul(hash ^ lower(d), FNV_PRIME);
        i++;
      }
      concurrent += addCodeToken(bag, hash >>> 0, start, i, generation);
    }
    return concurrent;
  }

  /** Hashes the words of an earlier turn; returns how many belong to the groups of hard topics. */
  function hashWords(source: string, to: number, bag: Bag): number {
    let hard = 0;
    let i = 0;
    while (i < to) {
      if (!isWordStart(source.charCodeAt(i)) || isDigit(source.charCodeAt(i))) {
        i++;
        continue;
      }
      let hash = FNV_OFFSET;
      const start = i;
      while (i < to && isWordChar(source.charCodeAt(i))) {
        if (i > start && (isUnspacedScript(source.charCodeAt(i)) || isUnspacedScript(source.charCodeAt(start)))) break;
        hash = Math.imul(hash ^ lower(source.charCodeAt(i)), FNV_PRIME);
        i++;
      }
      hash >>>= 0;
      if (falseFriends?.has(hash)) hash = (hash ^ FALSE_FRIEND_SALT) >>> 0;
      bag.add(bucket(hash, HISTORY), generation, -1, -1);
      if (LEXICON_BUCKETS[bucket(hash, WORD)] && HARD_TOPIC_GROUPS.has(GROUP_OF_WORD.get(hash) ?? -1)) hard++;
      const terms = i - start === 1 ? unspacedTermsAt(source, start) : undefined;
      if (terms) for (const term of terms) if (HARD_TOPIC_GROUPS.has(term.group) && termStartsAt(source, start, term)) hard++;
    }
    return hard;
  }

  /**
   * A word of the line outside its paths says something of them: not a number, a one-letter status (git's `M`, `A`)
   * or a label (`modified:`, `Goal:`).
   */
  function asksBesidePaths(source: string, count: number): boolean {
    for (let w = 0; w < count; w++) {
      if (lineInPath[w] || lineHashes[w] === 0 || lineEnds[w]! - lineStarts[w]! <= 1 || source.charCodeAt(lineEnds[w]!) === 58) continue;
      return true;
    }
    return false;
  }

  function lineHasWord(count: number, set: ReadonlySet<number>): boolean {
    for (let w = 1; w < count; w++) if (set.has(lineHashes[w]! >>> 0)) return true;
    return false;
  }
}

