import assert from 'node:assert/strict';
import { bedrockEndpointUrl, bedrockWay, bypassed, proxyVariable, type EditorProxySettings } from '../../../src/core/providers/bedrockProxy';

const REGIONAL = bedrockEndpointUrl(undefined, 'eu-west-3')!;
const PROXY = 'http://proxy.example:3128';
const ENV_PROXY = { NODE_USE_ENV_PROXY: '1' };
const EDITOR: EditorProxySettings = { support: 'override', url: '', noProxy: [] };

/**
 * Which way Bedrock goes, as the registry decides it for the adapter (the requests themselves are played through a
 * fake proxy in bedrockProxy.test.ts and, for the CLI's environment, proxyEnv.test.ts).
 */
describe('which way Bedrock goes: a proxy, or direct', () => {
  it("sends to the region's endpoint unless one is set", () => {
    assert.equal(REGIONAL.href, 'https://bedrock-runtime.eu-west-3.amazonaws.com/');
    assert.equal(bedrockEndpointUrl('http://127.0.0.1:4000', 'eu-west-3')!.host, '127.0.0.1:4000');
    assert.equal(bedrockEndpointUrl('not a url', 'eu-west-3'), undefined);
  });

  it('in the CLI, follows Node\'s fetch: only under NODE_USE_ENV_PROXY=1 (or --use-env-proxy), NO_PROXY honoured', () => {
    assert.deepEqual(bedrockWay(REGIONAL, { HTTPS_PROXY: PROXY }, undefined, []), { via: 'direct', why: 'Node reads the proxy variables only under NODE_USE_ENV_PROXY=1' });
    assert.deepEqual(bedrockWay(REGIONAL, { ...ENV_PROXY, HTTPS_PROXY: PROXY }, undefined, []), { via: 'proxy', proxy: { url: PROXY, from: 'HTTPS_PROXY' } });
    assert.equal(bedrockWay(REGIONAL, { HTTPS_PROXY: PROXY }, undefined, ['--use-env-proxy']).via, 'proxy');
    assert.equal(bedrockWay(REGIONAL, { HTTPS_PROXY: PROXY, NODE_OPTIONS: '--max-old-space-size=4096 --use-env-proxy' }, undefined, []).via, 'proxy');
    assert.deepEqual(bedrockWay(REGIONAL, { ...ENV_PROXY, HTTPS_PROXY: PROXY, NO_PROXY: 'localhost,.amazonaws.com' }, undefined, []), {
      via: 'direct',
      why: 'NO_PROXY names bedrock-runtime.eu-west-3.amazonaws.com',
    });
    assert.deepEqual(bedrockWay(REGIONAL, { ...ENV_PROXY }, undefined, []), { via: 'direct', why: 'neither HTTPS_PROXY nor HTTP_PROXY is set' });
  });

  it('picks the variable as fetch does (measured on Node 24.22): lower case first, https falling back to HTTP_PROXY, an empty one meaning none', () => {
    assert.deepEqual(proxyVariable({ https_proxy: 'http://a:1', HTTPS_PROXY: 'http://b:1' }, 'https:'), { name: 'https_proxy', url: 'http://a:1' });
    assert.deepEqual(proxyVariable({ HTTP_PROXY: 'http://c:1' }, 'https:'), { name: 'HTTP_PROXY', url: 'http://c:1' });
    assert.equal(proxyVariable({ HTTPS_PROXY: 'http://b:1' }, 'http:'), undefined);
    assert.equal(proxyVariable({ http_proxy: '', HTTP_PROXY: 'http://c:1' }, 'http:'), undefined);
  });

  it('tunnels to an http:// proxy only (a bare host:port taken as http); an https:// one sends Bedrock direct, saying so', () => {
    assert.deepEqual(bedrockWay(REGIONAL, { ...ENV_PROXY, HTTPS_PROXY: 'proxy.example:3128' }, undefined, []), { via: 'proxy', proxy: { url: PROXY, from: 'HTTPS_PROXY' } });
    assert.deepEqual(bedrockWay(REGIONAL, { ...ENV_PROXY, HTTPS_PROXY: 'https://proxy.example:443' }, undefined, []), {
      via: 'direct',
      why: 'HTTPS_PROXY is not an http:// proxy, the only kind its tunnel speaks to',
    });
  });

  it('in the editor, follows VS Code\'s proxy support: http.proxy first, else the variables (NODE_USE_ENV_PROXY not needed); http.noProxy and NO_PROXY; nothing when "off"', () => {
    assert.deepEqual(bedrockWay(REGIONAL, {}, { ...EDITOR, url: PROXY }, []), { via: 'proxy', proxy: { url: PROXY, from: 'http.proxy' } });
    assert.deepEqual(bedrockWay(REGIONAL, { HTTPS_PROXY: 'http://other:8080' }, { ...EDITOR, url: PROXY }, []), { via: 'proxy', proxy: { url: PROXY, from: 'http.proxy' } });
    assert.deepEqual(bedrockWay(REGIONAL, { HTTPS_PROXY: PROXY }, EDITOR, []), { via: 'proxy', proxy: { url: PROXY, from: 'HTTPS_PROXY' } });
    assert.deepEqual(bedrockWay(REGIONAL, {}, EDITOR, []), { via: 'direct', why: 'neither http.proxy nor HTTPS_PROXY nor HTTP_PROXY is set' });
    assert.deepEqual(bedrockWay(REGIONAL, {}, { ...EDITOR, url: PROXY, support: 'off' }, []), { via: 'direct', why: 'http.proxySupport is "off"' });
    assert.deepEqual(bedrockWay(REGIONAL, {}, { ...EDITOR, url: PROXY, noProxy: ['*.amazonaws.com'] }, []), {
      via: 'direct',
      why: 'http.noProxy or NO_PROXY names bedrock-runtime.eu-west-3.amazonaws.com',
    });
    assert.equal(bedrockWay(REGIONAL, { no_proxy: 'amazonaws.com' }, { ...EDITOR, url: PROXY }, []).via, 'direct');
  });

  it('reads a bypass list as NO_PROXY is read: *, domains and their subdomains, host:port', () => {
    const url = new URL('https://bedrock-runtime.us-east-1.amazonaws.com');
    assert.equal(bypassed(url, ['*']), true);
    assert.equal(bypassed(url, ['amazonaws.com']), true);
    assert.equal(bypassed(url, ['.amazonaws.com']), true);
    assert.equal(bypassed(url, ['*.us-east-1.amazonaws.com']), true);
    assert.equal(bypassed(url, ['bedrock-runtime.us-east-1.amazonaws.com:443']), true);
    assert.equal(bypassed(url, ['bedrock-runtime.us-east-1.amazonaws.com:8443']), false);
    assert.equal(bypassed(url, ['notamazonaws.com', 'example.com', '']), false);
    assert.equal(bypassed(new URL('http://[::1]:4000'), ['[::1]:4000']), true);
    assert.equal(bypassed(new URL('http://[::1]:4000'), ['::1']), true);
    assert.equal(bypassed(new URL('http://127.0.0.1:4000'), ['127.0.0.1']), true);
  });
});
