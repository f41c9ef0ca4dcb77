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

  it('says a proxy variable set for a provider at its own API that could not be reached: the proxy refused, not the API', async () => {
    // No baseUrl: Anthropic's own API, whose address the proxy alone is asked for; no request leaves this machine.
    const config = path.join(dir, 'own-api.json');
    await writeFile(config, JSON.stringify({ routes: { chat: ['anthropic:claude-haiku-4-5'] }, auto: { enabled: false } }));
    const port = await closedPort();
    const result = await runCli(cli, ['ask', '--config', config, '--ledger', path.join(dir, 'ledger.jsonl'), 'Hello?'], {
      env: { HOME: dir, ANTHROPIC_API_KEY: fakeKeys.anthropic('proxy'), HTTPS_PROXY: `http://127.0.0.1:${port}`, NODE_USE_ENV_PROXY: '1' },
      cwd: dir,
    });
    assert.equal(result.code, 1, result.stderr);
    assert.match(
      result.stderr,
      /anthropic could not be reached: connection refused \(ECONNREFUSED\)\); the requests went through the proxy in HTTPS_PROXY \(NODE_USE_ENV_PROXY=1\): check that it runs and lets them out, or name the host in NO_PROXY to go directly\n$/,
    );
    assert.doesNotMatch(result.stderr, new RegExp(String(port)), 'the proxy address is not shown: it may hold a password');
  });
});

/**
 * On a company network with only HTTPS_PROXY set, Node's fetch goes directly (it reads the variable only under
 * NODE_USE_ENV_PROXY=1), and a host that cannot be reached was said as "host not found" with no word of the proxy.
 */
describe('switchboard ask with HTTPS_PROXY set but not used, and a host that cannot be reached', function () {
  this.timeout(60_000);
  useBuiltCli();
  useTempFolder('cli-proxy-unused');

  it('says the variable is set but the requests went directly, and how to use it', async () => {
    // .invalid never resolves (RFC 6761): the host is not found, as a public API is from behind a proxy.
    const config = path.join(dir, 'config.json');
    await writeFile(config, JSON.stringify({ providers: { anthropic: { baseUrl: 'https://api.anthropic.invalid', sendKeyTo: ['api.anthropic.invalid'] } }, routes: { chat: ['anthropic:claude-haiku-4-5'] }, auto: { enabled: false } }));
    const port = await closedPort();
    const result = await runCli(cli, ['ask', '--config', config, '--ledger', path.join(dir, 'ledger.jsonl'), 'Hello?'], {
      env: { HOME: dir, ANTHROPIC_API_KEY: fakeKeys.anthropic('proxy'), HTTPS_PROXY: `http://127.0.0.1:${port}`, NODE_USE_ENV_PROXY: '' },
      cwd: dir,
    });
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /anthropic could not be reached: [^;]+\((ENOTFOUND|EAI_AGAIN)\); its baseUrl is https:\/\/api\.anthropic\.invalid: check the host name api\.anthropic\.invalid\)/);
    assert.match(result.stderr, /; HTTPS_PROXY is set, but Node sent the requests directly, not through it: set NODE_USE_ENV_PROXY=1 too to use it \("switchboard doctor" says which way requests go\)\n$/);
  });
});
