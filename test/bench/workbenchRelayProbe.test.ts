import assert from 'node:assert/strict';
import { splitRelay } from '../../bench/workbenchRelayProbe';

describe('bench: the relay split at the workbench', () => {
  it('matches the host posts, the workbench hand-offs and the panel receipts by seq, on one epoch clock', () => {
    // The workbench page's clock: epoch = timeOrigin + driftMs + page ms.
    const probe = {
      timeOrigin: 1_000_000,
      driftMs: 0.5,
      chunkForwards: [[3, 10], [7, 30]] as Array<[number, number]>,
      pingForwards: [[0, 5]] as Array<[number, number]>,
      acks: [[3, 20]] as Array<[number, number]>,
    };
    const split = splitRelay(
      probe,
      [{ seq: 3, postedAt: 1_000_004.5 }, { seq: 7, postedAt: 1_000_026.5 }, { seq: 9, postedAt: 1_000_040 }],
      new Map([[3, 1_000_015.5], [7, 1_000_032.5]]),
      [{ seq: 0, sentAt: 1_000_001.5, receivedAt: 1_000_007.5 }],
    );
    assert.deepEqual(split, {
      // Chunk 9's message never reached the workbench in the log: left out, not counted as 0.
      hostToWorkbenchMs: [6, 4],
      workbenchToWebviewMs: [5, 2],
      webviewToWorkbenchAckMs: [5],
      pingHostToWorkbenchMs: [4],
      pingWorkbenchToWebviewMs: [2],
    });
  });
});
