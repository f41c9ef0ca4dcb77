/**
 * Fake OpenAI, Anthropic and Bedrock servers on 127.0.0.1 that speak the real
 * wire formats, for tests, benchmarks and the keyless "simulated" sandbox.
 */
import { startFakeAnthropic } from './anthropicFake';
import { startFakeBedrock, type FakeBedrock, type FakeBedrockOptions } from './bedrockFake';
import type { Answerer, FakeReply, FakeServer, FakeServerOptions } from './fakeServer';
import { startFakeOpenAI, type FakeOpenAIOptions } from './openaiFake';

export { startFakeAnthropic, type FakeAnthropicOptions } from './anthropicFake';
export { startFakeBedrock, type FakeBedrock, type FakeBedrockOptions, type FakeHttp2Sessions } from './bedrockFake';
export { startFakeOpenAI, type FakeOpenAIOptions } from './openaiFake';
export type { Answerer, AnswerRequest, FakeReply, FakeServer, FakeServerOptions, LoggedRequest } from './fakeServer';

export interface FakeProvidersOptions {
  /** Applied to all three, e.g. `{ firstByteDelayMs: 300, chunkDelayMs: 20 }` for realistic latency. */
  defaults?: FakeReply;
  /** Given to all three: chooses unscripted replies from the request (see showcase/). */
  answerer?: Answerer;
  openai?: FakeOpenAIOptions;
  anthropic?: FakeServerOptions;
  bedrock?: FakeBedrockOptions;
}

/** Where to point each provider, in the shape of its provider settings. */
export interface FakeProviderUrls {
  openai: { baseUrl: string };
  anthropic: { baseUrl: string };
  bedrock: { endpoint: string; region: string };
}

export interface FakeProviders {
  openai: FakeServer;
  anthropic: FakeServer;
  bedrock: FakeBedrock;
  urls: FakeProviderUrls;
  close(): Promise<void>;
}

export async function startFakeProviders(options: FakeProvidersOptions = {}): Promise<FakeProviders> {
  const withDefaults = <T extends FakeServerOptions>(own: T | undefined): T =>
    ({ ...(options.answerer ? { answerer: options.answerer } : {}), ...own, defaults: { ...options.defaults, ...own?.defaults } }) as T;
  const [openai, anthropic, bedrock] = await Promise.all([
    startFakeOpenAI(withDefaults(options.openai)),
    startFakeAnthropic(withDefaults(options.anthropic)),
    startFakeBedrock(withDefaults(options.bedrock)),
  ]);
  return {
    openai,
    anthropic,
    bedrock,
    urls: {
      openai: { baseUrl: `${openai.url}/v1` },
      anthropic: { baseUrl: anthropic.url },
      bedrock: { endpoint: bedrock.url, region: 'us-east-1' },
    },
    async close() {
      await Promise.all([openai.close(), anthropic.close(), bedrock.close()]);
    },
  };
}
