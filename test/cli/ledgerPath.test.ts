import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { LedgerRecord } from '../../src/core/ledger';
import { cli, fakes, dir, configFile, baseEnv, keyedEnv, newLedger, useCliFixture, readLedger, oneErrorLine } from './cliFixture';
import { runCli } from './cliHarness';

/** Where the CLI writes and reads its ledger, and a ledger it cannot use. */
describe('switchboard: a ledger it cannot use', function () {
  this.timeout(20_000);
  useCliFixture();

  it("refuses a config file's ledger.path that is not a .jsonl file, such as a shell's start-up file, writing nothing there", async () => {
    const startup = path.join(dir, '.bash_profile');
    const hostile = path.join(dir, 'hostile.json');
    await writeFile(hostile, JSON.stringify({ ledger: { path: startup } }, null, 2));
    const result = await runCli(cli, ['ask', '--config', hostile, 'Hello'], { env: keyedEnv });
    assert.equal(result.code, 2);
    assert.equal(oneErrorLine(result), `switchboard: ${hostile}:3: ledger.path: ${JSON.stringify(startup)} is not a .jsonl file (name a ledger file ending in .jsonl, or use --ledger)`);
    assert.equal(existsSync(startup), false, 'nothing created there');
  });

  it('refuses a relative ledger.path in the config file, naming the key', async () => {
    const relative = path.join(dir, 'relative.json');
    await writeFile(relative, JSON.stringify({ ledger: { path: 'spend/ledger.jsonl' } }));
    const result = await runCli(cli, ['costs', '--config', relative], { env: baseEnv });
    assert.equal(result.code, 2);
    assert.equal(
      oneErrorLine(result),
      `switchboard: ${relative}:1: ledger.path: "spend/ledger.jsonl" is a relative path; give an absolute one (or one starting with ~/)`,
    );
  });

  it('refuses a relative SWITCHBOARD_LEDGER, naming it', async () => {
    const result = await runCli(cli, ['costs'], { env: { ...baseEnv, SWITCHBOARD_LEDGER: 'ledger.jsonl' } });
    assert.equal(result.code, 2);
    assert.equal(oneErrorLine(result), 'switchboard: SWITCHBOARD_LEDGER: "ledger.jsonl" is a relative path; give an absolute one (or one starting with ~/)');
  });

  it('refuses a ledger it cannot write before sending anything, since the record would be lost', async () => {
    const folder = path.join(dir, 'a-folder.jsonl');
    await mkdir(folder, { recursive: true });
    const refused = `switchboard: --ledger: "${folder}" is a directory, not a file; give the path of a ledger file (or of one to create)`;
    const costs = await runCli(cli, ['costs', '--ledger', folder], { env: baseEnv });
    assert.equal(costs.code, 2);
    assert.equal(oneErrorLine(costs), refused);

    const asked = await runCli(cli, ['ask', '--config', configFile, '--ledger', folder, 'Hello?'], { env: keyedEnv });
    assert.equal(asked.code, 2);
    assert.equal(asked.stdout, '');
    assert.equal(oneErrorLine(asked), refused);

    // A folder of the path that is a file: the writer could not make the ledger's folder.
    const underFile = path.join(configFile, 'ledger.jsonl');
    const completed = await runCli(cli, ['complete', '--config', configFile, '--ledger', underFile, '--file', configFile, '--line', '1', '--column', '1'], { env: keyedEnv });
    assert.equal(completed.code, 2);
    assert.equal(oneErrorLine(completed), `switchboard: cannot write the ledger ${underFile}: a part of the path is a file, not a folder; nothing was sent, since its record could not be kept`);
    assert.equal(fakes.openai.requests.length + fakes.anthropic.requests.length, 0);
  });

  it('refuses a ledger path that is a named pipe at once, naming the flag or variable (opening one would wait for a writer)', async () => {
    const pipe = path.join(dir, 'pipe.jsonl');
    execFileSync('mkfifo', [pipe]);
    const refused = (name: string) => `switchboard: ${name}: "${pipe}" is a named pipe (FIFO), not a regular file; give the path of a ledger file (or of one to create)`;
    for (const args of [['costs'], ['costs', '--json'], ['costs', '--csv'], ['costs', '--by', 'task']]) {
      const result = await runCli(cli, [...args, '--ledger', pipe], { env: baseEnv });
      assert.equal(result.code, 2, args.join(' '));
      assert.equal(result.stdout, '');
      assert.equal(oneErrorLine(result), refused('--ledger'), args.join(' '));
    }
    const fromEnv = await runCli(cli, ['costs'], { env: { ...baseEnv, SWITCHBOARD_LEDGER: pipe } });
    assert.equal(fromEnv.code, 2);
    assert.equal(oneErrorLine(fromEnv), refused('SWITCHBOARD_LEDGER'));
    // Commands that write the ledger refuse it before anything is sent.
    const asked = await runCli(cli, ['ask', '--config', configFile, '--ledger', pipe, 'Hello?'], { env: keyedEnv });
    assert.equal(asked.code, 2);
    assert.equal(oneErrorLine(asked), refused('--ledger'));
    await writeFile(path.join(dir, 'complete-pipe.ts'), 'const total = ');
    const completed = await runCli(cli, ['complete', '--config', configFile, '--ledger', pipe, '--file', path.join(dir, 'complete-pipe.ts'), '--line', '1', '--column', '15'], { env: keyedEnv });
    assert.equal(completed.code, 2);
    assert.equal(oneErrorLine(completed), refused('--ledger'));
    assert.equal(fakes.openai.requests.length + fakes.anthropic.requests.length, 0);
  });

  it('hands the record to the user when the ledger fails mid-run (the disk fills up), since the run ends', async () => {
    // Linux's /dev/full opens for appending, then fails every write with ENOSPC.
    const result = await runCli(cli, ['ask', '--config', configFile, '--ledger', '/dev/full', 'Hello?'], { env: keyedEnv });

    assert.equal(result.code, 0, 'the answer was printed');
    assert.match(result.stdout, /Simulated answer/);
    const lines = result.stderr.split('\n').filter((line) => line);
    assert.equal(lines.length, 3, result.stderr);
    assert.match(lines[0]!, /^switchboard: warning: Could not write to the ledger \/dev\/full: the disk is full\./);
    assert.equal(lines[1], 'switchboard: warning: this run ends before the ledger /dev/full could be written; its record (append to the ledger by hand to keep):');
    const record = JSON.parse(lines[2]!) as LedgerRecord;
    assert.equal(record.outcome, 'ok');
    assert.equal(record.model, 'gpt-5.4-nano');
  });

  it('answers under a budget on a real full disk, and hands the record to the user', async () => {
    // A tmpfs of 8 KiB in the run's own mount namespace (a user namespace maps it to root there, no privilege
    // needed), filled before the run: files are made, their bytes refused, as on a full disk. The ledger and
    // the budget's lock beside it (ledger.jsonl.inflight/lock) are on it; /dev/full has no folder for a lock.
    const mount = path.join(dir, 'full-disk');
    await mkdir(mount);
    const budgetConfig = path.join(dir, 'full-disk-budget.json');
    await writeFile(budgetConfig, JSON.stringify({ ...JSON.parse(await readFile(configFile, 'utf8')), budget: { dailyUsd: 5, action: 'block' } }));
    const fill = 'mount -t tmpfs -o size=8k tmpfs "$1" && { head -c 65536 /dev/zero > "$1/filler" 2>/dev/null; shift; exec "$@"; }';
    const result = await runCli(cli, ['ask', '--config', budgetConfig, '--ledger', path.join(mount, 'ledger.jsonl'), 'Hello?'], {
      env: keyedEnv,
      wrapper: ['unshare', '--user', '--map-root-user', '--mount', '--propagation', 'private', 'sh', '-c', fill, 'sh', mount],
    });

    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /Simulated answer/);
    const lines = result.stderr.split('\n').filter((line) => line);
    assert.equal(lines.length, 3, result.stderr);
    assert.equal(lines[0], `switchboard: warning: Could not write to the ledger ${mount}/ledger.jsonl: the disk is full. Requests still answer; 1 record is kept in memory and written once it works again`);
    assert.match(lines[1]!, /could be written; its record \(append to the ledger by hand to keep\):$/);
    assert.equal((JSON.parse(lines[2]!) as LedgerRecord).outcome, 'ok');
  });
});

describe("switchboard: the ledger's location", function () {
  this.timeout(20_000);
  useCliFixture();

  it('writes to and totals SWITCHBOARD_LEDGER when no --ledger is given', async () => {
    const fromEnv = path.join(dir, 'env-ledger', 'ledger.jsonl');
    const env = { ...keyedEnv, SWITCHBOARD_LEDGER: fromEnv };

    const asked = await runCli(cli, ['ask', '--config', configFile, 'Hello'], { env });
    assert.equal(asked.code, 0, asked.stderr);
    const costs = await runCli(cli, ['costs', '--json'], { env });

    assert.equal((await readLedger(fromEnv)).length, 1);
    assert.equal((JSON.parse(costs.stdout) as { requests: number }).requests, 1);
  });

  it('prefers --ledger to SWITCHBOARD_LEDGER', async () => {
    const fromEnv = path.join(dir, 'ignored', 'ledger.jsonl');
    const chosen = newLedger();

    const asked = await runCli(cli, ['ask', '--config', configFile, '--ledger', chosen, 'Hello'], {
      env: { ...keyedEnv, SWITCHBOARD_LEDGER: fromEnv },
    });

    assert.equal(asked.code, 0, asked.stderr);
    assert.equal((await readLedger(chosen)).length, 1);
    await assert.rejects(readFile(fromEnv), { code: 'ENOENT' });
  });
});
