import assert from 'node:assert/strict';
import { chatRequest } from '../../src/core/prompts/taskPrompts';
import type { StreamDocumentRequest, StreamedDocument } from '../../src/vscode/streamDocument';
import { strongRetryOf } from '../../src/vscode/strongRetry';

describe('"Retry with the strong model" on an Ask or Plan document', () => {
  const prepared = { heading: 'Plan: Add a LICENSE file\n=========================\n', request: chatRequest('Add a LICENSE file (MIT).', 400) };
  const finished: StreamedDocument[] = [];
  const plan: StreamDocumentRequest = {
    title: 'Plan',
    task: 'plan',
    prepare: () => {
      throw new Error('the retry re-asks what was sent; it does not gather the context again');
    },
    finish: (outcome) => finished.push(outcome),
  };

  it('asks the same heading and request again on the strong tier, linked to the answer it re-asks', async () => {
    const retry = strongRetryOf(plan, prepared, { id: 'rec-7', costUsd: 0.002 });
    assert.equal(retry.title, 'Plan (strong tier)');
    assert.equal(retry.task, 'plan');
    assert.deepEqual(retry.retry, { tier: 'strong', of: 'rec-7' });
    assert.deepEqual(await retry.prepare(), prepared);
  });

  it('says when the answer it re-asks had no known price, so the saving can leave the pair out', () => {
    assert.deepEqual(strongRetryOf(plan, prepared, { id: 'rec-8', costUsd: null }).retry, { tier: 'strong', of: 'rec-8', unpriced: true });
  });

  it('says when the answer it re-asks was handed over from a failed strong tier, so the saving leaves the pair out', () => {
    const handedOver = { mode: 'auto' as const, tier: 'cheap' as const, handedOverFrom: 'strong' as const, reasons: [] };
    assert.deepEqual(strongRetryOf(plan, prepared, { id: 'rec-9', costUsd: 0.002, routing: handedOver }).retry, { tier: 'strong', of: 'rec-9', handedOver: true });
    assert.deepEqual(strongRetryOf(plan, prepared, { id: 'rec-9', costUsd: 0.002, routing: { ...handedOver, handedOverFrom: 'cheap', tier: 'strong' } }).retry, { tier: 'strong', of: 'rec-9' });
  });

  it('finishes the retried answer as the first one (a retried Plan is remembered as a Plan)', () => {
    const retry = strongRetryOf(plan, prepared, { id: 'rec-7', costUsd: 0.002 });
    const outcome = { document: { uri: 'untitled:Untitled-2' }, result: { text: '- [ ] Add LICENSE' } } as unknown as StreamedDocument;
    retry.finish?.(outcome);
    assert.deepEqual(finished, [outcome]);
  });

  it('leaves the first request as it was', () => {
    strongRetryOf(plan, prepared, { id: 'rec-7', costUsd: 0.002 });
    assert.equal(plan.title, 'Plan');
    assert.equal(plan.retry, undefined);
  });
});
