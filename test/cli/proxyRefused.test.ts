import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { closedPort } from '../fakes/closedPort';
import { fakeKeys } from '../fakes/fakeKeys';
import { cli, dir, fakes, useBuiltCli, useFakeProviders, useTempFolder } from './cliFixture';
import { runCli } from './cliHarness';

/**
 * Under NODE_USE_ENV_PROXY=1, Node's fetch connects to HTTP(S)_PROXY: a proxy that refuses is said as such, not as
 * "is a server running there?" about the provider's server, which runs. A child process: Node reads the variable
 * when it starts.
 */
describe('switchboard ask behind a proxy that refuses the connection', function () {
  this.timeout(60_000);
  useBuiltCli();
  useFakeProviders();
  useTempFolder('cli-proxy-refused');

  it("names the address refused and the proxy variables, not the server's", async () => {
    const config = path.join(dir, 'config.json');
    await writeFile(config, JSON.stringify({ providers: { anthropic: fakes.urls.anthropic }, routes: { chat: ['anthropic:claude-haiku-4-5'] }, auto: { enabled: false } }));
    const port = await closedPort();
    const result = await runCli(cli, ['ask', '--config', config, '--ledger', path.join(dir, 'ledger.jsonl'), 'Hello?'], {
      env: { HOME: dir, ANTHROPIC_API_KEY: fakeKeys.anthropic('proxy'), HTTP_PROXY: `http://127.0.0.1:${port}`, NODE_USE_ENV_PROXY: '1' },
      cwd: dir,
    });
    assert.equal(result.code, 1, result.stderr);
    assert.equal(
      result.stderr,
      `switchboard: every model of the chat route failed (anthropic:claude-haiku-4-5: anthropic could not be reached: connection refused (ECONNREFUSED); that was 127.0.0.1:${port}, not its baseUrl ${fakes.urls.anthropic.baseUrl}: a proxy in between (HTTPS_PROXY or HTTP_PROXY, used under NODE_USE_ENV_PROXY=1)? check that it runs, or name 127.0.0.1 in NO_PROXY)\n`,
    );
    assert.equal(fakes.anthropic.requests.length, 0);
  });
});
