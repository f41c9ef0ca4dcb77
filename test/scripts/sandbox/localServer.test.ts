import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_OPENAI_MODELS, localRoutesSettings, localServerRoutes } from '../../../scripts/sandbox/localServer.mjs';
import { SETTING_DEFAULTS } from '../../../src/core/config';
import { closedPort } from '../../fakes/closedPort';
import { startFakeOpenAI } from '../../fakes/openaiFake';

const ROUTE_KEYS = ['switchboard.routes.completion', 'switchboard.routes.chat', 'switchboard.routes.plan'];

/** `OPENAI_BASE_URL=… npm start` with only a local server: the routes go to a model it serves. */
describe('The sandbox with only a local OpenAI-compatible server', () => {
  it('routes every task to the first model the server lists that is not an embedding model', async () => {
    const server = await startFakeOpenAI({ models: ['nomic-embed-text:latest', 'qwen2.5-coder:7b', 'llama3.2:3b'] });
    try {
      const found = await localServerRoutes(`${server.url}/v1`);
      assert.deepEqual(found, { model: 'qwen2.5-coder:7b', settings: Object.fromEntries(ROUTE_KEYS.map((key) => [key, ['openai:qwen2.5-coder:7b']])) });
    } finally {
      await server.close();
    }
  });

  it('sends OPENAI_API_KEY to a server that wants one, and leaves the routes to a server that serves their models', async () => {
    const server = await startFakeOpenAI({ apiKey: 'sk-local-gateway', models: ['gpt-5.4-nano', 'gpt-5.4'] });
    try {
      assert.deepEqual(await localServerRoutes(`${server.url}/v1/`, { apiKey: 'sk-local-gateway' }), { servesDefaults: true });
      assert.deepEqual(await localServerRoutes(`${server.url}/v1`), { problem: `${server.url}/v1/models answered HTTP 401` });
    } finally {
      await server.close();
    }
  });

  it('says why it left the routes when the server lists no chat model or cannot be reached', async () => {
    const server = await startFakeOpenAI({ models: ['nomic-embed-text:latest'] });
    try {
      assert.deepEqual(await localServerRoutes(`${server.url}/v1`), { problem: `${server.url}/v1/models lists no model that can chat (only nomic-embed-text:latest)` });
    } finally {
      await server.close();
    }
    const port = await closedPort();
    const down = await localServerRoutes(`http://127.0.0.1:${port}/v1`);
    assert.ok('problem' in down && down.problem.startsWith(`http://127.0.0.1:${port}/v1/models could not be read`), JSON.stringify(down));
  });

  it('knows the OpenAI models of the default routes', () => {
    const defaults = ROUTE_KEYS.flatMap((key) => SETTING_DEFAULTS[key.replace('switchboard.', '') as 'routes.chat'])
      .filter((ref) => ref.startsWith('openai:'))
      .map((ref) => ref.slice('openai:'.length));
    assert.deepEqual([...DEFAULT_OPENAI_MODELS].sort(), [...new Set(defaults)].sort());
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
