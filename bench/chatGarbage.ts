/**
 * Garbage the chat panel makes per streamed chunk: the real chat bundle in
 * headless Chromium (test/webview/chatHarness.ts), fed the bench's long answer
 * as `chunk` messages, a few a frame as at 500 tokens/s, while V8's sampling
 * heap profiler counts every allocation, kept or collected. Bytes allocated
 * are a count of work, not a time, so they do not depend on a quiet machine
 * (timings now are shared with other work); garbage piles up into the long
 * collections the streaming bench sees as webview tasks over 50 ms.
 *
 * Alone: npx tsx bench/chatGarbage.ts [--chat-tokens N] [--per-frame N] [--top N]
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { CDPSession, Page } from 'playwright-core';
import { ChatHarness, INIT } from '../test/webview/chatHarness';
import { splitIntoChunks } from '../test/fakes/fakeServer';
import { generateChatAnswer } from './chatAnswer';

export interface ChatGarbageOptions {
  tokens: number;
  /** Chunk messages between two frames: 500 tokens/s at 60 frames/s is about 8. */
  perFrame: number;
  top: number;
}

export interface ChatGarbageReport {
  chunks: number;
  characters: number;
  /** Bytes allocated on the page's JS heap while the answer streamed, per chunk (sampled every `samplingBytes`). */
  bytesPerChunk: number;
  /** The same for the first and last tenth of the stream: equal when per-chunk work does not grow with the answer. */
  firstTenthBytesPerChunk: number;
  lastTenthBytesPerChunk: number;
  samplingBytes: number;
  /** Where it was allocated: function (file:line), bytes per chunk. */
  top: Array<{ at: string; bytesPerChunk: number }>;
  /** Functions of the bundle with what they and their callees allocated, bytes per chunk. */
  inclusive: Array<{ at: string; bytesPerChunk: number }>;
}

const SAMPLING_BYTES = 512;

interface ProfileNode {
  id: number;
  selfSize: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: ProfileNode[];
}
interface SamplingProfile {
  head: ProfileNode;
  samples: Array<{ size: number; nodeId: number; ordinal: number }>;
}

async function sampled(cdp: CDPSession, run: () => Promise<void>): Promise<SamplingProfile> {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.startSampling', {
    samplingInterval: SAMPLING_BYTES,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  await run();
  const { profile } = (await cdp.send('HeapProfiler.stopSampling')) as unknown as { profile: SamplingProfile };
  return profile;
}

function total(profile: SamplingProfile): number {
  return profile.samples.reduce((sum, sample) => sum + sample.size, 0);
}

/** Self bytes by function, largest first. */
function byFunction(profile: SamplingProfile): Map<string, number> {
  const sizes = new Map<string, number>();
  const visit = (node: ProfileNode) => {
    const { functionName, url, lineNumber } = node.callFrame;
    const at = `${functionName || '(anonymous)'} ${url.split('/').pop() ?? ''}:${lineNumber + 1}`;
    sizes.set(at, (sizes.get(at) ?? 0) + node.selfSize);
    for (const child of node.children ?? []) visit(child);
  };
  visit(profile.head);
  return new Map([...sizes].sort((a, b) => b[1] - a[1]));
}

/** Bytes allocated in each function of the page's bundle and its callees, largest first. */
function inclusiveByFunction(profile: SamplingProfile): Map<string, number> {
  const sizes = new Map<string, number>();
  const visit = (node: ProfileNode, stack: readonly string[]) => {
    const { functionName, url } = node.callFrame;
    const here = url.endsWith('chat.js') && functionName ? [...new Set([...stack, functionName])] : stack;
    for (const name of here) sizes.set(name, (sizes.get(name) ?? 0) + node.selfSize);
    for (const child of node.children ?? []) visit(child, here);
  };
  visit(profile.head, []);
  return new Map([...sizes].sort((a, b) => b[1] - a[1]));
}

export async function runChatGarbage(options: ChatGarbageOptions, log: (line: string) => void = () => {}): Promise<ChatGarbageReport> {
  const answer = generateChatAnswer(7, options.tokens);
  const chunks = splitIntoChunks(answer, options.tokens);
  const harness = await ChatHarness.start();
  try {
    const chat = await harness.open();
    await chat.fromHost(INIT, { type: 'start', id: 'g1', requestedModel: 'openai:gpt-5.4', attachments: [], userText: 'question' });
    const cdp = await chat.page.context().newCDPSession(chat.page);
    const tenth = Math.floor(chunks.length / 10);
    log(`chat garbage: ${chunks.length} chunks (${answer.length} characters), ${options.perFrame} a frame`);
    const whole = await sampled(cdp, () => streamAs(chat, 'g1', chunks, 0, chunks.length, options.perFrame));
    const perChunk = (bytes: number, count: number) => Math.round(bytes / count);
    // The first and last tenth again, each on a fresh answer of that length, to see whether the cost grows.
    await chat.fromHost({ type: 'start', id: 'g2', requestedModel: 'x', attachments: [], userText: 'q' });
    const first = await sampled(cdp, () => streamAs(chat, 'g2', chunks, 0, tenth, options.perFrame));
    await chat.fromHost({ type: 'start', id: 'g3', requestedModel: 'x', attachments: [], userText: 'q' });
    await streamAs(chat, 'g3', chunks, 0, chunks.length - tenth, 64);
    const last = await sampled(cdp, () => streamAs(chat, 'g3', chunks, chunks.length - tenth, chunks.length, options.perFrame));
    const errors = chat.errors;
    if (errors.length > 0) throw new Error(`the page failed: ${errors.join('; ')}`);
    return {
      chunks: chunks.length,
      characters: answer.length,
      bytesPerChunk: perChunk(total(whole), chunks.length),
      firstTenthBytesPerChunk: perChunk(total(first), tenth),
      lastTenthBytesPerChunk: perChunk(total(last), tenth),
      samplingBytes: SAMPLING_BYTES,
      inclusive: [...inclusiveByFunction(whole)].slice(0, options.top).map(([at, bytes]) => ({ at, bytesPerChunk: perChunk(bytes, chunks.length) })),
      top: [...byFunction(whole)].slice(0, options.top).map(([at, bytes]) => ({ at, bytesPerChunk: perChunk(bytes, chunks.length) })),
    };
  } finally {
    await harness.close();
  }
}

/** Streams chunks `from`..`to` into answer `id`, `perFrame` messages between two animation frames. */
async function streamAs(chat: { page: Page }, id: string, chunks: string[], from: number, to: number, perFrame: number): Promise<void> {
  await chat.page.evaluate(
    async ({ id, chunks, from, perFrame }) => {
      const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
      for (let i = 0; i < chunks.length; i++) {
        window.postMessage({ type: 'chunk', id, seq: from + i, text: chunks[i] }, '*');
        // postMessage is delivered as a task: yield to it, and to a frame every `perFrame` messages.
        await new Promise((resolve) => setTimeout(resolve, 0));
        if ((i + 1) % perFrame === 0) await frame();
      }
      await frame();
    },
    { id, chunks: chunks.slice(from, to), from, perFrame },
  );
}

export function printChatGarbage(report: ChatGarbageReport, print: (line: string) => void = console.log): void {
  print(`Chat panel garbage: ${report.chunks} chunks, ${report.characters} characters (sampled every ${report.samplingBytes} B)`);
  print(`  allocated per chunk: ${report.bytesPerChunk} B (first tenth ${report.firstTenthBytesPerChunk} B, last tenth ${report.lastTenthBytesPerChunk} B)`);
  print('  allocated in (self):');
  for (const { at, bytesPerChunk } of report.top) print(`  ${String(bytesPerChunk).padStart(8)} B  ${at}`);
  print('  allocated in (with callees):');
  for (const { at, bytesPerChunk } of report.inclusive) print(`  ${String(bytesPerChunk).padStart(8)} B  ${at}`);
}

if (path.resolve(process.argv[1] ?? '') === __filename) {
  const { values } = parseArgs({ options: { 'chat-tokens': { type: 'string' }, 'per-frame': { type: 'string' }, top: { type: 'string' } } });
  runChatGarbage(
    { tokens: Number(values['chat-tokens'] ?? 20_000), perFrame: Number(values['per-frame'] ?? 8), top: Number(values.top ?? 15) },
    (line) => console.error(line),
  ).then(
    (report) => printChatGarbage(report),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
