import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { planTitle } from '../../src/core/planChecklist';
import { TOGGLE_STEP_COMMAND } from '../../src/vscode/planSteps';
import { closeAllWithoutSaving } from './closeEditors';

const EXTENSION_ID = 'switchboard-dev.switchboard';
const PLAN = `${planTitle('Ship it')}\n- [ ] Write the tests\n- [ ] Ship\n`;
/** The first step's line in PLAN. */
const STEP = 3;

/**
 * Tick Plan Step (the lenses' command) can be run by anyone, with any arguments: another extension, or a
 * `command:` link in something rendered. It edits only Switchboard's own plans, and opens nothing to do it.
 */
describe('Tick Plan Step', () => {
  let dir: string;

  before(async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
    dir = await mkdtemp(path.join(tmpdir(), 'switchboard-steps-'));
  });
  after(async () => {
    await closeAllWithoutSaving();
    await rm(dir, { recursive: true, force: true });
  });

  it("ticks a step of an untitled plan, Switchboard's own (as after a reload)", async () => {
    const plan = await vscode.workspace.openTextDocument({ language: 'markdown', content: PLAN });
    await vscode.commands.executeCommand(TOGGLE_STEP_COMMAND, plan.uri, STEP);
    assert.equal(plan.lineAt(STEP).text, '- [x] Write the tests');
  });

  it('leaves a file alone, though it reads as a plan: closed, it is not opened; open, it is not edited', async () => {
    const file = vscode.Uri.file(path.join(dir, 'PLAN.md'));
    await writeFile(file.fsPath, PLAN);
    const opened = (uri: vscode.Uri) => vscode.workspace.textDocuments.some((document) => document.uri.toString() === uri.toString());
    await vscode.commands.executeCommand(TOGGLE_STEP_COMMAND, file, STEP);
    assert.equal(opened(file), false, 'not opened for the command');
    assert.equal(await readFile(file.fsPath, 'utf8'), PLAN);

    const editor = await vscode.window.showTextDocument(file);
    await vscode.commands.executeCommand(TOGGLE_STEP_COMMAND, file, STEP);
    editor.selection = new vscode.Selection(STEP, 0, STEP, 0);
    await vscode.commands.executeCommand(TOGGLE_STEP_COMMAND);
    assert.equal(editor.document.getText(), PLAN, 'neither by its address nor at the cursor');
    assert.equal(editor.document.isDirty, false);
  });

  it('takes no address that is not a Uri and no line that is not a line number', async () => {
    const plan = await vscode.workspace.openTextDocument({ language: 'markdown', content: PLAN });
    await vscode.window.showTextDocument(plan);
    for (const [uri, line] of [[plan.uri.toString(), STEP], [{ scheme: 'untitled', path: plan.uri.path }, STEP], [plan.uri, -1], [plan.uri, '3'], [plan.uri, 3.5]]) {
      await vscode.commands.executeCommand(TOGGLE_STEP_COMMAND, uri, line);
    }
    assert.equal(plan.getText(), PLAN);
  });
});
