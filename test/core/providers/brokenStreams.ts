/**
 * Checks the three adapters' tests share, for a stream that does not end
 * well: an abort, before the first byte or in the middle of an answer,
 * closes the provider's connection and ends the stream as cancelled; a cut
 * or an unreadable event ends it after the text that came before.
 */
import assert from 'node:assert/strict';
import { ProviderError } from '../../../src/core/providers/providerError';
import type { StreamEvent } from '../../../src/core/types';
import { collectStream } from '../../fakes/collectStream';
import type { FakeServer } from '../../fakes/index';
import { textGate } from '../../fakes/textGate';

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

export async function assertMalformedAfterText(fake: FakeServer, stream: StartStream): Promise<void> {
  fake.script({ text: 'abcdef', chunks: 3, malformedAfterChunks: 2 });
  const result = await collectStream(stream(new AbortController().signal));
  assert.equal(result.text, 'abcd');
  assert.equal((result.error as ProviderError).kind, 'malformed');
}

/** `message` is how the adapter under test names the cut. */
export async function assertCutMidAnswer(fake: FakeServer, stream: StartStream, message: RegExp): Promise<void> {
  const gate = textGate('ab');
  fake.script({ text: 'abcdef', chunks: 3, cutAfterChunks: 1, cutOnceReceived: gate.received });
  const result = await collectStream(stream(new AbortController().signal), gate.onText);
  assert.equal(result.text, 'ab');
  assert.equal((result.error as ProviderError).kind, 'connection');
  assert.match((result.error as ProviderError).message, message);
}
