/**
 * One streamed answer from each provider's adapter, in a process whose environment the test sets (HTTPS_PROXY,
 * NO_PROXY, NODE_USE_ENV_PROXY are read by Node at start-up only). argv: OPENAI_BASE_URL ANTHROPIC_BASE_URL
 * BEDROCK_ENDPOINT. Prints each provider's text or error as one JSON line. Bedrock's adapter comes from the
 * registry, which decides from this environment whether a proxy applies to it (core/providers/bedrockProxy.ts).
 */
import { createAnthropicProvider } from '../../../src/core/providers/anthropic';
import { resolveConfig } from '../../../src/core/config';
import { ProviderRegistry } from '../../../src/core/providerRegistry';
import { createOpenAIProvider } from '../../../src/core/providers/openai';
import type { ProviderAdapter } from '../../../src/core/providers/provider';
import { collectStream } from '../../fakes/collectStream';
import { fakeKeys } from '../../fakes/fakeKeys';

const [openaiUrl, anthropicUrl, bedrockUrl] = process.argv.slice(2) as [string, string, string];
const request = { messages: [{ role: 'user' as const, content: 'Hello?' }], maxTokens: 16 };

async function ask(adapter: ProviderAdapter, model: string): Promise<string> {
  const result = await collectStream(adapter.stream(model, request, new AbortController().signal));
  return result.error ? `error: ${(result.error as Error).message}` : 'answered';
}

async function askBedrock(): Promise<string> {
  const registry = new ProviderRegistry(process.env);
  await registry.configure(resolveConfig({ providers: { bedrock: { endpoint: bedrockUrl, region: 'us-east-1' } } }).config);
  try {
    return await ask(await registry.adapter('bedrock'), 'us.amazon.nova-micro-v1:0');
  } finally {
    await registry.dispose();
  }
}

async function main(): Promise<void> {
  const answers = {
    openai: await ask(createOpenAIProvider({ id: 'openai', kind: 'openai', baseUrl: openaiUrl, apiKey: fakeKeys.openai('proxied') }), 'gpt-5.4-nano'),
    anthropic: await ask(createAnthropicProvider({ id: 'anthropic', kind: 'anthropic', baseUrl: anthropicUrl, apiKey: fakeKeys.anthropic('proxied') }), 'claude-haiku-4-5'),
    bedrock: await askBedrock(),
  };
  process.stdout.write(`${JSON.stringify(answers)}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  },
);
