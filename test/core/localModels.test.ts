import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { generativeModels, listServerModels, localRoute, suggestLocalRoutes, tasksNeedingLocalModels } from '../../src/core/localModels';
import { parseModelRef } from '../../src/core/modelRef';
import { closedPort } from '../fakes/closedPort';
import { startFakeOpenAI } from '../fakes/openaiFake';

describe('Routes to a local server: the model choice', () => {
  it('routes chat and plan to the first model that can chat, passing over embedding models', () => {
    assert.deepEqual(suggestLocalRoutes(['nomic-embed-text:latest', 'llama3.1:8b', 'mistral:7b']), { completion: 'llama3.1:8b', chat: 'llama3.1:8b', plan: 'llama3.1:8b' });
  });

  it('routes inline completions to a coder model when a name says so, a small one first', () => {
    assert.deepEqual(suggestLocalRoutes(['llama3.1:8b', 'qwen2.5-coder:7b', 'qwen2.5-coder:1.5b']), { completion: 'qwen2.5-coder:1.5b', chat: 'llama3.1:8b', plan: 'llama3.1:8b' });
    assert.equal(suggestLocalRoutes(['llama3.1:8b', 'deepseek-coder-v2:16b'])?.completion, 'deepseek-coder-v2:16b');
    assert.equal(suggestLocalRoutes(['llama3.1:70b', 'codestral-22b'])?.completion, 'codestral-22b');
  });

  it('routes inline completions to a small model when no name says coder, and to the chat model when none says small', () => {
    assert.equal(suggestLocalRoutes(['llama3.1:8b', 'llama3.2:3b'])?.completion, 'llama3.2:3b');
    assert.equal(suggestLocalRoutes(['qwen/qwen3-4b', 'openai/gpt-oss-20b'])?.completion, 'qwen/qwen3-4b');
    assert.equal(suggestLocalRoutes(['mistral:7b', 'llama3.1:70b'])?.completion, 'mistral:7b');
    // "13b" ends in "3b" but is not small; "phi-3-mini" is.
    assert.equal(suggestLocalRoutes(['llama2:13b', 'phi-3-mini'])?.completion, 'phi-3-mini');
  });

  it('passes over the embedding families whose names do not say "embed" (bge-m3, all-minilm, e5, gte), as Ollama and LM Studio list them', () => {
    const embedding = ['bge-m3:latest', 'all-minilm:latest', 'text-embedding-nomic-embed-text-v1.5', 'multilingual-e5-large', 'intfloat/e5-mistral-7b-instruct', 'Alibaba-NLP/gte-Qwen2-7B-instruct', 'paraphrase-multilingual:latest'];
    assert.deepEqual(generativeModels([...embedding, 'qwen2.5-coder:7b', 'gemma3:4b', 'deepseek-r1:8b']), ['qwen2.5-coder:7b', 'gemma3:4b', 'deepseek-r1:8b']);
    assert.equal(suggestLocalRoutes(embedding), undefined);
  });

  it('suggests nothing when every model only embeds or reranks', () => {
    assert.equal(suggestLocalRoutes(['nomic-embed-text', 'bge-reranker-v2', 'text-embedding-3-small']), undefined);
    assert.equal(suggestLocalRoutes([]), undefined);
  });

  it("offers only the tasks whose route names none of the server's models", () => {
    const routes = {
      completion: ['openai:gpt-5.4-nano', 'anthropic:claude-haiku-4-5'],
      chat: ['anthropic:claude-sonnet-5', 'openai:llama3.1:8b'],
      plan: ['openai:gpt-5.5'],
    };
    assert.deepEqual(tasksNeedingLocalModels(routes, ['llama3.1:8b']), ['completion', 'plan']);
    // Another provider's model of the same name is not the server's.
    assert.deepEqual(tasksNeedingLocalModels({ completion: ['local:llama3.1:8b'], chat: [], plan: [] }, ['llama3.1:8b']), ['completion', 'chat', 'plan']);
  });
});

describe("Routes to a local server: asking it for its models (GET /v1/models)", () => {
  it("lists the server's model ids, sending the key when there is one", async () => {
    const server = await startFakeOpenAI({ apiKey: 'sk-local', models: ['llama3.1:8b', 'nomic-embed-text'] });
    try {
      assert.deepEqual(await listServerModels(`${server.url}/v1/`, { apiKey: 'sk-local' }), { url: `${server.url}/v1/models`, ids: ['llama3.1:8b', 'nomic-embed-text'] });
      assert.deepEqual(await listServerModels(`${server.url}/v1`), {
        url: `${server.url}/v1/models`,
        problem: `${server.url}/v1/models answered HTTP 401 (it wants an API key: Switchboard: Set API Key… for OpenAI)`,
      });
    } finally {
      await server.close();
    }
  });

  it('sends the OpenAI key to a server elsewhere only once the user allowed that host (providers.openai.sendKeyTo)', async () => {
    const server = await startFakeOpenAI({ apiKey: 'sk-local', models: ['llama3.1:8b'] });
    // The same fake reached by an address that is not loopback by name: a server on the network, as the key rule sees it.
    const elsewhere = `${server.url.replace('127.0.0.1', '[::ffff:127.0.0.1]')}/v1`;
    try {
      const withheld = await listServerModels(elsewhere, { apiKey: 'sk-local' });
      assert.ok('problem' in withheld && /HTTP 401/.test(withheld.problem), `asked without the key: ${JSON.stringify(withheld)}`);
      assert.deepEqual(await listServerModels(elsewhere, { apiKey: 'sk-local', sendKeyTo: ['[::ffff:7f00:1]'] }), {
        url: `${elsewhere}/models`,
        ids: ['llama3.1:8b'],
      });
    } finally {
      await server.close();
    }
  });

  it('names the URL and the likely cause when the address lacks /v1, the server lists nothing, or nothing listens', async () => {
    const server = await startFakeOpenAI({ models: [] });
    try {
      assert.deepEqual(await listServerModels(server.url), { url: `${server.url}/models`, problem: `${server.url}/models answered HTTP 404 (does the URL end in /v1? try ${server.url}/v1)` });
      assert.deepEqual(await listServerModels(`${server.url}/v1`), { url: `${server.url}/v1/models`, problem: `${server.url}/v1/models lists no models (pull or load one in the server first)` });
    } finally {
      await server.close();
    }
    const port = await closedPort();
    const down = await listServerModels(`http://127.0.0.1:${port}/v1`);
    assert.ok('problem' in down, JSON.stringify(down));
    assert.match(down.problem, new RegExp(`^http://127\\.0\\.0\\.1:${port}/v1/models could not be reached \\(.+; is the server running\\?\\)$`));
  });

  it('gives up on a server that accepts but never answers, within the time given, naming the URL', async () => {
    const hanging = http.createServer(() => {
      // Never answers: a server stuck loading a model.
    });
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/v1`;
    try {
      const started = Date.now();
      const result = await listServerModels(url, { timeoutMs: 300 });
      assert.deepEqual(result, { url: `${url}/models`, problem: `${url}/models did not answer within 0.3 s (is the server running?)` });
      assert.ok(Date.now() - started < 5_000, 'bounded by the timeout, not the socket');
    } finally {
      hanging.closeAllConnections();
      await new Promise((resolve) => hanging.close(resolve));
    }
  });

  it("keeps only distinct, bounded ids of model ids' characters: no link, icon or escape sequence from the server", async () => {
    const models = ['llama3.1:8b', 'llama3.1:8b', 'lmstudio-community/Qwen2.5-Coder-7B-Instruct-GGUF', 'evil\u001b[2Jname', 'x'.repeat(201), 'bad id', '[Open Log](command:workbench.action.terminal.sendSequence)', '$(warning)'];
    const server = await startFakeOpenAI({ models });
    try {
      assert.deepEqual(await listServerModels(`${server.url}/v1`), { url: `${server.url}/v1/models`, ids: ['llama3.1:8b', 'lmstudio-community/Qwen2.5-Coder-7B-Instruct-GGUF'] });
    } finally {
      await server.close();
    }
  });

  it('reads no more than 8 MB of a /models reply, naming the URL, and keeps the first 200 ids of a long list', async function () {
    // 100,000 ids of 100 characters: a reply of about 10 MB, none of which is kept. Building and sending it took
    // 4.3 s on a loaded 2-core machine, near listServerModels' own 5 s default: this test is about the size cap,
    // so it gives the reads a wait no loaded machine reaches.
    this.timeout(120_000);
    const huge = await startFakeOpenAI({ models: Array.from({ length: 100_000 }, (_, index) => `m${String(index).padStart(99, '0')}`) });
    const long = await startFakeOpenAI({ models: Array.from({ length: 5_000 }, (_, index) => `model-${index}`) });
    try {
      assert.deepEqual(await listServerModels(`${huge.url}/v1`, { timeoutMs: 60_000 }), {
        url: `${huge.url}/v1/models`,
        problem: `${huge.url}/v1/models answered with more than 8 MB: not a model list Switchboard reads`,
      });
      const listed = await listServerModels(`${long.url}/v1`, { timeoutMs: 60_000 });
      assert.ok('ids' in listed);
      assert.deepEqual(listed.ids, Array.from({ length: 200 }, (_, index) => `model-${index}`));
    } finally {
      await Promise.all([huge.close(), long.close()]);
    }
  });

  it("keeps a listed id that names another provider (anthropic:…) on the server: the route's provider stays openai", async () => {
    const served = ['anthropic:claude-opus-5', 'bedrock:us.amazon.nova-micro-v1:0'];
    const suggested = suggestLocalRoutes(served)!;
    const { route } = localRoute(['anthropic:claude-sonnet-5'], suggested.chat, served);
    assert.deepEqual(route, ['openai:anthropic:claude-opus-5', 'anthropic:claude-sonnet-5']);
    assert.deepEqual(parseModelRef(route[0]!), { provider: 'openai', model: 'anthropic:claude-opus-5' });
    assert.deepEqual(tasksNeedingLocalModels({ completion: ['anthropic:claude-opus-5'], chat: [], plan: [] }, served), ['completion', 'chat', 'plan'], "the user's own anthropic route is not taken for the server's");
  });

  it("puts the server's model first and keeps the user's fallbacks that can still work, dropping OpenAI models the server does not list", () => {
    const served = ['llama3.1:8b', 'qwen2.5-coder:1.5b'];
    assert.deepEqual(localRoute(['openai:gpt-5.4', 'anthropic:claude-sonnet-5', 'openai:qwen2.5-coder:1.5b', 'bedrock:us.amazon.nova-micro-v1:0'], 'llama3.1:8b', served), {
      route: ['openai:llama3.1:8b', 'anthropic:claude-sonnet-5', 'openai:qwen2.5-coder:1.5b', 'bedrock:us.amazon.nova-micro-v1:0'],
      kept: ['anthropic:claude-sonnet-5', 'openai:qwen2.5-coder:1.5b', 'bedrock:us.amazon.nova-micro-v1:0'],
      dropped: ['openai:gpt-5.4'],
    });
    // The picked model is not listed twice; a custom provider (its own server) is the user's and stays.
    assert.deepEqual(localRoute(['lan:llama3.1', 'openai:llama3.1:8b'], 'llama3.1:8b', served), { route: ['openai:llama3.1:8b', 'lan:llama3.1'], kept: ['lan:llama3.1'], dropped: [] });
    assert.deepEqual(localRoute([], 'llama3.1:8b', served), { route: ['openai:llama3.1:8b'], kept: [], dropped: [] });
  });
});
