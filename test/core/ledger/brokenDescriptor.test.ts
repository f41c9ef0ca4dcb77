import assert from 'node:assert/strict';
import { closeSync, openSync, readdirSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { resolveConfig } from '../../../src/core/config';
import { Switchboard } from '../../../src/core/switchboard';
import { KEYS, REQUEST, routerHarness } from '../routerHarness';

/** The descriptors of this process open on `file` (Linux: /proc/self/fd). */
function descriptorsOn(file: string): number[] {
  return readdirSync('/proc/self/fd')
    .map(Number)
    .filter((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`) === file;
      } catch {
        return false;
      }
    });
}

/**
 * Under a budget the router reads what other windows and the CLI wrote before it sends (the ledger followed
 * through one open file). A read of that open file that fails (EIO from a failing disk, a descriptor gone bad)
 * reached the chat panel's guard for failures of its own: the question unanswered, nothing recorded, and every
 * later read queued behind the failed one failed too.
 */
describe('a ledger whose open file fails to read', () => {
  const h = routerHarness('broken-descriptor');

  it('still answers and records the request, says so once, and reads the file again on the next request', async () => {
    const ledgerPath = path.join(h.dir, 'ledger.jsonl');
    const { config } = resolveConfig({
      providers: { openai: h.fakes.urls.openai },
      auto: { enabled: false },
      routes: { chat: ['openai:gpt-5.4-nano'] },
      budget: { dailyUsd: 5, action: 'block' },
    });
    const switchboard = await Switchboard.create({ config, source: 'vscode', env: h.isolatedEnv(KEYS), ledgerPath });
    const warnings: string[] = [];
    try {
      await switchboard.loadToday({ onWarning: (warning) => warnings.push(warning) });
      for (const text of ['One.', 'Two.']) {
        h.fakes.openai.script({ text });
        assert.equal((await switchboard.router.run('chat', REQUEST)).record.outcome, 'ok');
      }
      // The followed file is open now (the writer opens it for each write and closes it at once).
      const [followed] = descriptorsOn(ledgerPath);
      assert.ok(followed !== undefined, 'the ledger is followed through an open file');
      // Its descriptor goes bad under the reader: closed, and the number given to a folder, whose reads fail (EISDIR).
      closeSync(followed);
      // Not closed here: the reader lets the file go (closing this number) once its read fails.
      const folder = openSync(h.dir, 'r');
      assert.equal(folder, followed, 'the freed number was taken by the folder');

      h.fakes.openai.script({ text: 'Three.' });
      const third = await switchboard.router.run('chat', REQUEST);
      assert.equal(third.record.outcome, 'ok');
      assert.equal(third.text, 'Three.');
      assert.equal(warnings.length, 1, warnings.join('\n'));
      assert.match(warnings[0]!, new RegExp(`^${ledgerPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: could not read the ledger \\(.*EISDIR.*\\); spend other windows and the CLI recorded since is counted once it can be read again`));

      h.fakes.openai.script({ text: 'Four.' });
      assert.equal((await switchboard.router.run('chat', REQUEST)).record.outcome, 'ok');
      await switchboard.ledger.flush();
      assert.deepEqual((await h.readLedger(ledgerPath)).map((record) => record.outcome), ['ok', 'ok', 'ok', 'ok'], 'every request recorded');
      assert.equal(switchboard.today().total.requests, 4, 'each counted once');
      assert.equal(warnings.length, 1, 'said once');
    } finally {
      await switchboard.dispose();
    }
  });
});
