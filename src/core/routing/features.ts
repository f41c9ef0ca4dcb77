import { CODE_LINE_KEYWORDS, WORD_GROUPS } from './lexicon';
import { isDigit, isSpace } from './characters';
import { REVIEW_GROUP, reviewReading, SECURITY_GROUP } from './codeContext';
import { readConversation } from './conversationWords';
import { addCodeToken, addCodeTokens, Bag } from './featureBags';
import { NAMESPACES, wordHash } from './featureHashing';
import { hashedFeatures, newScanTotals, setDenseFeatures } from './featureVectors';
import { scanLine, scanned } from './lineScan';
import { fieldShape, fieldsOf, isChoiceLine, linesIn, middleJumpEnd, nextLineEnd, opensWithWords } from './lineShape';
import { asksBesidePaths, lineEnds, lineHashes, lineHasWord, linePaths, lineStarts } from './lineWords';
import { callFollows, hasErrorTrace, isCallAt, isDiagnosticBody, isDiagnosticHeader, isExceptionLine, isLevelEnd, isOneChunk, logPrefixLength, nextLineHasPrefix, sameChars, startsWithGutter, startsWithTimestamp } from './machineOutput';
import { addProseWords, type ProseTarget } from './proseWords';
import { DENSE_FEATURES, type RequestFeatures, type RoutingInput } from './requestFeatures';
import { falseFriendsOf } from './requestLanguage';
import { REVIEW_ASK_MAX_WORDS, reviewAskIn } from './reviewAsk';
import { groupIndex } from './wordGroupTables';

export { HASH_BITS, HASH_SIZE, NAMESPACES, wordHash, type Namespace } from './featureHashing';
export { DENSE_FEATURES, type DenseFeature, type RequestFeatures, type RequestStats, type RoutingInput } from './requestFeatures';

/**
 * The scan of a request, line by line: fences, the skipped middle of a long
 * request, code, machine output (stack traces, logs, tables) and prose; the
 * line's own reading is lineScan.ts, its prose words proseWords.ts, the
 * conversation conversationWords.ts, the vectors featureVectors.ts.
 */

/** Code beyond this many characters is counted (lines, size) but not hashed: its first 24 KB say what language and kind it is. */
const CODE_HASH_LIMIT = 24_000;
/** Prose words beyond this many are counted but not hashed: a pasted document's first pages say what it is. */
const PROSE_HASH_LIMIT = 3_000;
/**
 * A long request is read in full at its start and end, where the question
 * is; lines in between are only counted (as code or prose, like the line
 * before them), so a 100 KB paste costs about as much as a 12 KB one.
 */
const HEAD_CHARS = 8_000;
const TAIL_CHARS = 4_000;

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
/** Groups that ask for something other than a verdict on the code: "Convert this to TypeScript, is it ok?" is a conversion. */
const OTHER_TASK_GROUPS = ['mechanical', 'convert', 'write', 'test', 'explain', 'refactor'].map(groupIndex);

// ---- per-call scratch (one request is scored at a time: the work is synchronous; the line's words: lineWords.ts) ----

let bags: Bag[] | undefined;
let generation = 0;

// ---- the scan ---------------------------------------------------------------

export function extractFeatures(input: RoutingInput): RequestFeatures {
  bags ??= NAMESPACES.map(() => new Bag());
  generation = (generation + 1) | 0 || 1;
  for (const bag of bags) bag.reset();
  const dense = new Float64Array(DENSE_FEATURES.length);
  const groupAt = new Int32Array(WORD_GROUPS.length).fill(-1);
  const groupEnd = new Int32Array(WORD_GROUPS.length);
  const text = input.prompt;
  const falseFriends = falseFriendsOf(text);
  linePaths.length = 0;
  const files = new Set<string>();
  const s = newScanTotals();
  const [wordBag, pairBag, codeBag, historyBag] = bags as [Bag, Bag, Bag, Bag];
  const prose: ProseTarget = { text, falseFriends, s, groupAt, groupEnd, wordBag, pairBag, codeBag, generation };

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
  /** Where the text after the last closing fence starts: the question asked of attached code. */
  let afterLastFence = -1;
  /** Where the first opening fence's line starts: the text before it is the question when nothing follows the last. */
  let firstFenceAt = -1;
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
      if (!inFence) {
        s.codeBlocks++;
        if (firstFenceAt < 0) firstFenceAt = lineStart;
      } else afterLastFence = lineEnd + 1;
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
        if ((previousWasLog || previousWasData) && !inFence) s.machineChars += skipped;
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
        s.concurrent += addCodeTokens(codeBag, text, first, lineEnd, generation);
      }
      lineStart = lineEnd + 1;
      continue;
    }

    scanLine(text, first, lineEnd);
    const { words, letters, nonSpace, symbols, mathSymbols, mathNotation, questions, sentenceEnds, clauses, bigO, numbers, last, pathLike, levelWord, keyValues, codeMarks, equals, oneLetterCalls, coefficients, symbolWords, beyondQuadratic, lineUnknowns, lineFunctions, tightCommas, tabs, pipes, unspacedExtra, readWords } = scanned;
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
      (questions === 0 && isExceptionLine(text, first, lineEnd)) ||
      // rustc's header: `error[E0502]: cannot borrow…`.
      isDiagnosticHeader(text, first, lineEnd);
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
    // What a runtime or a compiler printed under a frame or a diagnostic (Python's source line, rustc's ` --> ` and
    // gutter) is machine output too: counted as the user's code, a pasted borrow error was "12 lines of code attached".
    const printedUnder = !stackFrame && !logLine && !dataLine && ((previousWasFrame && first - lineStart >= 4) || isDiagnosticBody(text, lineStart, first, lineEnd));
    if (printedUnder) s.traceLines++;
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
      if (stackFrame || logLine || dataLine || printedUnder) s.machineChars += lineEnd - lineStart;
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
    const held = hashedWords < PROSE_HASH_LIMIT ? readWords : 0;
    hashedWords += held;
    addProseWords(prose, held, readWords, equation, questions > 0);
    lineStart = lineEnd + 1;
  }

  // The conversation so far: earlier user turns as words, assistant turns as size.
  const conversation = readConversation(input.history ?? [], historyBag, generation, falseFriends);

  // "review" is a code review only where there is code to review: "It established judicial review" asks for none, and
  // "Can you review my PR?" with nothing attached gets the same answer from either tier (paste the diff).
  let reviewUnseen = false;
  if (groupAt[REVIEW_GROUP] !== -1) {
    const reading = reviewReading(input, s.codeLines + s.inlineCode, files.size + s.fileListLines + s.codeNouns);
    if (reading !== 'code') groupAt[REVIEW_GROUP] = -1;
    reviewUnseen = reading === 'unseen';
  }
  const errorTrace = hasErrorTrace(text);
  // "Anything wrong with this?", "Ist das so in Ordnung?", "这样写有问题吗？" over attached code ask for a code review in
  // all but name (reviewAsk.ts); a short question over a few lines, read by its words alone, went cheap.
  let reviewAsked = false;
  const ownCode = s.codeLines - s.traceLines - s.logLines - s.dataLines;
  if (groupAt[REVIEW_GROUP] === -1 && ownCode > 0 && !errorTrace && input.task !== 'plan' && s.proseWords <= REVIEW_ASK_MAX_WORDS && OTHER_TASK_GROUPS.every((g) => groupAt[g] === -1)) {
    // The question is after the last fence, or, where only white space follows it, above the first: "Anything wrong
    // with this?" typed and the code pasted below it. Cut at that fence, so the question's end is its own.
    const questionAbove = afterLastFence >= 0 && firstFenceAt > 0 && !/\S/.test(text.slice(afterLastFence));
    const at = questionAbove
      ? reviewAskIn(text.slice(0, firstFenceAt), 0)
      : reviewAskIn(text, afterLastFence >= 0 ? afterLastFence : text.lastIndexOf('\n', text.trimEnd().length - 1) + 1);
    if (at) {
      [groupAt[REVIEW_GROUP], groupEnd[REVIEW_GROUP]] = at;
      reviewAsked = true;
    }
  }
  // Code that lets input from outside reach a command, `eval`, a deserialiser, a file path or SQL built from strings
  // (codeRisk.ts), asked about in a review or a security question: looked at only then.
  const asked = groupAt[REVIEW_GROUP] !== -1 || groupAt[SECURITY_GROUP] !== -1;
  const riskyCode = asked && codeBag.takesInputToASink(text);
  // A review of code that handles passwords, tokens, crypto or permissions, or passes input to such a sink, is a
  // security review, however few words ask for it ("Review src/auth.ts" over a login that hashes with SHA-1): read as
  // any review, it went cheap.
  const securityReview = groupAt[REVIEW_GROUP] !== -1 && groupAt[SECURITY_GROUP] === -1 && (codeBag.securityTokens > 0 || riskyCode);
  if (securityReview) {
    groupAt[SECURITY_GROUP] = groupAt[REVIEW_GROUP]!;
    groupEnd[SECURITY_GROUP] = groupEnd[REVIEW_GROUP]!;
  }

  const { lowDegreeEquation, groupWords } = setDenseFeatures(dense, input, s, files, conversation, errorTrace, groupAt, groupEnd);
  const { indices, values, namespaces, tokenStart, tokenEnd } = hashedFeatures(bags);
  // Its reason names the code, not the review word (which its own group quotes).
  if (securityReview) delete groupWords.security;

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
      historyTurns: conversation.historyTurns,
      historyHardTopic: conversation.historyHardWords > 0,
      plan: input.task === 'plan',
      reviewUnseen,
      reviewAsked,
      securityReview,
      riskyCode,
      reviewOfRiskyCode: riskyCode && groupAt[REVIEW_GROUP] !== -1,
      groupWords,
    },
  };
}
