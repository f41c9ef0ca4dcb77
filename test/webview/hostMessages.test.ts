import assert from 'node:assert/strict';
import { readHostMessage } from '../../src/webview/chat/hostMessages';

const footer = {
  model: 'claude-sonnet-5',
  requestedModel: 'gpt-5.4',
  fellBack: true,
  inputTokens: 10,
  outputTokens: 20,
  costUsd: null,
  latencyMs: 300,
  estimated: false,
};

describe('readHostMessage', () => {
  it('accepts every well-formed host message', () => {
    const messages = [
      { type: 'init', models: [{ ref: 'openai:gpt-5.4', label: 'GPT-5.4' }], selectedModel: 'auto', hasCredentials: true, benchmark: false },
      { type: 'history', messages: [{ role: 'user', text: 'hi', attachments: [] }], totalCostUsd: 0.1 },
      { type: 'start', id: 'r1', requestedModel: 'gpt-5.4', attachments: [{ label: 'a.ts:1-2' }], userText: 'hi' },
      { type: 'chunk', id: 'r1', text: 'x', seq: 3 },
      { type: 'done', id: 'r1', footer: { ...footer, stopped: false }, totalCostUsd: 0.2 },
      { type: 'error', id: 'r1', message: 'failed', attempts: [{ provider: 'openai', model: 'gpt-5.4', error: '429' }], partial: true },
      { type: 'attachmentsPreview', selection: null, file: { label: 'a.ts' } },
    ];
    for (const message of messages) assert.deepEqual(readHostMessage(message), message);
  });

  it('rejects messages the view could not show', () => {
    for (const raw of [null, 'init', [], { type: 'launch' }, { type: 'chunk', id: 'r1' }, { type: 'done', id: 'r1', footer: { model: 1 } }, { type: 'init', hasCredentials: 'yes', selectedModel: 'auto' }]) {
      assert.equal(readHostMessage(raw), undefined, JSON.stringify(raw));
    }
  });

  it('drops malformed entries of a history instead of the whole transcript', () => {
    const read = readHostMessage({
      type: 'history',
      messages: [null, { role: 'system', text: 'x' }, { role: 'assistant', text: 'kept', footer: 'broken' }],
      totalCostUsd: 'lots',
    });
    assert.deepEqual(read, { type: 'history', messages: [{ role: 'assistant', text: 'kept' }], totalCostUsd: 0 });
  });
});
