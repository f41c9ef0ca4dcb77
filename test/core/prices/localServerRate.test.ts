import assert from 'node:assert/strict';
import { resolveConfig } from '../../../src/core/config';
import { CellTable } from '../../../src/core/ledger/totals';
import { LOCAL_SOURCE, priceTableFor, type PriceTable } from '../../../src/core/prices/priceTable';
import { tableRateModels, tableRateModelsNote, tableRateNote } from '../../../src/core/prices/localServerRate';
import { inRemoteWindow } from '../../../src/core/remoteWindow';
import { routerHarness } from '../routerHarness';

/** The price table as the settings make it (a remote window's when `remoteName` is set). */
function tableFor(raw: Record<string, unknown>, remoteName?: string): PriceTable {
  const { config, problems } = resolveConfig(raw);
  assert.deepEqual(problems, []);
  return priceTableFor(inRemoteWindow(config, remoteName));
}

const LM_STUDIO = { providers: { openai: { baseUrl: 'http://localhost:1234/v1' } } };

describe('a vendor-named model on a server on this machine', () => {
  describe('switchboard.freeOnLocalServer', () => {
    it('makes the model local, $0, while its provider points at this machine', () => {
      const table = tableFor({ ...LM_STUDIO, freeOnLocalServer: ['openai:gpt-5.4-nano'] });
      assert.equal(table.lookup('openai', 'gpt-5.4-nano')?.source, LOCAL_SOURCE);
      // Only the model named: a proxy on the same server forwarding gpt-4o is still billed by OpenAI.
      assert.equal(table.lookup('openai', 'gpt-4o')?.input, 2.5);
    });

    it('counts for nothing at the vendor\'s API, across a network, or in a remote window', () => {
      const listed = { freeOnLocalServer: ['openai:gpt-5.4-nano'] };
      assert.notEqual(tableFor(listed).lookup('openai', 'gpt-5.4-nano')?.source, LOCAL_SOURCE, 'api.openai.com bills it');
      assert.notEqual(tableFor({ ...listed, providers: { openai: { baseUrl: 'http://192.168.1.20:1234/v1' } } }).lookup('openai', 'gpt-5.4-nano')?.source, LOCAL_SOURCE);
      const remote = tableFor({ ...LM_STUDIO, ...listed }, 'dev-container').lookup('openai', 'gpt-5.4-nano');
      assert.ok(remote && remote.input > 0, "a remote window's localhost is the remote machine: priced at the table");
    });

    it('gives way to a price the user set', () => {
      const table = tableFor({ ...LM_STUDIO, freeOnLocalServer: ['openai:gpt-5.4-nano'], prices: { 'openai:gpt-5.4-nano': { input: 0.01, output: 0.02 } } });
      assert.deepEqual([table.lookup('openai', 'gpt-5.4-nano')?.input, table.lookup('openai', 'gpt-5.4-nano')?.source], [0.01, 'user']);
    });

    it('names a bad entry and keeps the good ones', () => {
      const { config, problems } = resolveConfig({ freeOnLocalServer: ['gpt-5.4-nano', 'openai:gpt-5.4-nano', 3, 'openai:gpt-5.4-nano'] }, 'switchboard.');
      assert.deepEqual(config.freeOnLocalServer, ['openai:gpt-5.4-nano']);
      assert.deepEqual(problems.map((problem) => problem.key), ['switchboard.freeOnLocalServer[0]', 'switchboard.freeOnLocalServer[2]']);
      assert.match(problems[0]!.message, /"gpt-5\.4-nano" is not "provider:model"/);
      const notList = resolveConfig({ freeOnLocalServer: 'openai:gpt-5.4-nano' }, 'switchboard.');
      assert.deepEqual(notList.config.freeOnLocalServer, []);
      assert.match(notList.problems[0]!.message, /must be a list of "provider:model" entries/);
    });

    it('reads spaces around the colon away, and names a provider that is not one of ours or one with a space in it', () => {
      const { config, problems } = resolveConfig(
        { freeOnLocalServer: ['openai: gpt-x', ' lmstudio : qwen3 ', 'opnai:gpt-5.4-nano', 'open ai:gpt-5.4-nano', 'ollama:llama3.1', 'openai:gpt-x'] },
        'switchboard.',
      );
      // "openai: gpt-x" is what "openai:gpt-x" means, so the later "openai:gpt-x" repeats it.
      assert.deepEqual(config.freeOnLocalServer, ['openai:gpt-x']);
      const message = (index: number) => problems.find((problem) => problem.key === `switchboard.freeOnLocalServer[${index}]`)?.message ?? '';
      assert.deepEqual(problems.map((problem) => problem.key), [1, 2, 3, 4].map((index) => `switchboard.freeOnLocalServer[${index}]`));
      assert.match(message(1), /^unknown provider "lmstudio" in " lmstudio : qwen3 " \(known: openai, anthropic, bedrock\); a local server is reached as "openai:qwen3".*; expected "provider:model" \(e\.g\. "openai:gpt-5\.4-nano"\); skipped$/);
      assert.match(message(2), /^unknown provider "opnai" in "opnai:gpt-5\.4-nano" .*did you mean "openai:gpt-5\.4-nano"\?; expected "provider:model"/);
      assert.match(message(3), /^"open ai:gpt-5\.4-nano" is not "provider:model" \(e\.g\. "openai:gpt-5\.4-nano"\); skipped$/);
      assert.match(message(4), /^unknown provider "ollama"/);
      // A custom provider is one of ours.
      const custom = resolveConfig({ providers: { custom: { lmstudio: { type: 'openai', baseUrl: 'http://127.0.0.1:1234/v1' } } }, freeOnLocalServer: ['lmstudio:qwen3'] });
      assert.deepEqual([custom.config.freeOnLocalServer, custom.problems], [['lmstudio:qwen3'], []]);
    });
  });

  describe('isTableRateOnLocalServer', () => {
    it('holds for the shipped vendor rate on a loopback server, not for a price the user set, a local $0 or a remote server', () => {
      const table = tableFor({ ...LM_STUDIO, prices: { 'openai:gpt-4o': { input: 1, output: 1 } } });
      assert.equal(table.isTableRateOnLocalServer('openai', table.lookup('openai', 'gpt-5.4-nano')), true);
      assert.equal(table.isTableRateOnLocalServer('openai', table.lookup('openai', 'gpt-4o')), false, 'priced by the user');
      assert.equal(table.isTableRateOnLocalServer('openai', table.lookup('openai', 'qwen2.5-coder')), false, 'local, $0 already');
      const vendor = tableFor({});
      assert.equal(vendor.isTableRateOnLocalServer('openai', vendor.lookup('openai', 'gpt-5.4-nano')), false, "at OpenAI's own API");
    });
  });

  describe('the note', () => {
    it('says whose rate, why, and the entry that makes it free', () => {
      const note = tableRateNote('openai:gpt-5.4-nano', 'switchboard.freeOnLocalServer', "It's Free (Local Server)");
      assert.match(note, /^priced at OpenAI's rate from the price table, though its server was on this machine/);
      assert.match(note, /It's Free \(Local Server\), or add "openai:gpt-5\.4-nano" to switchboard\.freeOnLocalServer/);
      assert.match(note, /those recorded keep their cost/);
    });

    it("names the vendor by the provider before the first colon only, or a custom provider by its id", () => {
      assert.match(tableRateNote('bedrock:us.amazon.nova-micro-v1:0'), /^priced at AWS Bedrock's rate/);
      assert.match(tableRateNote('lmstudio:qwen3:8b'), /^priced at lmstudio's rate .*\(a proxy forwarding to lmstudio is billed that/);
    });

    it('lists the models of a report from its cells, the most requests first', () => {
      const cells = [
        { provider: 'openai', model: 'gpt-5.4-nano', tableRate: 2 },
        { provider: 'openai', model: 'gpt-5.4-mini', tableRate: 5 },
        { provider: 'openai', model: 'gpt-5.4-nano', tableRate: 1 },
        { provider: 'anthropic', model: 'claude-haiku-4-5' },
      ];
      assert.deepEqual(tableRateModels(cells), [{ model: 'openai:gpt-5.4-mini', requests: 5 }, { model: 'openai:gpt-5.4-nano', requests: 3 }]);
      assert.equal(tableRateModelsNote([]), undefined);
      assert.match(tableRateModelsNote(tableRateModels(cells), '"freeOnLocalServer" in sb.json')!, /^Charged at a vendor's rate though served on this machine: openai:gpt-5\.4-mini \(5 requests\): .*add "openai:gpt-5\.4-mini" to "freeOnLocalServer" in sb\.json/);
    });
  });

  describe('recorded by the router', function () {
    const h = routerHarness('local-server-rate');

    it('marks an answer from the openai provider on this machine priced at the table, and counts it in the cells', async () => {
      // The fake OpenAI server listens on 127.0.0.1: a server on this machine, as LM Studio at localhost:1234 is.
      const harness = await h.open({ routes: { chat: ['openai:gpt-5.4-nano'] } });
      const { record } = await harness.run('chat');
      assert.equal(record.costSource, 'price-table');
      assert.ok(record.costUsd !== null && record.costUsd > 0, "charged at OpenAI's rate by default");
      assert.equal(record.tableRateOnLocalServer, true);
      const cells = new CellTable();
      cells.add(record, '2026-07-01');
      assert.deepEqual(tableRateModels(cells.list()), [{ model: 'openai:gpt-5.4-nano', requests: 1 }]);
    });

    it('records it as local, $0, once the model is in freeOnLocalServer, with no mark', async () => {
      const harness = await h.open({ routes: { chat: ['openai:gpt-5.4-nano'] }, freeOnLocalServer: ['openai:gpt-5.4-nano'] });
      const { record } = await harness.run('chat');
      assert.deepEqual([record.costUsd, record.costSource, record.tableRateOnLocalServer], [0, 'local', undefined]);
    });

    it('leaves an answer from a server across a network unmarked', async () => {
      const urls = h.fakes.urls;
      const elsewhere = { ...urls.openai, baseUrl: urls.openai.baseUrl.replace('127.0.0.1', '[::ffff:127.0.0.1]') };
      const harness = await h.open({ routes: { chat: ['openai:gpt-5.4-nano'] }, providers: { openai: elsewhere, anthropic: urls.anthropic, bedrock: urls.bedrock } });
      const { record } = await harness.run('chat');
      assert.equal(record.costSource, 'price-table');
      assert.equal(record.tableRateOnLocalServer, undefined);
    });
  });
});
