/**
 * Ghost text through Node's own proxy support (NODE_USE_ENV_PROXY=1 and HTTPS_PROXY, read at start-up: a process of
 * its own, proxiedConnectionPhases.test.ts) to an OpenAI baseUrl whose connection never comes up: argv: the https
 * baseUrl. The route's second model is Anthropic's fake, reached directly (http, no HTTP_PROXY). Prints, as JSON, the
 * model that answered and the failed attempts of two requests in a row.
 */
import { resolveConfig } from '../../../src/core/config';
import { Switchboard } from '../../../src/core/switchboard';
import { startFakeAnthropic } from '../../fakes/index';

async function main(): Promise<void> {
  const anthropic = await startFakeAnthropic();
  const { config, problems } = resolveConfig({
    providers: { openai: { baseUrl: process.argv[2] }, anthropic: { baseUrl: anthropic.url } },
    auto: { enabled: false },
    routes: { completion: ['openai:gpt-5.4-nano', 'anthropic:claude-haiku-4-5'] },
    timeouts: { completionFirstTokenMs: 500 },
  });
  if (problems.length) throw new Error(JSON.stringify(problems));
  const switchboard = await Switchboard.create({ config, source: 'cli', env: { OPENAI_API_KEY: 'sk-test', ANTHROPIC_API_KEY: 'fake-anthropic-key' } });
  await Promise.all(['openai', 'anthropic'].map((id) => switchboard.registry.adapter(id)));
  const runs = [];
  for (let run = 0; run < 2; run++) {
    const result = await switchboard.router.run('completion', { messages: [{ role: 'user', content: 'Hello?' }], maxTokens: 64 });
    runs.push({ answeredBy: result.record.provider, attempts: result.record.attempts.map((attempt) => attempt.error) });
  }
  await switchboard.dispose().catch(() => undefined);
  await anthropic.close();
  process.stdout.write(`${JSON.stringify(runs)}\n`);
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
