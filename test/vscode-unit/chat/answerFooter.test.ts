import assert from 'node:assert/strict';
import type { LedgerRecord } from '../../../src/core/ledger';
import { answerFooter } from '../../../src/vscode/chat/answerFooter';
import { record } from '../../core/ledger/fixtures';

function answered(fields: Partial<LedgerRecord>): { text: string; record: LedgerRecord } {
  return { text: 'An answer.', record: record(fields) };
}

/** What the chat footer says of a fallback: the model it fell back from, and in its tooltip why each before it gave no answer. */
describe('answerFooter', () => {
  const phase = 'openai could not be reached in time: the TLS handshake with 127.0.0.1 took over 1990 ms, within the 2000 ms of switchboard.timeouts.firstTokenMs; the request never reached the model';

  it('gives every model before the answer, asked or passed over, in the ledger\'s words', () => {
    const footer = answerFooter(
      answered({
        requestedModel: 'openai:gpt-5.4',
        attempts: [
          { provider: 'openai', model: 'gpt-5.4', error: phase },
          { provider: 'bedrock', model: 'us.amazon.nova-micro-v1:0', error: 'cooling down (4s left) after: bedrock had a server error (500)', skipped: true },
        ],
      }),
    );
    assert.equal(footer.fellBack, true);
    assert.deepEqual(footer.fellBackBecause, [`openai:gpt-5.4: ${phase}`, 'bedrock:us.amazon.nova-micro-v1:0: not asked: cooling down (4s left) after: bedrock had a server error (500)']);
  });

  it('a first choice passed over while its host rests is a fallback with its reason too; an answer from the first choice has none', () => {
    const resting = answerFooter(answered({ requestedModel: 'openai:gpt-5.4', attempts: [{ provider: 'openai', model: 'gpt-5.4', error: `cooling down (4s left) after: ${phase}`, skipped: true }] }));
    assert.deepEqual([resting.fellBack, resting.fellBackBecause], [true, [`openai:gpt-5.4: not asked: cooling down (4s left) after: ${phase}`]]);
    const first = answerFooter(answered({}));
    assert.deepEqual([first.fellBack, first.fellBackBecause], [false, undefined]);
  });
});
