/**
 * Reads one line outside a fence in one pass: its words (hashed into the
 * line's scratch, lineWords.ts), punctuation, paths and shape, counted
 * into `scanned` for the scan (features.ts) to decide whether the line is
 * code, machine output or prose. No allocation per line or per word.
 */
import { isDigit, isExponentBase, isLatinLetter, isSpace, isUnspacedScript, isUpper, isWordChar, isWordStart, KATAKANA_KIND, unspacedKind } from './characters';
import { isQuadraticPower, letterBit } from './equations';
import { FNV_OFFSET, FNV_PRIME, lower } from './featureHashing';
import { endsQuestion, isPath, trimPunctuation } from './lineShape';
import { lineEnds, lineHashes, lineInline, lineInPath, linePaths, lineStarts, lineSymbol } from './lineWords';
import { LOG_LEVELS } from './machineOutput';
import { elidedBefore, joinEndsWord } from './wordJoins';

/** A longer line (minified code, a pasted log line) is read this far and counted beyond. */
const LINE_SCAN_CHARS = 2_000;

/** What scanLine counted in the line it read last (one line is read at a time: the work is synchronous). */
export const scanned = {
  words: 0,
  letters: 0,
  nonSpace: 0,
  symbols: 0,
  mathSymbols: 0,
  mathNotation: 0,
  questions: 0,
  sentenceEnds: 0,
  clauses: 0,
  bigO: 0,
  numbers: 0,
  last: 0,
  pathLike: false,
  levelWord: 0,
  keyValues: 0,
  codeMarks: 0,
  equals: 0,
  oneLetterCalls: 0,
  coefficients: 0,
  symbolWords: 0,
  beyondQuadratic: 0,
  lineUnknowns: 0,
  lineFunctions: 0,
  tightCommas: 0,
  tabs: 0,
  pipes: 0,
  unspacedExtra: 0,
  readWords: 0,
};

/** Reads the line from `first` (its first character that is not white space) to `lineEnd` into `scanned`. */
export function scanLine(text: string, first: number, lineEnd: number): void {
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
  scanned.words = words;
  scanned.letters = letters;
  scanned.nonSpace = nonSpace;
  scanned.symbols = symbols;
  scanned.mathSymbols = mathSymbols;
  scanned.mathNotation = mathNotation;
  scanned.questions = questions;
  scanned.sentenceEnds = sentenceEnds;
  scanned.clauses = clauses;
  scanned.bigO = bigO;
  scanned.numbers = numbers;
  scanned.last = last;
  scanned.pathLike = pathLike;
  scanned.levelWord = levelWord;
  scanned.keyValues = keyValues;
  scanned.codeMarks = codeMarks;
  scanned.equals = equals;
  scanned.oneLetterCalls = oneLetterCalls;
  scanned.coefficients = coefficients;
  scanned.symbolWords = symbolWords;
  scanned.beyondQuadratic = beyondQuadratic;
  scanned.lineUnknowns = lineUnknowns;
  scanned.lineFunctions = lineFunctions;
  scanned.tightCommas = tightCommas;
  scanned.tabs = tabs;
  scanned.pipes = pipes;
  scanned.unspacedExtra = unspacedExtra;
  scanned.readWords = readWords;
}
