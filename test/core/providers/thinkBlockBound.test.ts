/**
 * The <think> filter reads each piece of a long answer once. What it held used to be read whole with every piece
 * (a search of the held text, which makes V8 copy a text built by appending into one string): a DeepSeek-R1 think
 * of 512,000 characters in 4-character pieces took 80 s, and 128,000 characters of white space before an answer
 * 15 s. Not timed here: the bytes the filter allocates are counted (V8's sampling heap profiler, collected objects
 * included), which copying the held text on every piece multiplies by the pieces.
 */
import assert from 'node:assert/strict';
import { Session } from 'node:inspector/promises';
import { ThinkBlockFilter } from '../../../src/core/providers/thinkBlock';
import type { StreamEvent } from '../../../src/core/types';

const CHARS = 128_000;
const PIECE = 4;

/** Bytes allocated while `run` goes, kept or collected. */
async function bytesAllocatedBy(run: () => void): Promise<number> {
  const session = new Session();
  session.connect();
  try {
    await session.post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
    run();
    const { profile } = await session.post('HeapProfiler.stopSampling');
    type Node = { selfSize: number; children: Node[] };
    const sum = (node: Node): number => node.selfSize + node.children.reduce((total, child) => total + sum(child), 0);
    return sum(profile.head as unknown as Node);
  } finally {
    session.disconnect();
  }
}

function feed(filter: ThinkBlockFilter, first: string, piece: string, last: string): StreamEvent[] {
  const events: StreamEvent[] = [];
  events.push(...filter.push(first));
  for (let i = 0; i < CHARS / piece.length; i++) events.push(...filter.push(piece));
  events.push(...filter.push(last), ...filter.end());
  return events;
}

const textOf = (events: StreamEvent[]) => events.map((event) => (event.type === 'text' ? event.text : '')).join('');
const reasoningOf = (events: StreamEvent[]) => events.reduce((total, event) => total + (event.type === 'reasoning' ? event.chars : 0), 0);

describe('ThinkBlockFilter on long answers', () => {
  it('holds a long think of a model that opens the block in its prompt without copying it per piece', async () => {
    let events: StreamEvent[] = [];
    const bytes = await bytesAllocatedBy(() => {
      events = feed(new ThinkBlockFilter(true), 'Okay, ', 'abc ', '</think>\n\nanswer();');
    });
    assert.equal(textOf(events), 'answer();');
    assert.equal(reasoningOf(events), 'Okay, '.length + CHARS + '</think>'.length);
    // Linear: under a kilobyte per piece (the piece, its generator and events). Copying the held text per piece: GBs.
    assert.ok(bytes < 2000 * (CHARS / PIECE), `${(bytes / 1e6).toFixed(1)} MB allocated for ${CHARS} characters held`);
  });

  it('sets aside long white space before the answer without reading it again per piece', async () => {
    let events: StreamEvent[] = [];
    const bytes = await bytesAllocatedBy(() => {
      events = feed(new ThinkBlockFilter(false), '\n', ' \n\t ', 'answer();');
    });
    assert.equal(textOf(events), '\n' + ' \n\t '.repeat(CHARS / PIECE) + 'answer();');
    assert.ok(bytes < 2000 * (CHARS / PIECE), `${(bytes / 1e6).toFixed(1)} MB allocated for ${CHARS} characters of white space`);
  });

  it('still finds a tag split over pieces after a long held text, and white space then <think>', () => {
    const held = new ThinkBlockFilter(true);
    const events = [...held.push('x'.repeat(1000)), ...held.push('</th'), ...held.push('ink>'), ...held.push('\nok'), ...held.end()];
    assert.equal(textOf(events), 'ok');
    assert.equal(reasoningOf(events), 1000 + '</think>'.length);
    const opened = new ThinkBlockFilter(false);
    const more = [...opened.push('  \n'), ...opened.push(' <th'), ...opened.push('ink>why</think>'), ...opened.push('done'), ...opened.end()];
    assert.equal(textOf(more), 'done');
    assert.equal(reasoningOf(more), '  \n <think>why</think>'.length);
  });
});
