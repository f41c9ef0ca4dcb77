import assert from 'node:assert/strict';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { resolveConfig } from '../../../src/core/config';
import { Switchboard } from '../../../src/core/switchboard';
import { KEYS, REQUEST, routerHarness } from '../routerHarness';
import { ManualRetryTimers } from './manualRetryTimers';

/**
 * The ledger becomes unwritable while Switchboard runs (its folder removed, a folder put at its path): the
 * answers still come, today's total and the budget still count them, and the records reach the file later.
 */
describe('a ledger that cannot be written while running', () => {
  const h = routerHarness('unwritable-ledger');

  it('answers, counts the spend in today and the budget, says so once, and writes the records once it can', async () => {
    const folder = path.join(h.dir, 'ledger-folder');
    const ledgerPath = path.join(folder, 'ledger.jsonl');
    const { config, problems } = resolveConfig({
      providers: { openai: h.fakes.urls.openai },
      auto: { enabled: false },
      routes: { chat: ['openai:gpt-5.4-nano'] },
      budget: { dailyUsd: 0.05, action: 'block' },
    });
    assert.deepEqual(problems, []);
    const errors: string[] = [];
    const switchboard = await Switchboard.create({
      config,
      source: 'vscode',
      env: h.isolatedEnv(KEYS),
      ledgerPath,
      onLedgerError: (error) => errors.push(error.message),
    });
    try {
      // As the editor does: follows the file for today's total.
      await switchboard.loadToday({ watch: true });
      h.fakes.openai.script({ text: 'Before.', usage: { inputTokens: 10, outputTokens: 5 } });
      const before = await switchboard.router.run('chat', REQUEST);
      await switchboard.ledger.flush();
      assert.equal((await h.readLedger(ledgerPath)).length, 1);

      // The folder is removed and a folder takes the file's place: every write fails with EISDIR.
      await rm(folder, { recursive: true });
      await mkdir(ledgerPath, { recursive: true });
      // Costs more than what is left of the day's budget: had the ledger's failure lost it, the next would go.
      h.fakes.openai.script({ text: 'During.', usage: { inputTokens: 2_000_000, outputTokens: 5 } });
      const during = await switchboard.router.run('chat', REQUEST);
      assert.equal(during.text, 'During.');
      // Priced models: their costs are numbers, not unknown.
      const spent = (before.record.costUsd ?? NaN) + (during.record.costUsd ?? NaN);
      assert.equal(during.record.outcome, 'ok');
      assert.ok(spent > 0.05, `over the limit: ${spent}`);
      const today = switchboard.today();
      assert.equal(today.total.requests, 2);
      assert.equal(today.total.costUsd, spent);

      const refused = await switchboard.router.run('chat', REQUEST);
      assert.equal(refused.record.outcome, 'error');
      assert.match(refused.error ?? '', /^daily budget reached/);
      assert.equal(h.fakes.openai.requests.length, 2, 'the third request was never sent');
      await switchboard.ledger.flush();
      assert.deepEqual(errors, [
        `Could not write to the ledger ${ledgerPath}: the path is a directory. Requests still answer; 2 records are kept in memory and written once it works again`,
      ]);

      // Writable again: the kept records go to the file, in order, and are not counted twice.
      await rm(ledgerPath, { recursive: true });
      await switchboard.ledger.flush();
      const written = await h.readLedger(ledgerPath);
      assert.deepEqual(written.map((record) => record.id), [during.record.id, refused.record.id]);
      await switchboard.spend.catchUp();
      assert.equal(switchboard.today().total.costUsd, spent);
      assert.equal(errors.length, 1);
    } finally {
      await switchboard.dispose();
    }
  });

  it('a file where its folder was, under 10 requests at once: each answered, one message naming the path, every record written once when the folder is back', async () => {
    const folder = path.join(h.dir, 'folder-made-file');
    const ledgerPath = path.join(folder, 'ledger.jsonl');
    const { config } = resolveConfig({ providers: { openai: h.fakes.urls.openai }, auto: { enabled: false }, routes: { chat: ['openai:gpt-5.4-nano'] } });
    const errors: string[] = [];
    const switchboard = await Switchboard.create({ config, source: 'vscode', env: h.isolatedEnv(KEYS), ledgerPath, onLedgerError: (error) => errors.push(error.message) });
    try {
      await switchboard.loadToday({ watch: true });
      // As a full disk or an unmounted volume leaves it, every write fails: the ledger's folder is now a file
      // (ENOTDIR opening the ledger, EEXIST making the folder).
      await rm(folder, { recursive: true, force: true });
      await writeFile(folder, 'not a folder');
      const results = await Promise.all(Array.from({ length: 10 }, () => switchboard.router.run('chat', REQUEST)));
      for (const result of results) {
        assert.equal(result.record.outcome, 'ok');
        assert.equal(result.error, undefined);
        assert.ok(result.text.length > 0, 'the answer is shown');
      }
      await switchboard.ledger.flush();
      assert.equal(switchboard.spend.today().total.requests, 10, "today's total counts them meanwhile");
      // One message, at the first failed write (the records finish one after another: it counts those kept by then).
      assert.equal(errors.length, 1, errors.join('\n'));
      assert.ok(
        errors[0]!.startsWith(`Could not write to the ledger ${ledgerPath}: a part of the path is a file, not a folder. Requests still answer; `),
        errors[0],
      );
      assert.deepEqual(switchboard.ledger.failure(), { reason: 'a part of the path is a file, not a folder', kept: 10, dropped: 0 });

      // The folder back: the next write (here a flush, as the 30 s retry or the next request does) writes each once.
      await rm(folder);
      await switchboard.ledger.flush();
      const written = await h.readLedger(ledgerPath);
      assert.deepEqual(written.map((record) => record.id).sort(), results.map((result) => result.record.id).sort());
      assert.equal(switchboard.ledger.failure(), undefined);
      await switchboard.spend.catchUp();
      assert.equal(switchboard.spend.today().total.requests, 10, 'read back, not counted twice');
      assert.equal(errors.length, 1, 'one message in all');
    } finally {
      await switchboard.dispose();
    }
  });

  it('tells after each later failed write, said once, what is kept now: the count the status bar shows keeps up', async () => {
    const ledgerPath = path.join(h.dir, 'kept-counts', 'ledger.jsonl');
    const { config } = resolveConfig({ providers: { openai: h.fakes.urls.openai }, auto: { enabled: false }, routes: { chat: ['openai:gpt-5.4-nano'] } });
    const errors: string[] = [];
    // What a redraw of the status bar at each call would read (extension.ts redraws it from onLedgerKept).
    const shown: unknown[] = [];
    // Woken by the hook itself, no polling: resolves once `ready` holds after a call.
    const waiters: Array<{ ready: () => boolean; resolve: () => void }> = [];
    const waitFor = (ready: () => boolean) => (ready() ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ ready, resolve })));
    // The hook runs only after a write, once create() has returned: `switchboard` is set by then.
    const switchboard: Switchboard = await Switchboard.create({
      config,
      source: 'vscode',
      env: h.isolatedEnv(KEYS),
      ledgerPath,
      ledgerRetryTimers: new ManualRetryTimers(),
      onLedgerError: (error) => errors.push(error.message),
      onLedgerKept: () => {
        shown.push({ ...switchboard.ledger.failure(), reachesOthers: switchboard.keptSpendReachesOthers });
        for (const waiter of waiters.filter((each) => each.ready())) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve();
        }
      },
    });
    try {
      await mkdir(ledgerPath, { recursive: true });
      for (let request = 1; request <= 3; request++) {
        const result = await switchboard.router.run('chat', REQUEST);
        assert.equal(result.record.outcome, 'ok');
        await switchboard.ledger.flush();
        // flush() is done once the write failed; the kept spend is published (and the hook called) just after.
        await waitFor(() => shown.length >= request);
        assert.deepEqual(shown.at(-1), { reason: 'the path is a directory', kept: request, dropped: 0, reachesOthers: true }, `after request ${request}`);
      }
      assert.equal(errors.length, 1, 'the warning itself is said once, at the first failure, counting 1');
      assert.match(errors[0]!, /1 record is kept in memory/);

      await rm(ledgerPath, { recursive: true });
      await switchboard.ledger.flush();
      await waitFor(() => (shown.at(-1) as { reason?: string }).reason === undefined);
      assert.equal(switchboard.ledger.failure(), undefined, 'written: the status bar, told once more, drops its line');
    } finally {
      await switchboard.dispose();
    }
  });

  it('tries the kept records once more when disposed, and writes or publishes nothing after', async () => {
    const ledgerPath = path.join(h.dir, 'closing', 'ledger.jsonl');
    const { config } = resolveConfig({ providers: { openai: h.fakes.urls.openai }, auto: { enabled: false }, routes: { chat: ['openai:gpt-5.4-nano'] } });
    const errors: string[] = [];
    // Retries the test fires itself: one left set after dispose is seen, and what it would write too.
    const timers = new ManualRetryTimers();
    const switchboard = await Switchboard.create({ config, source: 'vscode', env: h.isolatedEnv(KEYS), ledgerPath, ledgerRetryTimers: timers, onLedgerError: (error) => errors.push(error.message) });
    // A folder where the file should be: every write fails (EISDIR) until it is removed.
    await mkdir(ledgerPath, { recursive: true });
    h.fakes.openai.script({ text: 'Kept.', usage: { inputTokens: 10, outputTokens: 5 } });
    const kept = await switchboard.router.run('chat', REQUEST);
    assert.equal(kept.record.outcome, 'ok');
    await switchboard.ledger.flush();
    assert.equal(timers.pending, 1, 'a retry was set while the ledger failed');
    await switchboard.dispose();
    assert.equal(timers.pending, 0, 'dispose left no retry set');
    assert.deepEqual(switchboard.ledger.unwrittenLines().map((line) => (JSON.parse(line) as { id: string }).id), [kept.record.id]);
    // The kept spend, published for other windows' budgets, is withdrawn with the process.
    assert.deepEqual(await filesIn(`${ledgerPath}.inflight`), []);

    // Writable again. A retry still set, its time coming now, would write: fired, and flush() waits for any
    // write it started. None may reach the file or republish the kept spend.
    await rm(ledgerPath, { recursive: true });
    timers.fireAll();
    await switchboard.ledger.flush();
    assert.deepEqual(await h.readLedger(ledgerPath), []);
    assert.deepEqual(await filesIn(`${ledgerPath}.inflight`), []);
    assert.equal(switchboard.ledger.unwrittenLines().length, 1, 'still there for the caller to hand on (the CLI prints them)');
    assert.deepEqual(errors, [
      `Could not write to the ledger ${ledgerPath}: the path is a directory. Requests still answer; 1 record is kept in memory and written once it works again`,
    ]);
  });

  it('writes what it holds when disposed while the ledger works again, then refuses what comes later, saying so', async () => {
    const ledgerPath = path.join(h.dir, 'closing-freed', 'ledger.jsonl');
    const { config } = resolveConfig({ providers: { openai: h.fakes.urls.openai }, auto: { enabled: false }, routes: { chat: ['openai:gpt-5.4-nano'] } });
    const errors: string[] = [];
    const switchboard = await Switchboard.create({ config, source: 'vscode', env: h.isolatedEnv(KEYS), ledgerPath, onLedgerError: (error) => errors.push(error.message) });
    await mkdir(ledgerPath, { recursive: true });
    h.fakes.openai.script({ text: 'Kept.', usage: { inputTokens: 10, outputTokens: 5 } });
    const kept = await switchboard.router.run('chat', REQUEST);
    await switchboard.ledger.flush();
    await rm(ledgerPath, { recursive: true });
    await switchboard.dispose();
    assert.deepEqual((await h.readLedger(ledgerPath)).map((record) => record.id), [kept.record.id]);
    assert.deepEqual(switchboard.ledger.unwrittenLines(), []);

    // Nothing should append after dispose; a record that does is kept, named, and not written.
    await switchboard.ledger.append({ ...kept.record, id: 'late' });
    assert.deepEqual((await h.readLedger(ledgerPath)).map((record) => record.id), [kept.record.id]);
    assert.equal(errors.at(-1), `Not written to the ledger ${ledgerPath}: a record came after Switchboard was shut down`);
    assert.deepEqual(switchboard.ledger.unwrittenLines().map((line) => (JSON.parse(line) as { id: string }).id), ['late']);
  });
});

/** The names in `folder`; none when it does not exist (nothing was ever published there). */
async function filesIn(folder: string): Promise<string[]> {
  return readdir(folder).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
}
