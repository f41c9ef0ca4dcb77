import assert from 'node:assert/strict';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { resolveConfig } from '../../../src/core/config';
import { Switchboard } from '../../../src/core/switchboard';
import { KEYS, REQUEST, routerHarness } from '../routerHarness';

/**
 * While one window's ledger cannot be written, the records it keeps in memory count in its own budget; other
 * windows and the CLI read the ledger, so they did not see that spend and could spend the same limit again.
 * The spend is published beside the ledger (or, where that cannot be written, in a private folder of the
 * user's in the temporary folder), and counted as spent by the others.
 */
describe('spend kept in memory while the ledger cannot be written, seen by other windows', () => {
  const h = routerHarness('kept-spend');
  let count = 0;

  async function windowOn(ledgerPath: string): Promise<Switchboard> {
    const { config, problems } = resolveConfig({
      providers: { openai: h.fakes.urls.openai },
      auto: { enabled: false },
      routes: { chat: ['openai:gpt-5.4-nano'] },
      budget: { dailyUsd: 0.05, action: 'block' },
    });
    assert.deepEqual(problems, []);
    const switchboard = await Switchboard.create({ config, source: 'vscode', env: h.isolatedEnv(KEYS), ledgerPath, onLedgerError: () => undefined });
    await switchboard.loadToday();
    return switchboard;
  }

  /** One window spends past the day's limit while its ledger is a folder (EISDIR); the other then asks. */
  async function spendUnwrittenThenAsk(ledgerPath: string): Promise<{ first: Switchboard; refusal: string | undefined; sent: number }> {
    const first = await windowOn(ledgerPath);
    const second = await windowOn(ledgerPath);
    // After both have read it (a folder there cannot be read either): every write now fails with EISDIR.
    await mkdir(ledgerPath, { recursive: true });
    try {
      h.fakes.openai.script({ text: 'Costly.', usage: { inputTokens: 2_000_000, outputTokens: 5 } });
      const spent = await first.router.run('chat', REQUEST);
      assert.equal(spent.record.outcome, 'ok');
      assert.ok((spent.record.costUsd ?? 0) > 0.05);
      await first.ledger.flush();
      assert.equal(first.ledger.failure()?.kept, 1, 'kept in memory');
      const sentBefore = h.fakes.openai.requests.length;
      h.fakes.openai.script({ text: 'Should not be asked.' });
      const asked = await second.router.run('chat', REQUEST);
      return { first, refusal: asked.error, sent: h.fakes.openai.requests.length - sentBefore };
    } finally {
      await second.dispose();
    }
  }

  it('counts it as spent in another window\'s budget, through the folder beside the ledger', async () => {
    const ledgerPath = path.join(h.dir, `beside-${++count}`, 'ledger.jsonl');
    const { first, refusal, sent } = await spendUnwrittenThenAsk(ledgerPath);
    try {
      assert.equal(sent, 0, 'the other window sent nothing');
      assert.match(refusal ?? '', /^daily budget reached: \$0\.\d+ spent of \$0\.05/);
      assert.equal(first.keptSpendReachesOthers, true);
    } finally {
      await first.dispose();
    }
    assert.deepEqual(await readdir(`${ledgerPath}.inflight`), [], 'withdrawn when the window closes');
  });

  it('publishes it in the private fallback folder when the folder beside the ledger cannot be written either', async () => {
    const ledgerPath = path.join(h.dir, `fallback-${++count}`, 'ledger.jsonl');
    await mkdir(path.dirname(ledgerPath), { recursive: true });
    // A file where the folder beside the ledger would go: nothing can be written there.
    await writeFile(`${ledgerPath}.inflight`, '');
    const tmp = process.env.TMPDIR;
    process.env.TMPDIR = path.join(h.dir, `tmp-${count}`);
    await mkdir(process.env.TMPDIR);
    try {
      const { first, refusal, sent } = await spendUnwrittenThenAsk(ledgerPath);
      try {
        assert.equal(sent, 0);
        assert.match(refusal ?? '', /^daily budget reached/);
        assert.equal(first.keptSpendReachesOthers, true);
      } finally {
        await first.dispose();
      }
    } finally {
      if (tmp === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = tmp;
    }
  });

  it('says when no other window can see it: neither folder can be written', async () => {
    const ledgerPath = path.join(h.dir, `nowhere-${++count}`, 'ledger.jsonl');
    await mkdir(path.dirname(ledgerPath), { recursive: true });
    await writeFile(`${ledgerPath}.inflight`, '');
    const tmp = process.env.TMPDIR;
    // A file for the temporary folder: the fallback cannot be made.
    process.env.TMPDIR = path.join(h.dir, `tmp-file-${count}`);
    await writeFile(process.env.TMPDIR, '');
    try {
      const { first, sent } = await spendUnwrittenThenAsk(ledgerPath);
      try {
        assert.equal(sent, 1, 'the other window could not know: it asked');
        assert.equal(first.keptSpendReachesOthers, false);
      } finally {
        await first.dispose();
      }
    } finally {
      if (tmp === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = tmp;
    }
  });
});
