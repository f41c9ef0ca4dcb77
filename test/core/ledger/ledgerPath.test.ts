import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { resolveConfig } from '../../../src/core/config';
import { defaultLedgerPath, resolveLedgerFile, resolveLedgerPath } from '../../../src/core/ledger/ledgerPath';
import { LedgerReadError, scanFile } from '../../../src/core/ledger/scan';
import { Switchboard } from '../../../src/core/switchboard';
import { tempDir } from './fixtures';

describe('ledger path', () => {
  it('is --ledger (relative to the working directory), else an absolute SWITCHBOARD_LEDGER, else an absolute ledger.path, else the default; a relative one is refused, naming it', () => {
    const home = '/home/ada';
    const resolve = (sources: Parameters<typeof resolveLedgerPath>[0]) => resolveLedgerPath({ platform: 'linux', home, cwd: '/work/project', env: {}, ...sources });
    const fallback = '/home/ada/.local/share/switchboard/ledger.jsonl';

    assert.deepEqual(resolve({ flag: 'out/ledger.jsonl', env: { SWITCHBOARD_LEDGER: '/env.jsonl' }, setting: '/setting.jsonl' }), { path: '/work/project/out/ledger.jsonl' });
    assert.deepEqual(resolve({ flag: '/abs/ledger.jsonl' }), { path: '/abs/ledger.jsonl' });
    assert.deepEqual(resolve({ env: { SWITCHBOARD_LEDGER: '/env.jsonl' }, setting: '/setting.jsonl' }), { path: '/env.jsonl' });
    assert.deepEqual(resolve({ setting: '/setting.jsonl' }), { path: '/setting.jsonl' });
    assert.deepEqual(resolve({ setting: '~/ledgers/mine.jsonl' }), { path: '/home/ada/ledgers/mine.jsonl' });
    assert.deepEqual(resolve({}), { path: fallback });

    assert.deepEqual(resolve({ env: { SWITCHBOARD_LEDGER: 'ledger.jsonl' }, setting: '/setting.jsonl' }), {
      path: '/setting.jsonl',
      problem: 'SWITCHBOARD_LEDGER: "ledger.jsonl" is a relative path; give an absolute one (or one starting with ~/)',
    });
    assert.deepEqual(resolve({ setting: 'data/ledger.jsonl' }), {
      path: fallback,
      problem: 'ledger.path: "data/ledger.jsonl" is a relative path; give an absolute one (or one starting with ~/)',
    });
    assert.deepEqual(resolveLedgerPath({ platform: 'win32', home: 'C:\\Users\\ada', env: { SWITCHBOARD_LEDGER: 'D:\\l.jsonl', APPDATA: 'C:\\AppData' } }), { path: 'D:\\l.jsonl' });
  });

  describe('a path that is there but is not a regular file', () => {
    const dir = tempDir('ledger-kind');
    const pipeProblem = (name: string, file: string) => `${name}: "${file}" is a named pipe (FIFO), not a regular file; give the path of a ledger file (or of one to create)`;

    it('is refused, naming the source and what the path is, without opening it (a named pipe would wait for a writer)', async () => {
      const pipe = path.join(dir.path, 'pipe.jsonl');
      execFileSync('mkfifo', [pipe]);
      const folder = path.join(dir.path, 'folder.jsonl');
      await mkdir(folder);
      const file = path.join(dir.path, 'ledger.jsonl');
      await writeFile(file, '');
      const socket = path.join(dir.path, 'socket.jsonl');
      const server = createServer();
      await new Promise<void>((resolve) => server.listen(socket, resolve));
      try {
        const fallback = path.join(dir.path, 'data', 'switchboard', 'ledger.jsonl');
        const resolve = (sources: Parameters<typeof resolveLedgerFile>[0]) => resolveLedgerFile({ platform: 'linux', cwd: dir.path, env: { XDG_DATA_HOME: path.join(dir.path, 'data') }, ...sources });

        assert.deepEqual(await resolve({ flag: 'pipe.jsonl' }), { path: pipe, problem: pipeProblem('--ledger', pipe) });
        assert.deepEqual(await resolve({ flag: socket }), { path: socket, problem: `--ledger: "${socket}" is a socket, not a regular file; give the path of a ledger file (or of one to create)` });
        assert.deepEqual(await resolve({ flag: folder }), { path: folder, problem: `--ledger: "${folder}" is a directory, not a file; give the path of a ledger file (or of one to create)` });
        // From the environment or the settings the next source is used, as for a relative path.
        assert.deepEqual(await resolve({ env: { SWITCHBOARD_LEDGER: pipe }, setting: file }), { path: file, problem: pipeProblem('SWITCHBOARD_LEDGER', pipe) });
        assert.deepEqual(await resolve({ env: { XDG_DATA_HOME: path.join(dir.path, 'data') }, setting: pipe, settingName: 'switchboard.ledger.path' }), { path: fallback, problem: pipeProblem('switchboard.ledger.path', pipe) });
        // A regular file, a file not made yet, and a character device (nothing to wait for, no bytes to read) are used.
        assert.deepEqual(await resolve({ flag: file }), { path: file });
        assert.deepEqual(await resolve({ flag: 'not-yet.jsonl' }), { path: path.join(dir.path, 'not-yet.jsonl') });
        assert.deepEqual(await resolve({ flag: '/dev/null' }), { path: '/dev/null' });

        // The reader refuses one too (an archived month's name may be a pipe), rather than wait on it.
        await assert.rejects(scanFile(pipe), new LedgerReadError(`${pipe}: the ledger path is a named pipe (FIFO), not a regular file`));
        await assert.rejects(scanFile(socket), new LedgerReadError(`${socket}: the ledger path is a socket, not a regular file`));
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    });

    it('set in the editor, is passed over for the default ledger, naming the setting, at start and after a settings change', async () => {
      const pipe = path.join(dir.path, 'pipe.jsonl');
      execFileSync('mkfifo', [pipe]);
      const file = path.join(dir.path, 'ledger.jsonl');
      const env = { XDG_DATA_HOME: path.join(dir.path, 'data') };
      const fallback = path.join(dir.path, 'data', 'switchboard', 'ledger.jsonl');
      const switchboard = await Switchboard.create({ config: resolveConfig({ ledger: { path: pipe } }).config, source: 'vscode', env, ledgerSettingName: 'switchboard.ledger.path' });
      try {
        assert.equal(switchboard.ledgerPath, fallback);
        assert.equal(switchboard.ledgerProblem, pipeProblem('switchboard.ledger.path', pipe));
        // Today's spend is read from the ledger used, not from the pipe: this would wait forever otherwise.
        assert.deepEqual(await switchboard.loadToday(), []);

        await switchboard.reconfigure(resolveConfig({ ledger: { path: file } }).config);
        assert.equal(switchboard.ledgerPath, file);
        assert.equal(switchboard.ledgerProblem, undefined);
        await switchboard.reconfigure(resolveConfig({ ledger: { path: pipe } }).config);
        assert.equal(switchboard.ledgerPath, fallback);
        assert.equal(switchboard.ledgerProblem, pipeProblem('switchboard.ledger.path', pipe));
      } finally {
        await switchboard.dispose();
      }
    });
  });

  describe('default', () => {
    it('follows XDG_DATA_HOME on Linux, defaulting to ~/.local/share', () => {
      assert.equal(defaultLedgerPath({}, 'linux', '/home/ada'), '/home/ada/.local/share/switchboard/ledger.jsonl');
      assert.equal(defaultLedgerPath({ XDG_DATA_HOME: '/data/ada' }, 'linux', '/home/ada'), '/data/ada/switchboard/ledger.jsonl');
      // A relative XDG_DATA_HOME is invalid per the spec and ignored.
      assert.equal(defaultLedgerPath({ XDG_DATA_HOME: 'rel' }, 'linux', '/home/ada'), '/home/ada/.local/share/switchboard/ledger.jsonl');
    });

    it('is under Application Support on macOS', () => {
      assert.equal(defaultLedgerPath({}, 'darwin', '/Users/ada'), '/Users/ada/Library/Application Support/switchboard/ledger.jsonl');
    });

    it('is under %APPDATA% on Windows', () => {
      assert.equal(
        defaultLedgerPath({ APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' }, 'win32', 'C:\\Users\\ada'),
        'C:\\Users\\ada\\AppData\\Roaming\\switchboard\\ledger.jsonl',
      );
      assert.equal(defaultLedgerPath({}, 'win32', 'C:\\Users\\ada'), 'C:\\Users\\ada\\AppData\\Roaming\\switchboard\\ledger.jsonl');
    });
  });
});
