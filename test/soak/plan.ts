/**
 * What the soak asks and how the fakes answer each request: decided from the
 * request's number alone (a seeded draw), so a run can be repeated and each
 * request's first attempt carries its fault whichever model it reaches.
 */
import type { FakeReply } from '../fakes/index';
import { splitIntoChunks } from '../fakes/fakeServer';
import type { TextGate } from '../fakes/textGate';
import { hashToUnit } from '../../bench/stats';
import type { ModelRequest, Task, Usage } from '../../src/core/types';
import { MAX_CHARS_PER_TOKEN } from '../../src/core/router';

/** Faults played on a request's first attempt (connection refused needs a dead port: the fault matrix covers it). */
export const FAULTS = [
  '429 retry-after-ms',
  '429 bare',
  '500',
  '502',
  '503',
  '529',
  'Bedrock exception',
  'reset before the response',
  'reset after the stream began',
  'reset mid-stream',
  'stall before the response',
  'stall after the stream began',
  'stall mid-stream',
  'malformed first event',
  'malformed mid-stream',
  'ends without its closing events',
  'error event mid-stream',
  'far longer than max_tokens',
] as const;

export type Fault = (typeof FAULTS)[number] | 'none';

export const TASKS: readonly Task[] = ['completion', 'chat', 'plan'];
const MAX_TOKENS = 64;

export interface PlannedRequest {
  index: number;
  tag: string;
  task: Task;
  fault: Fault;
  request: ModelRequest;
  /** The answer the first attempt streams (and the fallback, unscripted, answers with the fake's default). */
  text: string;
  chunks: number;
  usage: Usage;
}

export function planRequest(index: number, seed: number, faultRate: number): PlannedRequest {
  const draw = (what: string) => hashToUnit(`${what}:${index}`, seed);
  const tag = `[soak:${index}]`;
  const task = TASKS[index % TASKS.length]!;
  const fault: Fault = draw('fault?') < faultRate ? FAULTS[Math.floor(draw('fault') * FAULTS.length)]! : 'none';
  const filler = 'lorem ipsum dolor sit amet '.repeat(1 + Math.floor(draw('prompt') * 40));
  const text =
    fault === 'far longer than max_tokens'
      ? 'x'.repeat(MAX_TOKENS * MAX_CHARS_PER_TOKEN + 100)
      : `Answer ${index}: ${'the quick brown fox jumps over the lazy dog '.repeat(1 + Math.floor(draw('answer') * 8))}`;
  return {
    index,
    tag,
    task,
    fault,
    request: {
      system: 'You are terse.',
      messages: [{ role: 'user', content: `${tag} ${filler}` }],
      maxTokens: MAX_TOKENS,
    },
    text,
    chunks: fault === 'far longer than max_tokens' ? 1 : 4 + Math.floor(draw('chunks') * 5),
    usage: {
      inputTokens: 50 + Math.floor(draw('input') * 5000),
      // Within max_tokens, as a real provider bills: a count above it is priced at the bound (usageBound.ts).
      outputTokens: 5 + Math.floor(draw('output') * (MAX_TOKENS - 5)),
      cacheReadTokens: draw('cached?') < 0.4 ? Math.floor(draw('cached') * 4000) : 0,
      cacheWriteTokens: draw('written?') < 0.1 ? Math.floor(draw('written') * 2000) : 0,
    },
  };
}

/** The text the client must have before a mid-stream cut: the first half of the pieces. */
export function textBeforeCut(planned: PlannedRequest): string {
  return splitIntoChunks(planned.text, planned.chunks)
    .slice(0, cutAt(planned))
    .join('');
}

function cutAt(planned: PlannedRequest): number {
  return Math.max(1, Math.floor(planned.chunks / 2));
}

/**
 * The fake's reply to the first attempt of a planned request, on `provider`.
 * Every reply scripts its usage, except the over-long answer: the fake then
 * reports the usage of the text it sent, which is also what Switchboard
 * estimates for the text it read before it stopped.
 */
export function faultyReply(planned: PlannedRequest, provider: string, gate: TextGate): FakeReply {
  const answer: FakeReply = { text: planned.text, chunks: planned.chunks, usage: planned.usage, tag: planned.tag };
  const bedrock = provider === 'bedrock';
  switch (planned.fault) {
    case 'none':
      return answer;
    case '429 retry-after-ms':
      return { ...answer, status: 429, retryAfterMs: '30' };
    case '429 bare':
      return { ...answer, status: 429 };
    case '500':
    case '502':
    case '503':
    case '529':
      return { ...answer, status: Number(planned.fault) };
    case 'Bedrock exception':
      return bedrock ? { ...answer, errorCode: ['ThrottlingException', 'ModelNotReadyException', 'ServiceUnavailableException'][planned.index % 3] } : { ...answer, status: 503 };
    case 'reset before the response':
      return { ...answer, resetBeforeResponse: true };
    case 'reset after the stream began':
      // Right after the headers: a cut after the opening events may overtake them at the client, and Anthropic's carries usage.
      return { ...answer, resetAfterHeaders: true };
    case 'reset mid-stream':
      return { ...answer, cutAfterChunks: cutAt(planned), cutOnceReceived: gate.received };
    case 'stall before the response':
      return { ...answer, stall: true };
    case 'stall after the stream began':
      return { ...answer, stallAfterChunks: 0 };
    case 'stall mid-stream':
      return { ...answer, stallAfterChunks: cutAt(planned) };
    case 'malformed first event':
      return { ...answer, malformedAfterChunks: 0 };
    case 'malformed mid-stream':
      return { ...answer, malformedAfterChunks: cutAt(planned) };
    case 'ends without its closing events':
      return { ...answer, endAfterChunks: planned.chunks };
    case 'error event mid-stream':
      return { ...answer, streamErrorAfterChunks: cutAt(planned), errorCode: bedrock ? 'ModelStreamErrorException' : provider === 'openai' ? '502' : 'overloaded_error' };
    case 'far longer than max_tokens': {
      const { usage: _scripted, ...unscripted } = answer;
      return unscripted;
    }
  }
}

/** A fallback's reply: a whole answer with scripted usage. */
export function fallbackReply(planned: PlannedRequest): FakeReply {
  return { text: `Fallback for ${planned.index}.`, chunks: 2, usage: { ...planned.usage, outputTokens: 6 }, tag: planned.tag };
}
