/**
 * The benchmark's window into rendering: which chunk reached the DOM when.
 * Typed arrays, so recording allocates nothing while the benchmark measures.
 */
import type { PaintLog, PaintRecord } from '../../shared/chatProtocol';

declare global {
  interface Window {
    __switchboardPaints?: PaintLog;
  }
}

export class PaintRingBuffer implements PaintLog {
  private readonly seqs: Float64Array;
  private readonly times: Float64Array;
  private count = 0;

  constructor(readonly capacity = 65_536) {
    this.seqs = new Float64Array(capacity);
    this.times = new Float64Array(capacity);
  }

  get written(): number {
    return this.count;
  }

  record(seq: number, paintedAt: number): void {
    const slot = this.count % this.capacity;
    this.seqs[slot] = seq;
    this.times[slot] = paintedAt;
    this.count++;
  }

  entries(): PaintRecord[] {
    const kept = Math.min(this.count, this.capacity);
    const records: PaintRecord[] = [];
    for (let i = this.count - kept; i < this.count; i++) {
      const slot = i % this.capacity;
      records.push({ seq: this.seqs[slot] ?? -1, paintedAt: this.times[slot] ?? 0 });
    }
    return records;
  }

  clear(): void {
    this.count = 0;
  }
}

export function installPaintLog(): PaintRingBuffer {
  const log = new PaintRingBuffer();
  window.__switchboardPaints = log;
  return log;
}
