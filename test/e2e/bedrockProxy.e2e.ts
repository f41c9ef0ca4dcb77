import assert from 'node:assert/strict';
import { startFakeProxy, type FakeProxy } from '../fakes/connectProxy';
import { fakeKeys } from '../fakes/fakeKeys';
import { askInChat, fakes, openChatPanel, page, useWorkbenchOnFakes, waitForLedgerRecord, workbench } from './harness';

/**
 * Bedrock behind VS Code's `http.proxy`, in the real extension host, whose `https` module VS Code has patched
 * (core/providers/bedrockProxy.ts): the answer comes over HTTP/1.1 through the proxy's CONNECT tunnel. The fake
 * Bedrock is on 127.0.0.1, where VS Code keeps an extension's own agent, so Switchboard's tunnel is the one used.
 */
describe('Bedrock through VS Code\'s http.proxy', () => {
  let proxy: FakeProxy;

  // Registered before the shared set-up, so the proxy is up when the workbench's settings name it.
  before(async () => {
    proxy = await startFakeProxy();
  });

  useWorkbenchOnFakes((started) => ({
    env: { AWS_ACCESS_KEY_ID: fakeKeys.awsAccessKeyId('editorproxy'), AWS_SECRET_ACCESS_KEY: fakeKeys.awsSecretAccessKey('editorproxy'), AWS_EC2_METADATA_DISABLED: 'true' },
    userSettings: {
      'switchboard.providers.bedrock.endpoint': started.urls.bedrock.endpoint,
      'switchboard.providers.bedrock.region': started.urls.bedrock.region,
      'switchboard.routes.chat': ['bedrock:us.amazon.nova-micro-v1:0'],
      'switchboard.auto.enabled': false,
      'http.proxy': proxy.url,
    },
  }));

  // After the shared set-up's own: the workbench and the fakes are closed first.
  after(async () => {
    await proxy?.close();
  });

  it('answers a chat question over HTTP/1.1 through the proxy, which is asked only to CONNECT', async () => {
    fakes.bedrock.script({ text: 'Through the tunnel.', chunks: 3 });
    const chat = await openChatPanel(page, 'palette');
    await askInChat(chat, 'Which way did you come?');
    const record = await waitForLedgerRecord(workbench.server.ledgerPath, (r) => r.task === 'chat' && r.outcome === 'ok', 'the Bedrock answer');
    assert.equal(record.provider, 'bedrock');
    assert.equal(fakes.bedrock.requests.at(-1)?.httpVersion, '1.1');
    assert.deepEqual(proxy.asked, [`CONNECT 127.0.0.1:${new URL(fakes.bedrock.url).port}`]);
  });
});
