import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { localRoutesSettings, localServerRoutes } from '../../../scripts/sandbox/localServer.mjs';
import { buildCli } from '../../cli/cliHarness';
import { closedPort } from '../../fakes/closedPort';
import { fakeKeys } from '../../fakes/fakeKeys';
import { startFakeOpenAI } from '../../fakes/openaiFake';

const KEY = fakeKeys.openai('sandbox-local');

/**
 * `OPENAI_BASE_URL=… npm start` with only a local server: the routes go to models it serves, as the product picks
 * them (the built CLI's `switchboard models`, the core's suggestion), not by a copy of that choice in the script.
 */
describe('The sandbox with only a local OpenAI-compatible server', function () {
  // The CLI is built once (as npm start builds it), then run per case.
  this.timeout(60_000);
  let cli: string;
  before(async () => {
    cli = await buildCli();
  });

  it("routes each task to the model the core suggests: completions to the small coder model, chat and plan to the first that can chat", async () => {
    const server = await startFakeOpenAI({ models: ['nomic-embed-text:latest', 'llama3.1:8b', 'qwen2.5-coder:1.5b'] });
    try {
      const found = await localServerRoutes(`${server.url}/v1`, { cli });
      const routes = { completion: ['openai:qwen2.5-coder:1.5b'], chat: ['openai:llama3.1:8b'], plan: ['openai:llama3.1:8b'] };
      assert.deepEqual(found, { routes, settings: Object.fromEntries(Object.entries(routes).map(([task, route]) => [`switchboard.routes.${task}`, route])) });
    } finally {
      await server.close();
    }
  });

  it('sends OPENAI_API_KEY to a server on this machine that wants one, and leaves the routes to a server that serves their models', async () => {
    const server = await startFakeOpenAI({ apiKey: KEY, models: ['gpt-5.4-nano', 'gpt-5.4', 'gpt-5.5'] });
    try {
      assert.deepEqual(await localServerRoutes(`${server.url}/v1/`, { cli, apiKey: KEY }), { servesDefaults: true });
      assert.deepEqual(await localServerRoutes(`${server.url}/v1`, { cli }), {
        problem: `could not read the models of ${server.url}/v1: ${server.url}/v1/models answered HTTP 401 (it wants an API key: set OPENAI_API_KEY)`,
      });
    } finally {
      await server.close();
    }
  });

  it('keeps the key from a server elsewhere on the network, as the product does (the key rule)', async () => {
    const server = await startFakeOpenAI({ apiKey: KEY, models: ['llama3.1:8b'] });
    const elsewhere = `${server.url.replace('127.0.0.1', '[::ffff:127.0.0.1]')}/v1`;
    try {
      const found = await localServerRoutes(elsewhere, { cli, apiKey: KEY });
      assert.ok('problem' in found && found.problem.includes('Switchboard did not send your OpenAI key to [::ffff:7f00:1]'), JSON.stringify(found));
      assert.ok(!JSON.stringify(server.requests.map((request) => request.headers)).includes(KEY));
    } finally {
      await server.close();
    }
  });

  it('says why it left the routes when the server lists no chat model or cannot be reached', async () => {
    const server = await startFakeOpenAI({ models: ['nomic-embed-text:latest'] });
    try {
      assert.deepEqual(await localServerRoutes(`${server.url}/v1`, { cli }), { problem: `${server.url}/v1/models lists no model that can chat (only nomic-embed-text:latest)` });
    } finally {
      await server.close();
    }
    const port = await closedPort();
    const down = await localServerRoutes(`http://127.0.0.1:${port}/v1`, { cli });
    assert.ok('problem' in down && down.problem.startsWith(`could not read the models of http://127.0.0.1:${port}/v1: http://127.0.0.1:${port}/v1/models could not be reached`), JSON.stringify(down));
  });

  it('drops the routes it wrote at the next start without a local server, once', () => {
    const stateDir = mkdtempSync(path.join(os.tmpdir(), 'switchboard-sandbox-routes-'));
    try {
      const routes = { 'switchboard.routes.chat': ['openai:qwen2.5-coder:7b'] };
      assert.deepEqual(localRoutesSettings(stateDir, routes), routes);
      // A start with a key: the noted setting is left out of settings.json (undefined), so the default applies.
      assert.deepEqual(localRoutesSettings(stateDir, undefined), { 'switchboard.routes.chat': undefined });
      assert.deepEqual(localRoutesSettings(stateDir, undefined), {}, 'a setting the user writes later is theirs');
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
    }
  });
});
