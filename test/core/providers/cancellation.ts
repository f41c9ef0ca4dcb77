/**
 * Two checks the three adapters' tests share: an abort, before the first
 * byte or in the middle of an answer, closes the provider's connection and
 * ends the stream as cancelled.
 */
import assert from 'node:assert/strict';
import { ProviderError } from '../../../src/core/providers/providerError';
import type { StreamEvent } from '../../../src/core/types';
import { collectStream } from '../../fakes/collectStream';
import type { FakeServer } from '../../fakes/index';

/** `stream` starts one request through the adapter under test against `fake`, aborted by `signal`. */
type StartStream = (signal: AbortSignal) => AsyncIterable<StreamEvent>;

export async function assertCancelsMidAnswer(fake: FakeServer, stream: StartStream): Promise<void> {
  fake.script({ text: 'abcdefghijkl', chunks: 6, chunkDelayMs: 200 });
  const controller = new AbortController();
  // Aborted as the first piece of text arrives: what came before the abort is kept, nothing after.
  const result = await collectStream(stream(controller.signal), () => controller.abort());
  assert.ok(result.error instanceof ProviderError);
  assert.equal(result.error.kind, 'cancelled');
  assert.equal(result.text, 'ab');
  await fake.waitForClosedEarly(1);
  assert.equal(fake.closedEarly, 1);
}

export async function assertCancelsBeforeFirstByte(fake: FakeServer, stream: StartStream): Promise<void> {
  fake.script({ stall: true });
  const controller = new AbortController();
  const pending = collectStream(stream(controller.signal));
  await fake.waitForRequests(1);
  controller.abort();
  assert.equal(((await pending).error as ProviderError).kind, 'cancelled');
  await fake.waitForClosedEarly(1);
}
