import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { benchmarkArrivals, benchmarkFileFrom, ChunkArrivalLog, wallClockOffsetMs, type ChunkArrivalsFile } from '../../../src/vscode/chat/chunkArrivals';

describe('chunk arrival log (chat streaming benchmark)', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'switchboard-arrivals-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes every chunk with its epoch arrival time, in order, once the answer ends', async () => {
    const log = new ChunkArrivalLog('m3');
    const before = Date.now();
    for (let seq = 0; seq < 5; seq++) log.record(seq);
    log.posted(1);
    log.posted(4);
    log.acknowledged();
    const after = Date.now();
    const file = path.join(dir, 'arrivals.json');
    await log.write(file);

    const written = JSON.parse(await readFile(file, 'utf8')) as ChunkArrivalsFile;
    assert.equal(written.answerId, 'm3');
    assert.equal(written.chunks, 5);
    assert.deepEqual([written.messages, written.acks], [2, 1], 'chunk messages posted and acknowledgements received');
    // Each message's last chunk and when it went, on the arrivals' clock: no earlier than the chunks it carried.
    assert.deepEqual(
      written.posts?.map((post) => post.seq),
      [1, 4],
    );
    for (const post of written.posts ?? []) {
      assert.ok(post.postedAt >= (written.arrivals[post.seq]?.arrivedAt ?? Infinity), `message of chunk ${post.seq} posted after it arrived`);
      assert.ok(post.postedAt + written.wallClockOffsetMs <= after + 5, 'epoch ms, not ms since the process started');
    }
    assert.deepEqual(
      written.arrivals.map((arrival) => arrival.seq),
      [0, 1, 2, 3, 4],
    );
    for (const [i, arrival] of written.arrivals.entries()) {
      // Epoch milliseconds from the monotonic clock, comparable with the webview's
      // performance.timeOrigin + performance.now(). That clock drifts from Date.now() as the
      // process ages (the offset written beside the arrivals corrects for it), and the two
      // clock reads behind the offset can be split by a busy scheduler; an origin or unit
      // slip would be off by seconds or more, so a few ms of slack still catches it.
      const wallClock = arrival.arrivedAt + written.wallClockOffsetMs;
      const slack = 5;
      assert.ok(
        wallClock >= before - slack && wallClock <= after + slack,
        `arrival ${i} at ${wallClock} (wall clock), outside ${before}..${after} by more than ${slack} ms`,
      );
      if (i > 0) assert.ok(arrival.arrivedAt >= (written.arrivals[i - 1]?.arrivedAt ?? 0));
    }
    assert.equal(typeof written.wallClockOffsetMs, 'number');
    // Written whole: no partial file is left beside it.
    assert.deepEqual(await readdir(dir), ['arrivals.json']);
  });

  it("replaces the previous answer's file", async () => {
    const file = path.join(dir, 'arrivals.json');
    const first = new ChunkArrivalLog('m1');
    first.record(0);
    first.record(1);
    await first.write(file);
    const second = new ChunkArrivalLog('m2');
    second.record(0);
    await second.write(file);

    const written = JSON.parse(await readFile(file, 'utf8')) as ChunkArrivalsFile;
    assert.equal(written.answerId, 'm2');
    assert.equal(written.arrivals.length, 1);
  });

  it('measures how far epoch times from the monotonic clock are from the wall clock', () => {
    // Compared with the same difference taken around the call, not with zero: the two clocks part
    // whenever the system clock is stepped or slewed, which a long test run on a VM may see.
    // A sign error or a unit slip would be off by the offset itself, or by seconds.
    const before = Date.now() - (performance.timeOrigin + performance.now());
    const offset = wallClockOffsetMs();
    const after = Date.now() - (performance.timeOrigin + performance.now());
    const slackMs = 5;
    assert.ok(
      offset >= Math.min(before, after) - slackMs && offset <= Math.max(before, after) + slackMs,
      `offset ${offset} ms, outside the ${before}..${after} ms measured around it`,
    );
  });
  it("writes nothing in a container window, whose environment the repository chooses: the variable could name the ledger, replaced whole after each answer", async () => {
    const ledger = path.join(dir, 'ledger.jsonl');
    const record = '{"ts":"2026-12-02T10:00:00.000Z","costUsd":4.5}\n';
    await writeFile(ledger, record);
    const env = { SWITCHBOARD_BENCHMARK_FILE: ledger };

    const inContainer = benchmarkFileFrom(env, true);
    assert.equal(inContainer.file, undefined);
    assert.match(inContainer.ignored!, /SWITCHBOARD_BENCHMARK_FILE is set in this container's environment, which its repository chooses/);
    const arrivals = benchmarkArrivals(inContainer.file, 'a1');
    assert.equal(arrivals, undefined, 'no benchmark runs');
    assert.equal(await readFile(ledger, 'utf8'), record);

    // A local window's environment is the user's own (the benchmark starts VS Code with it): the file is written.
    const local = benchmarkFileFrom(env, false);
    assert.deepEqual(local, { file: ledger });
    const written = benchmarkArrivals(local.file, 'a2')!;
    written.record(0);
    await written.finish();
    assert.equal((JSON.parse(await readFile(ledger, 'utf8')) as ChunkArrivalsFile).answerId, 'a2');
    assert.deepEqual(benchmarkFileFrom({}, false), {}, 'unset: no benchmark, nothing said');
  });
});
