import assert from 'node:assert/strict';
import { mkdirSync, rmSync } from 'node:fs';
import {
  clearNotifications,
  fakes,
  hoverStatusBarItem,
  notificationToast,
  runCommandWithInput,
  useWorkbenchOnFakes,
  waitForEditorText,
  waitUntil,
  workbench,
} from './harness';

const STATUS = { id: 'switchboard.status' };

/**
 * The ledger stops being writable while the window runs (a folder takes the file's place: every write fails). The
 * warning is said once, at the first failed write; the status bar's tooltip must keep counting the records kept in
 * memory after the later ones too.
 */
describe('Status bar while the ledger cannot be written', () => {
  useWorkbenchOnFakes({
    userSettings: {
      'switchboard.routes.chat': ['openai:gpt-5.4'],
      'switchboard.auto.enabled': false,
    },
  });

  /** The tooltip's first line, read from a fresh hover each time (VS Code shows the tooltip as set when hovered). */
  async function tooltipFirstLine(): Promise<string> {
    const hover = await hoverStatusBarItem(workbench.page, STATUS);
    const text = (await hover.innerText()).split('\n')[0] ?? '';
    await workbench.page.mouse.move(10, 10);
    await hover.waitFor({ state: 'hidden' });
    return text;
  }

  it('counts every record kept in memory, not only the first failure\'s, and says it once', async () => {
    const { page, server } = workbench;
    rmSync(server.ledgerPath, { force: true });
    mkdirSync(server.ledgerPath, { recursive: true });

    fakes.openai.scriptModel('gpt-5.4', { text: 'First answer, kept in memory.' });
    await runCommandWithInput(page, 'Switchboard: Ask…', 'Switchboard: Ask', 'First question?');
    await waitForEditorText(page, /First answer, kept in memory\./);
    const toast = notificationToast(page, 'Could not write to the ledger');
    await toast.waitFor({ state: 'visible' });
    assert.match(await toast.innerText(), /the path is a directory\. Requests still answer; 1 record is kept in memory/);
    await clearNotifications(page);

    fakes.openai.scriptModel('gpt-5.4', { text: 'Second answer, kept too.' });
    await runCommandWithInput(page, 'Switchboard: Ask…', 'Switchboard: Ask', 'Second question?');
    await waitForEditorText(page, /Second answer, kept too\./);
    let line = '';
    await waitUntil(async () => /: 2 records kept in memory/.test((line = await tooltipFirstLine())), () => `the tooltip to count 2 records kept; it says: ${line}`);
    assert.match(line, /The ledger cannot be written \(.*: the path is a directory\): 2 records kept in memory, counted in the totals below/);
    assert.equal(await notificationToast(page, 'Could not write to the ledger').count(), 0, 'the warning is not said again for the same reason');

    // Writable again: the next request writes all three, and the line goes.
    rmSync(server.ledgerPath, { recursive: true });
    fakes.openai.scriptModel('gpt-5.4', { text: 'Third answer, written.' });
    await runCommandWithInput(page, 'Switchboard: Ask…', 'Switchboard: Ask', 'Third question?');
    await waitForEditorText(page, /Third answer, written\./);
    await waitUntil(async () => !/ledger cannot be written/.test((line = await tooltipFirstLine())), () => `the tooltip to drop the ledger's line; it says: ${line}`);
  });
});
