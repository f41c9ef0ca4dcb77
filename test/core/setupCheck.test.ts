import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { resolveConfig } from '../../src/core/config';
import { ProviderRegistry } from '../../src/core/providerRegistry';
import { checkSetup, setupReportLines } from '../../src/core/setupCheck';

/**
 * The setup report of a first run with no provider at all: the default routes name nine models on three providers,
 * and the section listing each route entry that is out says each provider's reason once, with its entries under it.
 */
describe('the setup report with no provider set up', () => {
  it('says each provider\'s reason once and lists the route entries it takes out under it', async () => {
    const home = path.join(tmpdir(), 'switchboard-no-such-home');
    // No key in the environment and no AWS files: nothing is usable, and nothing is asked.
    const env = { HOME: home, AWS_CONFIG_FILE: path.join(home, 'none'), AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'none'), AWS_EC2_METADATA_DISABLED: 'true' };
    const { config, problems } = resolveConfig({});
    assert.deepEqual(problems, []);
    const registry = new ProviderRegistry(env);
    await registry.configure(config);
    try {
      const report = await checkSetup({ config, registry, env, settingName: (key) => `switchboard.${key}` });
      assert.equal(report.routes.length, 9, 'the nine entries of the default routes are all out');
      const lines = setupReportLines(report);
      const section = lines.slice(lines.indexOf('routes naming a provider that cannot answer:') + 1);
      const reasons = section.filter((line) => /^ {2}\S/.test(line));
      assert.deepEqual(reasons.map((line) => line.trim().split(' ')[0]).sort(), ['anthropic', 'bedrock', 'openai'], 'one reason per provider');
      assert.equal(section.join('\n').match(/no anthropic API key/g)?.length, 1, section.join('\n'));
      const anthropic = section.indexOf(reasons.find((line) => line.startsWith('  anthropic cannot be used: no anthropic API key'))!);
      const under = section.slice(anthropic + 1).filter((_, at, rest) => rest.slice(0, at + 1).every((line) => line.startsWith('    ')));
      assert.deepEqual(under.map((line) => line.trim().split(':')[0]).sort(), ['chat', 'completion', 'plan']);
      for (const line of under) assert.match(line, /^ {4}(chat|completion|plan): anthropic:[^,:]+(, anthropic:[^,:]+)*$/);
      // Every one of the nine entries is still named, once.
      const named = section.filter((line) => line.startsWith('    ')).flatMap((line) => line.slice(line.indexOf(': ') + 2).split(', '));
      assert.equal(named.length, 9, section.join('\n'));
    } finally {
      registry.dispose();
    }
  });
});
