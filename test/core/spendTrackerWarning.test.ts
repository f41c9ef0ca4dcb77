import assert from 'node:assert/strict';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { newRecordId } from '../../src/core/ledger/recordId';
import { localDay } from '../../src/core/localDay';
import { SpendTracker } from '../../src/core/spendTracker';
import { record, tempDir } from './ledger/fixtures';

/** The spend tracker runs in the editor and in the CLI: its warnings must read right in both. */
describe('spend tracker warnings', () => {
  const dir = tempDir('spend-warning');

  it('says when the archived months cannot be read again after a replacement, in words for a window and for the CLI', async () => {
    const file = path.join(dir.path, 'ledger.jsonl');
    const warnings: string[] = [];
    await writeFile(file, `${JSON.stringify(record({ id: newRecordId(), costUsd: 0.5 }))}\n`);
    const tracker = new SpendTracker();
    await tracker.attach(file, { onWarning: (warning) => warnings.push(warning) });
    // An archive of this month that cannot be read (a folder under its name), then the live file replaced.
    await mkdir(path.join(dir.path, `ledger.${localDay(new Date()).slice(0, 7)}.jsonl`));
    await writeFile(`${file}.tmp`, `${JSON.stringify(record({ id: newRecordId(), costUsd: 0.25 }))}\n`);
    await rename(`${file}.tmp`, file);
    await tracker.catchUp();
    await tracker.detach();
    const warning = warnings.find((text) => text.includes('could not read the archived months again'));
    assert.ok(warning, warnings.join('\n'));
    assert.match(warning, /not counted until the ledger is read again from its start \(the window reloaded, or the next CLI run\)$/);
    assert.doesNotMatch(warning, /until the window is reloaded/);
  });
});
