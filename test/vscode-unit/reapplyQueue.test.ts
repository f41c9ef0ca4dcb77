import assert from 'node:assert/strict';
import { ReapplyQueue } from '../../src/vscode/activation/reapplyQueue';

/** A promise the test resolves or rejects when it chooses: each run of the queue waits on one. */
function gate() {
  let open!: () => void;
  let fail!: (error: Error) => void;
  const promise = new Promise<void>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return { promise, open, fail };
}

/** The queue as activation drives it: every run's reasons recorded, each run held until the test lets it end. */
function queueOf() {
  const runs: string[][] = [];
  const gates: ReturnType<typeof gate>[] = [];
  const errors: unknown[] = [];
  const ended = { count: 0 };
  // Resolved each time a run starts, so the test waits on the run itself rather than on time.
  let started = gate();
  const queue = new ReapplyQueue(
    async (reasons) => {
      runs.push([...reasons]);
      const held = gate();
      gates.push(held);
      const wasStarted = started;
      started = gate();
      wasStarted.open();
      try {
        await held.promise;
      } finally {
        ended.count++;
      }
    },
    (error) => errors.push(error),
  );
  return { queue, runs, gates, errors, ended, nextStart: () => started.promise };
}

describe('settings re-applied one run at a time (ReapplyQueue)', () => {
  it('joins requests made while a run waits its turn into the next run, once', async () => {
    const { queue, runs, gates, nextStart } = queueOf();
    const first = queue.request('settings changed');
    await nextStart();
    // The first run is under way: these three wait behind it and are applied together.
    const second = queue.request('API key changed');
    const third = queue.request('settings changed');
    const fourth = queue.request('workspace trusted');
    assert.equal(third, second, 'a request joining a waiting run shares its promise');
    assert.equal(fourth, second);
    const secondStarted = nextStart();
    gates[0]!.open();
    await first;
    await secondStarted;
    assert.deepEqual(runs, [['settings changed'], ['API key changed', 'settings changed', 'workspace trusted']]);
    gates[1]!.open();
    await second;
    assert.equal(runs.length, 2);
  });

  it('goes on after a run that failed, and reports the failure', async () => {
    const { queue, runs, gates, errors, nextStart } = queueOf();
    const failing = queue.request('settings changed');
    await nextStart();
    const after = queue.request('API key changed');
    const afterStarted = nextStart();
    gates[0]!.fail(new Error('reconfigure threw'));
    await assert.rejects(failing, /reconfigure threw/);
    await afterStarted;
    gates[1]!.open();
    await after;
    assert.deepEqual(runs, [['settings changed'], ['API key changed']]);
    assert.deepEqual(errors.map((error) => (error as Error).message), ['reconfigure threw']);
  });

  it('settles once every run asked for has ended, a failed one included', async () => {
    const { queue, gates, ended, nextStart } = queueOf();
    const failing = queue.request('settings changed');
    await nextStart();
    const settled = queue.settled();
    gates[0]!.fail(new Error('no'));
    await assert.rejects(failing, /no/);
    // Resolves, not rejects, though the run failed: the in-host tests wait on it after every change.
    await assert.doesNotReject(settled);
    assert.equal(ended.count, 1);
  });
});
