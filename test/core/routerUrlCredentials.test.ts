import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { routerHarness } from './routerHarness';

/**
 * A server address holding credentials (a gateway's `user:password@`, a key in its query): what the SDK says of a
 * request to it may quote the address, and that text is recorded in the ledger and shown. None of the credentials
 * may be in either.
 */
describe('router: a server URL with credentials in it', function () {
  this.timeout(30_000);
  const h = routerHarness('router-url-credentials');
  const password = 'gw-pass-7q2Zr';
  const queryKey = 'qk-9Xy4mT';

  it("records the failed attempt's error with the URL's password and query key masked, in the record and the ledger file", async () => {
    // A gateway's error that quotes the address it was asked at, as LiteLLM's and others' do.
    h.fakes.openai.script({ status: 400, errorMessage: `upstream https://gwuser:${password}@upstream.example/v1/chat/completions?key=${queryKey}&v=2 failed` });
    const harness = await h.open({ routes: { chat: ['openai:gpt-5.4-nano', 'anthropic:claude-haiku-4-5'] } });
    const result = await harness.run('chat');

    assert.equal(result.record.provider, 'anthropic');
    const [attempt] = result.record.attempts;
    assert.equal(attempt?.provider, 'openai');
    assert.match(attempt.error, /https:\/\/gwuser:\*\*\*@upstream\.example\/v1\/chat\/completions\?key=\*\*\*&v=2/, attempt.error);
    const ledger = await readFile(harness.ledgerPath, 'utf8');
    for (const secret of [password, queryKey]) {
      assert.ok(!ledger.includes(secret), `"${secret}" is in the ledger:\n${ledger}`);
      assert.ok(!harness.events.some((event) => JSON.stringify(event).includes(secret)), `"${secret}" is in a router event`);
    }
  });
});
