import assert from 'node:assert/strict';
import { rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { resolveConfig, type SwitchboardConfig } from '../../../src/core/config';
import { Switchboard } from '../../../src/core/switchboard';
import { KEYS, REQUEST, routerHarness } from '../routerHarness';

describe('the ledger path changed without a reload', () => {
  const h = routerHarness('ledger-path-change');

  const settings = (ledgerPath: string, providers: Record<string, unknown> = {}): SwitchboardConfig => {
    const { config, problems } = resolveConfig({
      providers: { openai: h.fakes.urls.openai, ...providers },
      auto: { enabled: false },
      routes: { chat: ['openai:gpt-5.4-nano'] },
      ledger: { path: ledgerPath },
    });
    assert.deepEqual(problems, []);
    return config;
  };

  it('writes the records the old path could not take (writing failed) to the new one, before the new ones', async () => {
    // A folder in the path is a file: every write fails (ENOTDIR), as a mistyped or unwritable path does.
    const blocker = path.join(h.dir, 'not-a-folder');
    await writeFile(blocker, '');
    const fixed = path.join(h.dir, 'fixed', 'ledger.jsonl');
    const errors: string[] = [];
    const switchboard = await Switchboard.create({
      config: settings(path.join(blocker, 'ledger.jsonl')),
      source: 'vscode',
      env: h.isolatedEnv(KEYS),
      onLedgerError: (error) => errors.push(error.message),
    });
    try {
      h.fakes.openai.script({ text: 'The first answer.' });
      const first = await switchboard.router.run('chat', REQUEST);
      await switchboard.ledger.flush();
      assert.equal(errors.length, 1);
      assert.match(errors[0]!, /^Could not write to the ledger .*: a part of the path is a file, not a folder\. Requests still answer; 1 record is kept in memory/);

      // The user corrects the setting; no reload.
      const previous = switchboard.ledger;
      await switchboard.reconfigure(settings(fixed));
      h.fakes.openai.script({ text: 'The second answer.' });
      const second = await switchboard.router.run('chat', REQUEST);
      await switchboard.ledger.flush();

      const written = await h.readLedger(fixed);
      assert.deepEqual(written, [first.record, second.record].map((record) => JSON.parse(JSON.stringify(record))));

      // The old path works again (its blocker gone) and its writer is flushed, as its own retry would: the
      // records it handed over are not written a second time there.
      await rm(blocker);
      await previous.flush();
      assert.equal(await stat(path.join(blocker, 'ledger.jsonl')).catch(() => undefined), undefined);
    } finally {
      await switchboard.dispose();
    }
  });

  it('applies the rest of a change whose new ledger path cannot be read, and says why', async () => {
    const errors: string[] = [];
    const switchboard = await Switchboard.create({
      config: settings(path.join(h.dir, 'watched', 'ledger.jsonl')),
      source: 'vscode',
      env: h.isolatedEnv(KEYS),
      onLedgerError: (error) => errors.push(error.message),
    });
    try {
      await switchboard.loadToday({ watch: true });
      // The same save points the ledger at a folder and adds a provider.
      await switchboard.reconfigure(settings(h.dir, { custom: { ollama: { type: 'openai', baseUrl: 'http://127.0.0.1:11434/v1' } } }));
      assert.equal(switchboard.registry.status('ollama')?.usable, true, 'the new provider is set up');
      // The folder is passed over for the default ledger (as at start), and the reason names the setting.
      assert.match(switchboard.ledgerProblem ?? '', /ledger\.path: ".*" is a directory, not a file/);
      assert.notEqual(switchboard.ledgerPath, h.dir);
      assert.deepEqual(errors, []);
    } finally {
      await switchboard.dispose();
    }
  });
});
