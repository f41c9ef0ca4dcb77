import type { ChatMessage, Task } from '../types';
import { WORD_GROUPS } from './lexicon';

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
/** Each dense feature's place in `dense`. */
export const DENSE_INDEX = new Map<string, number>(DENSE_FEATURES.map((name, index) => [name, index]));
export const GROUP_OFFSET = DENSE_INDEX.get(`group:${WORD_GROUPS[0]!.id}`)!;

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
  /** A short question asks whether the attached code is right ("Anything wrong with this?", reviewAsk.ts): read as a code review. */
  reviewAsked: boolean;
  /** A review of attached code that handles credentials, crypto, permissions or commands (SECURITY_CODE_TOKENS), or passes input to a sink (codeRisk.ts), with no security word asked. */
  securityReview: boolean;
  /** The attached code lets input from outside reach a command, `eval`, a deserialiser, a file path or SQL built from strings, and a review or a security question asks about it (codeRisk.ts); with a review, it makes the review a security review. */
  riskyCode: boolean;
  /** A review (asked in words or as "is this ok?") of such code: a security review, scored without counting its length (scorer.ts). */
  reviewOfRiskyCode: boolean;
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
