import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startFakeOpenAI, type FakeServer } from '../fakes/index';
import { startTlsFront, type TlsFront } from '../fakes/tlsFront';
import { captureFailuresAndCloseAfterSuite, openWorkbench, runCommand, visibleDocumentLines, waitForEditorText, type Workbench } from './harness';

/** The whole report, read a page at a time (its lines wrap in the editor, but each stays one document line). */
async function reportLines(page: Page): Promise<string[]> {
  // From the top: an earlier read left the report scrolled to its end.
  await page.keyboard.press('Control+Home');
  await waitForEditorText(page, /^Switchboard setup check/m);
  const byNumber = new Map<number, string>();
  for (let pages = 0; pages < 20; pages++) {
    const before = byNumber.size;
    for (const [number, text] of (await visibleDocumentLines(page)).lines) if (!byNumber.has(number) || byNumber.get(number)!.length < text.length) byNumber.set(number, text);
    if (pages > 0 && byNumber.size === before) break;
    await page.keyboard.press('PageDown');
  }
  return [...byNumber.entries()].sort(([a], [b]) => a - b).map(([, text]) => text);
}

/**
 * Server addresses as users paste them (src/core/azureDeploymentUrl.ts, src/core/providers/urlCredentials.ts): an
 * Azure OpenAI deployment's URL from the portal as the OpenAI baseUrl, and an Ollama behind nginx's basic auth with
 * the user name and password in a custom provider's baseUrl (and a key set too, which is not sent). Check Setup says what to write for the first, and asks
 * the second with its credentials, showing them masked; for a home lab over https with a self-signed certificate it
 * names the way to trust it.
 */
describe('Server addresses pasted as users write them', () => {
  let workbench: Workbench;
  let behindNginx: FakeServer;
  // A home lab's https, its certificate self-signed: trusted by nothing on this machine.
  let homeLab: FakeServer;
  let homeLabTls: TlsFront;
  const password = 'n9-secret-Pw';
  // A key set as well, as users leave one: the proxy's credentials take the one Authorization header, so it is not sent.
  const lanKey = 'lan-key-4Rt8wQ';

  before(async () => {
    behindNginx = await startFakeOpenAI({ basicAuth: { user: 'me', password } });
    homeLab = await startFakeOpenAI();
    homeLabTls = await startTlsFront(homeLab.port);
    workbench = await openWorkbench({
      userSettings: {
        'switchboard.providers.openai.baseUrl': 'https://contoso.openai.azure.com/openai/deployments/gpt-4o-mini?api-version=2024-10-21',
        // Check Setup checks the providers the routes name.
        'switchboard.routes.chat': ['lan:qwen2.5-coder:7b', 'lab:qwen2.5-coder:7b'],
      },
      // The workbench is served, a remote window: machine-scoped settings come from the machine's settings.
      machineSettings: {
        'switchboard.providers.custom': {
          lan: { type: 'openai', baseUrl: `${behindNginx.url.replace('http://', `http://me:${password}@`)}/v1`, apiKeyEnv: 'LAN_API_KEY' },
          lab: { type: 'openai', baseUrl: `${homeLabTls.url}/v1` },
        },
      },
      env: { LAN_API_KEY: lanKey },
    });
  });

  captureFailuresAndCloseAfterSuite(() => workbench);
  after(async () => {
    await behindNginx.close();
    await homeLabTls.close();
    await homeLab.close();
  });

  it("Check Setup says the Azure deployment URL cannot serve, and names the v1 address and model to write", async () => {
    const { page } = workbench;
    await runCommand(page, 'Switchboard: Check Setup');
    // The answering server's line is written once the free call came back: the report is whole then.
    await waitForEditorText(page, /answers:\s+yes,\s+lists\s+3\s+models/);
    const lines = await reportLines(page);
    const advice = `switchboard.providers.openai.baseUrl is an Azure OpenAI deployment's URL, which answers every model with deployment "gpt-4o-mini" and takes no key as the OpenAI SDK sends it: write Azure's v1 address "https://contoso.openai.azure.com/openai/v1" and name the deployment as the model ("openai:gpt-4o-mini")`;
    assert.ok(lines.some((line) => line.includes(advice)), lines.join('\n'));
  });

  it('Check Setup asks the server behind basic auth with the credentials from its baseUrl, and shows them masked', async () => {
    const lines = await reportLines(workbench.page);
    const lan = lines.indexOf('lan (openai-compatible): usable');
    assert.ok(lan >= 0, lines.join('\n'));
    assert.equal(lines[lan + 2], `  server:      ${behindNginx.url.replace('http://', 'http://me:***@')}/v1 (from switchboard.providers.custom["lan"].baseUrl)`);
    assert.match(lines[lan + 3] ?? '', /^ {2}answers: {5}yes, lists 3 models/);
    // What was sent, not the key that is set and left unsent.
    assert.equal(
      lines[lan + 1],
      "  credentials: the user name and password in its baseUrl (Basic), not the API key from LAN_API_KEY: the address's credentials take the one Authorization header, so the key is not sent",
    );
    assert.ok(!behindNginx.requests.some((request) => JSON.stringify(request.headers).includes(lanKey)), 'the key was sent');
    assert.ok(!lines.some((line) => line.includes(password)), 'the password is shown');
    const models = behindNginx.requests.filter((request) => request.path === '/v1/models');
    assert.ok(models.length > 0 && models.every((request) => request.headers.authorization === `Basic ${Buffer.from(`me:${password}`).toString('base64')}`));
  });

  it("Check Setup says the home lab's self-signed certificate is not trusted, and names NODE_EXTRA_CA_CERTS as the way to trust it", async () => {
    const lines = await reportLines(workbench.page);
    const lab = lines.indexOf('lab (openai-compatible): usable');
    assert.ok(lab >= 0, lines.join('\n'));
    const answers = lines[lab + 3] ?? '';
    assert.ok(answers.startsWith(`  answers:     no: lab failed the TLS check (DEPTH_ZERO_SELF_SIGNED_CERT); its baseUrl is ${homeLabTls.url}/v1: its certificate is self-signed or from a CA this machine does not trust: `), lines.join('\n'));
    assert.ok(answers.includes('as a PEM file named by NODE_EXTRA_CA_CERTS in the environment the CLI or VS Code starts from') && answers.includes('http.systemCertificates'), answers);
  });
});
