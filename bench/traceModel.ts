/**
 * The typing trace (bench/typing-trace.json, from scripts/make-typing-trace.mjs)
 * and a fake model that knows it: asked at some point of the trace, it answers
 * with what the trace will type next at that place, or (for a seeded share of
 * places) with something else.
 */
import { readFileSync } from 'node:fs';
import { FILL_MARKER } from '../src/core/completion/completionPrompt';
import { hashToUnit } from './stats';

export interface TraceEvent {
  /** ms from the start of the session */
  t: number;
  type: 'insert' | 'delete';
  offset: number;
  text: string;
}

export interface Trace {
  path: string;
  languageId: string;
  file: string;
  events: TraceEvent[];
  summary: { keystrokes: number; durationMs: number };
}

export function readTrace(file: string, minKeystrokes = 1000): Trace {
  const trace = JSON.parse(readFileSync(file, 'utf8')) as Trace;
  if (!Array.isArray(trace.events) || trace.events.length < minKeystrokes) throw new Error(`${file}: expected at least ${minKeystrokes} keystrokes`);
  return trace;
}

/** The document and cursor after each event. */
export interface TraceState {
  text: string;
  cursor: number;
  /**
   * What the user goes on to type at this place before moving elsewhere, with
   * typos and their corrections netted out; undefined when the next keys
   * delete text typed before this point (a typo is about to be corrected).
   */
  continuation: string | undefined;
}

export function traceStates(trace: Trace): TraceState[] {
  const states: TraceState[] = [];
  let text = trace.file;
  for (const event of trace.events) {
    if (event.type === 'insert') {
      text = text.slice(0, event.offset) + event.text + text.slice(event.offset);
      states.push({ text, cursor: event.offset + event.text.length, continuation: undefined });
    } else {
      text = text.slice(0, event.offset) + text.slice(event.offset + event.text.length);
      states.push({ text, cursor: event.offset, continuation: undefined });
    }
  }
  states.forEach((state, index) => (state.continuation = continuationAfter(trace.events, index, state.cursor)));
  return states;
}

function continuationAfter(events: readonly TraceEvent[], index: number, cursor: number): string | undefined {
  let typed = '';
  let at = cursor;
  for (let j = index + 1; j < events.length; j++) {
    const event = events[j] as TraceEvent;
    if (event.type === 'insert' && event.offset === at) {
      typed += event.text;
      at += event.text.length;
    } else if (event.type === 'delete' && event.offset === at - 1) {
      if (typed.length === 0) return undefined;
      typed = typed.slice(0, -1);
      at -= 1;
    } else {
      break;
    }
  }
  return typed;
}

export interface FakeModelStats {
  /** Answered with what will be typed next. */
  right: number;
  /** Answered with something else, by the seeded draw. */
  wrong: number;
  /** Asked while an uncorrected typo sat before the cursor: answered with something else. */
  atTypo: number;
  /** Nothing more is typed at that place (or on that line, for a single-line request): answered with nothing. */
  empty: number;
  /** The prompt's text before the cursor matched no point of the trace. */
  unmatched: number;
}

/** Lines a multi-line answer may span; a model stops somewhere, usually at the end of a small block. */
const MULTILINE_ANSWER_LINES = 4;
const MAX_ANSWER_CHARS = 240;

/**
 * Answers completion prompts (Switchboard's chat form or the naive one, both
 * of which put the file between `<file …>` and `</file>` with FILL_MARKER at
 * the cursor) from the trace.
 */
export class TraceModel {
  readonly stats: FakeModelStats = { right: 0, wrong: 0, atTypo: 0, empty: 0, unmatched: 0 };
  private readonly byPrefix = new Map<string, number[]>();
  /** The index of the latest keystroke the replay has applied. */
  currentIndex = 0;

  constructor(
    private readonly states: readonly TraceState[],
    private readonly wrongRate: number,
    private readonly seed: number,
  ) {
    states.forEach((state, index) => {
      const prefix = state.text.slice(0, state.cursor);
      const list = this.byPrefix.get(prefix);
      if (list) list.push(index);
      else this.byPrefix.set(prefix, [index]);
    });
  }

  answer(body: unknown): string {
    const prompt = userPrompt(body);
    const start = prompt.lastIndexOf('<file path="');
    const bodyStart = prompt.indexOf('\n', start) + 1;
    const marker = prompt.indexOf(FILL_MARKER, bodyStart);
    if (start === -1 || marker === -1) {
      this.stats.unmatched++;
      return '';
    }
    const prefix = prompt.slice(bodyStart, marker);
    const singleLine = prompt.includes('Complete only the rest of the current line');
    const index = this.latestStateWithPrefix(prefix);
    if (index === undefined) {
      this.stats.unmatched++;
      return '';
    }
    const continuation = this.states[index]?.continuation;
    if (continuation === undefined) {
      this.stats.atTypo++;
      return this.wrongAnswer(prefix, '', singleLine);
    }
    const right = shape(continuation, singleLine);
    if (hashToUnit(prefix, this.seed) < this.wrongRate) {
      this.stats.wrong++;
      return this.wrongAnswer(prefix, right, singleLine);
    }
    if (right.trim() === '') this.stats.empty++;
    else this.stats.right++;
    return right;
  }

  private latestStateWithPrefix(prefix: string): number | undefined {
    const list = this.byPrefix.get(prefix);
    if (!list) return undefined;
    let best: number | undefined;
    for (const index of list) if (index <= this.currentIndex) best = index;
    return best ?? list[0];
  }

  /** Plausible code from elsewhere in the session that does not start like the right answer. */
  private wrongAnswer(prefix: string, right: string, singleLine: boolean): string {
    const count = this.states.length;
    let index = Math.floor(hashToUnit(`${prefix}\u0000wrong`, this.seed) * count);
    for (let tries = 0; tries < count; tries++, index = (index + 7) % count) {
      const candidate = shape(this.states[index]?.continuation ?? '', singleLine);
      if (candidate.trim() && candidate.charAt(0) !== right.charAt(0) && candidate.trimStart().charAt(0) !== right.trimStart().charAt(0)) return candidate;
    }
    return 'undefined;';
  }
}

function shape(continuation: string, singleLine: boolean): string {
  const text = singleLine ? (continuation.split('\n')[0] ?? '') : continuation.split('\n').slice(0, MULTILINE_ANSWER_LINES).join('\n');
  return text.slice(0, MAX_ANSWER_CHARS);
}

function userPrompt(body: unknown): string {
  const messages = (body as { messages?: Array<{ role?: unknown; content?: unknown }> } | undefined)?.messages ?? [];
  const user = messages.findLast((message) => message.role === 'user');
  return typeof user?.content === 'string' ? user.content : '';
}
