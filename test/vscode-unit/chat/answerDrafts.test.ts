import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { AnswerDrafts } from '../../../src/vscode/chat/answerDrafts';

describe('answer drafts (the answer streaming now, in the extension storage folder)', () => {
  let root: string;
  let folder: string;
  let warnings: string[];
  const drafts = () => new AnswerDrafts(folder, (message) => warnings.push(message));

  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'switchboard-drafts-'));
    // Not made yet: the first write makes it, as VS Code makes no storage folder until an extension writes.
    folder = path.join(root, 'chat-drafts');
    warnings = [];
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('writes a draft another window reads back, and removes it', async () => {
    const file = drafts().for('c1');
    assert.equal(file.read(), undefined);
    await file.write({ position: 3, text: 'So far' });
    assert.deepEqual(drafts().for('c1').read(), { position: 3, text: 'So far' });
    await file.remove();
    assert.equal(drafts().for('c1').read(), undefined);
    assert.deepEqual(await readdir(folder), []);
    assert.deepEqual(warnings, []);
  });

  it('coalesces writes made while one is in flight: the last wins, every caller is answered, a removal after them all stands', async () => {
    const store = drafts();
    const file = store.for('c1');
    const written = Array.from({ length: 20 }, (_, index) => file.write({ position: 1, text: 'x'.repeat(index + 1) }));
    await Promise.all(written);
    assert.deepEqual(drafts().for('c1').read(), { position: 1, text: 'x'.repeat(20) });
    void file.write({ position: 1, text: 'late' });
    const removed = file.remove();
    await removed;
    await store.idle();
    assert.equal(existsSync(path.join(folder, 'c1.json')), false, 'a write queued before the removal does not bring it back');
    assert.deepEqual(await readdir(folder), [], 'no temporary file left behind');
  });

  it('is atomic: a write that fails leaves the last draft whole and no temporary file, and a crash mid-write (a stray temp) changes nothing', async () => {
    const store = drafts();
    const file = store.for('c1');
    await file.write({ position: 1, text: 'The complete draft' });
    // What a window that died between writing and renaming leaves: half a draft under a temporary name.
    await writeFile(path.join(folder, 'c1.json.99999.1.tmp'), '{"v":1,"position":1,"text":"The compl');
    assert.deepEqual(drafts().for('c1').read(), { position: 1, text: 'The complete draft' });

    // A rename that cannot happen (the other file's name taken by a folder) fails before touching it.
    const other = store.for('c2');
    await mkdir(path.join(folder, 'c2.json'));
    await assert.rejects(other.write({ position: 1, text: 'never whole' }));
    assert.deepEqual((await readdir(folder)).sort(), ['c1.json', 'c1.json.99999.1.tmp', 'c2.json']);
    assert.deepEqual(drafts().for('c1').read(), { position: 1, text: 'The complete draft' });
  });

  it('reads the longer of the asynchronous draft and the one a closing window wrote at once, the later answer first', async () => {
    const file = drafts().for('c1');
    await file.write({ position: 5, text: 'Older text' });
    file.writeNow({ position: 5, text: 'Older text, and more' });
    assert.deepEqual(drafts().for('c1').read(), { position: 5, text: 'Older text, and more' });
    await file.write({ position: 7, text: 'Next' });
    assert.deepEqual(drafts().for('c1').read(), { position: 7, text: 'Next' }, 'a later answer wins over a longer earlier one');
    await file.remove();
    assert.deepEqual(await readdir(folder), [], 'both files go');
  });

  it('does not restore a torn or foreign draft, and says which file', async () => {
    await mkdir(folder, { recursive: true });
    await writeFile(path.join(folder, 'c1.json'), '{"v":1,"position":2,"te');
    await writeFile(path.join(folder, 'c2.json'), JSON.stringify({ v: 1, position: -1, text: 'x' }));
    assert.equal(drafts().for('c1').read(), undefined);
    assert.equal(drafts().for('c2').read(), undefined);
    assert.equal(warnings.length, 2);
    assert.match(warnings[0]!, /c1\.json has an unexpected shape/);
    assert.equal(await readFile(path.join(folder, 'c1.json'), 'utf8'), '{"v":1,"position":2,"te', 'left for the next save to replace');
  });

  it('refuses an id that would name a file outside its folder', () => {
    assert.throws(() => drafts().for('../escape'), /cannot name a draft file: "..\/escape"/);
  });
});
