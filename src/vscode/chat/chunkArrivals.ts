/**
 * The chat panel's one benchmark hook, for bench/chatStreaming.ts: when each
 * chunk of an answer reached the extension host, and how many chunk messages
 * and acknowledgements crossed to and from the webview. Only on when the extension
 * host has SWITCHBOARD_BENCHMARK_FILE (activation/panels.ts reads it; the session asks
 * `benchmarkArrivals` per answer and gets undefined otherwise). While the
 * answer streams, a chunk costs one clock read and two array pushes, a message
 * the same and a count, an acknowledgement one count; the file is written once, when the answer ends.
 */
import { rename, writeFile } from 'node:fs/promises';

/** Set by bench/chatStreaming.ts on the VS Code it starts: where the arrival times go. */
export const BENCHMARK_FILE_ENV = 'SWITCHBOARD_BENCHMARK_FILE';

/**
 * The benchmark's file from the extension host's environment, or why it is not used. Never in a container window
 * (containerSettings.ts's isContainerRemote): there the environment is the repository's (devcontainer.json's
 * `remoteEnv` and `containerEnv`, the image's `ENV`), and the file is replaced whole after every answer, so the
 * variable could name the ledger and wipe the spend the budget counts. The benchmark runs in a local window.
 */
export function benchmarkFileFrom(env: Readonly<Record<string, string | undefined>>, inContainer: boolean): { file?: string; ignored?: string } {
  const file = env[BENCHMARK_FILE_ENV];
  if (!file) return {};
  if (inContainer) return { ignored: `${BENCHMARK_FILE_ENV} is set in this container's environment, which its repository chooses; the chat benchmark's file is not written` };
  return { file };
}

export interface ChunkArrival {
  /** `chunk.seq`, as posted to the webview. */
  seq: number;
  /** `performance.timeOrigin + performance.now()` when the router delivered the chunk: epoch ms. */
  arrivedAt: number;
}

export interface ChunkArrivalsFile {
  answerId: string;
  /** Chunks the router delivered. */
  chunks: number;
  /** Chunk messages posted to the webview, and acknowledgements of them received (flow control). */
  messages: number;
  acks: number;
  /**
   * Each chunk message when posted (epoch ms, as `arrivedAt`) and the last chunk it carried: a chunk's
   * wait at the host (flow control) is from its arrival to the first post with a `seq` at or past its own.
   */
  posts?: Array<{ seq: number; postedAt: number }>;
  /**
   * `Date.now() − (performance.timeOrigin + performance.now())` when written: how far
   * this process's epoch times have drifted from the wall clock the webview's are compared through.
   */
  wallClockOffsetMs: number;
  arrivals: ChunkArrival[];
}

export class ChunkArrivalLog {
  private readonly seqs: number[] = [];
  private readonly times: number[] = [];
  private messages = 0;
  private acks = 0;
  private readonly postSeqs: number[] = [];
  private readonly postTimes: number[] = [];

  constructor(readonly answerId: string) {}

  posted(seq: number): void {
    this.messages++;
    this.postSeqs.push(seq);
    this.postTimes.push(performance.now());
  }

  acknowledged(): void {
    this.acks++;
  }

  record(seq: number): void {
    this.seqs.push(seq);
    this.times.push(performance.now());
  }

  toFile(): ChunkArrivalsFile {
    const origin = performance.timeOrigin;
    return {
      answerId: this.answerId,
      chunks: this.seqs.length,
      messages: this.messages,
      acks: this.acks,
      wallClockOffsetMs: wallClockOffsetMs(),
      arrivals: this.seqs.map((seq, i) => ({ seq, arrivedAt: origin + (this.times[i] ?? Number.NaN) })),
      posts: this.postSeqs.map((seq, i) => ({ seq, postedAt: origin + (this.postTimes[i] ?? Number.NaN) })),
    };
  }

  /** Replaces `file` whole, so a reader never sees half of it. */
  async write(file: string): Promise<void> {
    const partial = `${file}.${process.pid}.partial`;
    await writeFile(partial, JSON.stringify(this.toFile()));
    await rename(partial, file);
  }
}

/** Arrival times of one answer, written to `file` by `finish()`; undefined when no benchmark runs. */
export function benchmarkArrivals(file: string | undefined, answerId: string): BenchmarkArrivals | undefined {
  if (file === undefined) return undefined;
  const log = new ChunkArrivalLog(answerId);
  return { record: (seq) => log.record(seq), posted: (seq) => log.posted(seq), acknowledged: () => log.acknowledged(), finish: () => log.write(file) };
}

export interface BenchmarkArrivals {
  /** Chunk `seq` reached the host. */
  record(seq: number): void;
  /** A chunk message carrying chunks up to `seq` was posted to the webview. */
  posted(seq: number): void;
  /** The webview acknowledged a chunk message. */
  acknowledged(): void;
  finish(): Promise<void>;
}

/**
 * `Date.now() − (performance.timeOrigin + performance.now())`, read just as
 * Date.now() ticks over: at that instant the wall clock is exactly on the
 * millisecond, which takes its 1 ms resolution out of the difference.
 */
export function wallClockOffsetMs(): number {
  const start = Date.now();
  let now = start;
  // At most a millisecond of spinning, once per answer, and only in benchmark runs.
  while (now === start) now = Date.now();
  return now - (performance.timeOrigin + performance.now());
}
