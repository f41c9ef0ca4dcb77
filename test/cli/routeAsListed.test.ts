import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { tempDir } from '../core/ledger/fixtures';
import { runInProcess } from './inProcess';

/**
 * `route` with a --config of a local OpenAI-compatible server alone: the model it names first is the one `ask`
 * sends to. It named Auto's cheap tier, openai:gpt-5.4-mini, which with Auto off (the default) no request asks.
 */
describe('switchboard route: the model requests go to', () => {
  const dir = tempDir('route-listed');

  async function routeWith(config: Record<string, unknown>): Promise<string[]> {
    const file = path.join(dir.path, 'local.json');
    await writeFile(file, JSON.stringify(config));
    const run = await runInProcess(['route', '--config', file, 'hello'], { env: { HOME: dir.path }, cwd: dir.path });
    assert.equal(run.code, 0, run.stderr);
    return run.stdout.trimEnd().split('\n');
  }

  it('with Auto off, names the route\'s first usable model, and Auto\'s pick as what it would be', async () => {
    const lines = await routeWith({ providers: { openai: { baseUrl: 'http://127.0.0.1:11434/v1' } }, routes: { chat: ['openai:gpt-5.4-nano'] } });
    assert.equal(lines[0], 'openai:gpt-5.4-nano  the chat route as listed (Auto is off in this configuration)');
    assert.match(lines[1]!, /^ {2}with Auto on \("auto": \{"enabled": true\} in --config\): openai:gpt-5\.4-mini {2}cheap tier, score 0\.\d{3}$/);
  });

  it('with the default routes and only the local server usable, names the route\'s model on that server', async () => {
    const lines = await routeWith({ providers: { openai: { baseUrl: 'http://127.0.0.1:11434/v1' } } });
    assert.equal(lines[0], 'openai:gpt-5.4  the chat route as listed (Auto is off in this configuration)');
    assert.doesNotMatch(lines.join('\n'), /has credentials/);
  });

  it('with Auto on, names the pick, which is what ask sends to', async () => {
    const lines = await routeWith({ providers: { openai: { baseUrl: 'http://127.0.0.1:11434/v1' } }, routes: { chat: ['openai:gpt-5.4-nano'] }, auto: { enabled: true } });
    assert.match(lines[0]!, /^openai:gpt-5\.4-mini {2}cheap tier, score 0\.\d{3}$/);
    assert.ok(lines.slice(1).every((line) => line.startsWith('  - ')), lines.join('\n'));
  });
});
