import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { askInChat as ask, fakes, openChatPanel, page, useWorkbenchOnFakes, waitUntil } from './harness';

/**
 * A service on this computer that acts on a plain visit (a dev server's reset page, a router's reboot link): what a
 * link in a model's answer could make the browser visit. It records the paths asked for.
 */
async function startLocalService(): Promise<{ port: number; visits: string[]; close(): Promise<void> }> {
  const visits: string[] = [];
  const server: Server = createServer((request, response) => {
    visits.push(request.url ?? '');
    response.end('done');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    visits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Links in a model's answer to the user's own computer: their text says one thing, the link leads to another. */
describe('Chat panel links to this computer', () => {
  let service: Awaited<ReturnType<typeof startLocalService>>;

  useWorkbenchOnFakes({ userSettings: { 'switchboard.routes.chat': ['openai:gpt-5.4'], 'switchboard.auto.enabled': false } });

  before(async () => {
    service = await startLocalService();
  });
  after(async () => {
    // Unset if the workbench's before failed first.
    await service?.close();
  });

  it('asks in a modal naming the whole URL before opening a loopback link; Cancel opens nothing, Open Link opens it', async () => {
    const answer = [
      'Read [the official docs](http://127.0.0.1:' + service.port + '/admin/reset?all=1) first,',
      'then [https://github.com/org/repo](http://2130706433:' + service.port + '/decimal) for the code.',
    ].join('\n');
    fakes.openai.scriptModel('gpt-5.4', { text: answer });
    const chat = await openChatPanel(page, 'activity bar');
    await ask(chat, 'Where are the docs?');
    const shown = chat.locator('.message.assistant').last();
    await shown.locator('.answer-footer').waitFor({ state: 'visible' });

    // Before any click, a hover says where each link goes: the URL as the browser reads it, the decimal host spelt out.
    const official = shown.getByText('the official docs', { exact: true });
    await official.hover();
    assert.equal(await official.getAttribute('title'), `http://127.0.0.1:${service.port}/admin/reset?all=1`);
    assert.equal(await shown.getByText('https://github.com/org/repo', { exact: true }).getAttribute('title'), `http://127.0.0.1:${service.port}/decimal`);

    const dialog = page.locator('.monaco-dialog-box');
    // What the browser opens: in this web workbench VS Code hands a loopback link to the server's port forwarding
    // (`/proxy/PORT/…`), so the opened tab, not a visit to the service, shows the link was opened.
    const popups: string[] = [];
    page.context().on('page', (opened) => popups.push(opened.url()));
    await shown.getByText('the official docs', { exact: true }).click();
    await dialog.getByText('Open a link from the answer to 127.0.0.1?').waitFor({ state: 'visible' });
    const asked = await dialog.innerText();
    assert.ok(asked.includes(`http://127.0.0.1:${service.port}/admin/reset?all=1`), asked);
    assert.match(asked, /a loopback address: a service on this computer/);
    // Asked before anything was opened: neither the workbench nor the extension opened the link on the click.
    assert.deepEqual([service.visits, popups], [[], []]);
    await dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });

    // The link whose text names GitHub, and whose target is 127.0.0.1 written as one decimal number.
    await shown.getByText('https://github.com/org/repo', { exact: true }).click();
    await dialog.getByText('Open a link from the answer to 127.0.0.1?').waitFor({ state: 'visible' });
    assert.ok((await dialog.innerText()).includes(`http://127.0.0.1:${service.port}/decimal`));
    assert.deepEqual([service.visits, popups], [[], []], 'Cancel on the first link opened nothing');
    await dialog.getByRole('button', { name: 'Open Link', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    await waitUntil(async () => popups.length > 0, 'the browser to open the link the user chose to open');
    assert.equal(popups.length, 1, `opened once, by the extension, after the question: ${popups.join(', ')}`);
    assert.ok(popups[0]!.endsWith(`/proxy/${service.port}/decimal`) || popups[0] === `http://127.0.0.1:${service.port}/decimal`, popups[0]);
    for (const opened of page.context().pages()) if (opened !== page) await opened.close();
  });

  it("shows a URL with credentials in the answer as the model wrote it: masking is for Switchboard's own addresses", async () => {
    const url = 'https://deploy:s3cret-pass@registry.example/v2?api_key=abc123&region=eu';
    fakes.openai.scriptModel('gpt-5.4', { text: `Log in with ${url} as shown.\n\n\`\`\`sh\ncurl '${url}'\n\`\`\`` });
    // The panel may still be showing from the test before: its icon would close it.
    const chat = await openChatPanel(page, 'palette');
    await ask(chat, 'How do I log in to the registry?');
    const shown = chat.locator('.message.assistant').last();
    await shown.locator('.answer-footer').waitFor({ state: 'visible' });
    const text = await shown.innerText();
    assert.ok(text.includes(`Log in with ${url} as shown.`), text);
    assert.ok(text.includes(`curl '${url}'`), text);
    assert.ok(!text.includes('***'), text);
  });
});
