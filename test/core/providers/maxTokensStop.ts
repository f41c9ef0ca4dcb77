/** One check the three adapters' tests share: the provider's own "stopped at max output" reaches the router. */
import assert from 'node:assert/strict';
import type { CollectedStream } from '../../fakes/collectStream';
import type { FakeServer } from '../../fakes/index';

/** `stream` runs one request through the adapter under test against `fake`. */
export async function assertReportsMaxTokensStop(fake: FakeServer, stream: () => Promise<CollectedStream>): Promise<void> {
  fake.script({ text: 'A long answer cut', stopAtMaxTokens: true }, { text: 'A whole answer.' });
  const cut = await stream();
  const whole = await stream();
  assert.equal(cut.error, undefined, 'a complete stream');
  assert.equal(cut.text, 'A long answer cut');
  assert.equal(cut.maxTokensReached, true);
  assert.equal(whole.maxTokensReached, false);
}
