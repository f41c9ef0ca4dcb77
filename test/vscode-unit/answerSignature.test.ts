import assert from 'node:assert/strict';
import type { LedgerRecord } from '../../src/core/ledger';
import { answerSignature, carriesAnswerSignature, FAILED_WRITING_SIGNATURE, PENDING_SIGNATURE } from '../../src/vscode/answerSignature';
import { record } from '../core/costs/cells';

const answered = (fields: Partial<LedgerRecord>) => ({ text: 'An answer.', record: record({ provider: 'openai', model: 'gpt-5.4', requestedModel: 'openai:gpt-5.4', ...fields }) });

describe('the signature line of an Ask or Plan document', () => {
  it('marks a cost priced at a bound beside it and says why on the next line', () => {
    const signature = answerSignature(
      answered({
        usage: { inputTokens: 100, outputTokens: 4096, cacheReadTokens: 0, cacheWriteTokens: 0 },
        reportedUsage: { inputTokens: 100, outputTokens: 1e12, cacheReadTokens: 0, cacheWriteTokens: 0 },
        usageBound: { outputTokens: 4096 },
        costUsd: 0.06,
      }),
      {},
    );
    assert.equal(
      signature,
      '\n\n---\n_Answered by openai:gpt-5.4 · $0.06 (priced at a bound) · 100 in / 4096 out · 1.0 s_\n' +
        '\n_Priced at a bound: the provider reported 1,000,000,000,000 output tokens, more than the request could produce (4,096); priced at 4,096._\n',
    );
  });

  it('says an answer was cut at its max output, naming the setting that raises it', () => {
    const plan = answerSignature({ ...answered({ maxTokensReached: 4096 }), record: { ...answered({ maxTokensReached: 4096 }).record, task: 'plan' } }, {});
    assert.match(plan, /^\n\n---\n_Cut at the 4,096-token limit \(switchboard\.plan\.maxTokens\)\. Answered by openai:gpt-5\.4 · /);
    assert.doesNotMatch(answerSignature(answered({}), {}), /Cut at/);
  });

  it("marks a gateway's cost figure priced at a bound too", () => {
    const signature = answerSignature(answered({ gateway: 'litellm', gatewayCostUsd: 5, gatewayCostBoundUsd: 0.004, costUsd: 0.004 }), {});
    assert.match(signature, /· \$0\.004 \(priced at a bound\) ·/);
    assert.match(signature, /_Priced at a bound: LiteLLM reported a cost of \$5\.00, more than the request could cost at the price table's rates \(\$0\.004\); priced at \$0\.004\._/);
  });

  it("says in the sandbox that the cost is simulated and not billed, in the chat footer's words, and nowhere else", () => {
    assert.equal(answerSignature(answered({ costUsd: 0.1 }), {}, { simulated: true }), '\n\n---\n_Answered by openai:gpt-5.4 · $0.10 (simulated, not billed) · 100 in / 50 out · 1.0 s_\n');
    assert.doesNotMatch(answerSignature(answered({ costUsd: 0.1 }), {}), /simulated/);
  });

  it('says nothing of bounds when the cost is priced as reported', () => {
    assert.equal(answerSignature(answered({ costUsd: 0.1 }), {}), '\n\n---\n_Answered by openai:gpt-5.4 · $0.10 · 100 in / 50 out · 1.0 s_\n');
  });
  it('says first that Auto handed the request over, as the chat footer does', () => {
    const routing = { mode: 'auto' as const, tier: 'cheap' as const, score: 0.8, handedOverFrom: 'strong' as const, reasons: ['handed over from the strong tier: its models failed before answering', 'mentions "deadlock"'] };
    const signature = answerSignature(answered({ routing }), { shownReasons: ['mentions "deadlock"'] });
    assert.match(signature, / · cheap tier: handed over from the strong tier: its models failed before answering, mentions "deadlock"_\n$/);
  });
});

describe('recognising a signed answer', () => {
  const signed = (text: string) => `> the question\n\nThe answer.${text}`;

  it('recognises every signature answerSignature writes, the one an answer carries while written, in LF and CRLF documents', () => {
    const signatures = [
      PENDING_SIGNATURE,
      FAILED_WRITING_SIGNATURE,
      answerSignature(answered({}), {}),
      answerSignature(answered({ outcome: 'cancelled' }), {}),
      answerSignature({ ...answered({ outcome: 'error' }), error: 'socket hang up\nat line 2' }, {}),
      answerSignature(answered({ maxTokensReached: 4096 }), {}),
      answerSignature({ text: '', error: 'no key for openai', record: answered({ outcome: 'error' }).record }, {}),
    ];
    assert.match(signatures[6]!, /could not answer/, 'the last one is the no-answer signature');
    for (const signature of signatures) {
      assert.equal(carriesAnswerSignature(signed(signature)), true, signature);
      assert.equal(carriesAnswerSignature(signed(signature).replace(/\n/g, '\r\n')), true, signature);
      assert.equal(carriesAnswerSignature(`${signed(signature)}\n\nNotes the user added below it.\n`), true, signature);
    }
  });

  it("does not take a user's own Markdown for an answer", () => {
    for (const text of ['# Notes\n\n---\n\n_Answered by me, later_\n', 'Answered by openai:gpt-5.4 · $0.10\n', '---\nAnswered by openai:gpt-5.4\n', '']) {
      assert.equal(carriesAnswerSignature(text), false, text);
    }
  });
});
