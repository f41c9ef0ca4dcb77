import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../scripts/vscode/ensure-server.mjs';
import { createShowcaseAnswerer } from '../fakes/showcase';
import { notificationToast, openFile, page, runCommandWithInput, useWorkbenchOnFakes, waitForEditorText, webviewFrame } from './harness';

const SAMPLE_FILES = ['src/inventory.ts', 'src/format.ts', 'README.md'];
/** The sections the plan prompt asks for, in order, as the preview shows them. */
const SECTIONS = ['Goal', 'Steps', 'Files to touch', 'Risks', 'Open questions'];

/** Issue 14: the sandbox's simulated plan shows the whole shape of a plan in the real workbench. */
describe('A simulated plan in the workbench (the sandbox’s showcase answers)', () => {
  useWorkbenchOnFakes(
    () => ({
      files: Object.fromEntries(SAMPLE_FILES.map((file) => [file, readFileSync(path.join(repoRoot, 'sample-workspace', file), 'utf8')])),
      userSettings: { 'switchboard.routes.plan': ['anthropic:claude-opus-5'] },
    }),
    // The showcase answerer npm start uses, streaming faster: the shape is under test, not the pace.
    { fakeProviders: { answerer: createShowcaseAnswerer(300) } },
  );

  it('shows every section (Goal, Steps to tick, Files to touch, Risks, Open questions), labelled Simulated', async () => {
    await openFile(page, 'src/inventory.ts');
    await runCommandWithInput(page, 'Switchboard: Plan…', 'Switchboard: Plan', 'Add a low-stock report');
    await waitForEditorText(page, /^Plan: Add a low-stock report\n=+\n/);

    const ready = notificationToast(page, /the plan is ready, with \d+ steps to tick off/);
    await ready.waitFor({ state: 'visible' });
    const steps = Number(/with (\d+) steps/.exec(await ready.innerText())?.[1]);
    await ready.getByRole('button', { name: 'Open Preview' }).click();

    const preview = await webviewFrame(page, 'input.task-list-item-checkbox');
    await preview.getByText(/Answered by anthropic:claude-opus-5/).first().waitFor({ state: 'visible' });
    assert.deepEqual(await preview.locator('h2').allInnerTexts(), SECTIONS);
    assert.match(await preview.locator('blockquote').first().innerText(), /^Simulated plan\./);

    const section = (title: string) => preview.locator(`h2:has-text("${title}") + *`);
    assert.match(await section('Goal').innerText(), /^Add a low-stock report\. The change stays inside /);
    assert.ok(steps >= 3, `the plan has steps (${steps})`);
    assert.equal(await section('Steps').locator('input.task-list-item-checkbox').count(), steps, 'every step is a box to tick');
    assert.equal(await section('Steps').locator('input.task-list-item-checkbox:checked').count(), 0);
    const files = await section('Files to touch').locator('li').allInnerTexts();
    assert.ok(files[0]?.startsWith('src/inventory.ts'), `the file in focus comes first: ${JSON.stringify(files)}`);
    assert.ok(files.some((file) => file.startsWith('src/inventory.test.ts (new)')), `its test file is listed: ${JSON.stringify(files)}`);
    assert.ok((await section('Risks').locator('li').count()) >= 2, 'the risks are listed');
    assert.ok((await section('Open questions').locator('li').count()) >= 1, 'the open questions are listed');
  });
});
