import assert from 'node:assert/strict';
import { defaultLedgerPath, resolveLedgerPath } from '../../../src/core/ledger/ledgerPath';

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
