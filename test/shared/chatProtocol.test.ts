import assert from 'node:assert/strict';
import {
  chatPanelHtml,
  describeMessageShape,
  MAX_TEXT_CHARS,
  parseHostMessage,
  parseHostMessageBySchema,
  parseWebviewMessage,
  parseWebviewMessageBySchema,
} from '../../src/shared/chatProtocol';
import { webviewCsp } from '../../src/shared/webviewPage';

describe('parseWebviewMessage', () => {
  it('accepts every message the chat webview sends', () => {
    const messages = [
      { type: 'ready' },
      { type: 'send', text: 'Explain this', model: 'auto', attachSelection: true, attachFile: false },
      { type: 'send', text: 'x', model: 'bedrock:anthropic.claude-sonnet-5:0', attachSelection: false, attachFile: true },
      { type: 'stop' },
      { type: 'newChat' },
      { type: 'showConversations' },
      { type: 'insertCode', code: 'const a = 1;' },
      { type: 'copy', text: 'const a = 1;' },
      { type: 'openLink', href: 'https://example.com/a?b=c' },
      { type: 'setUpProvider', way: 'setKey' },
      { type: 'setUpProvider', way: 'localServer' },
      { type: 'setUpProvider', way: 'openSettings' },
      { type: 'selectModel', model: 'openai:gpt-5.4' },
      { type: 'retry', recordId: '3f2b8c1e-6f7d-4a5b-9c0d-1e2f3a4b5c6d' },
      { type: 'askAgain' },
      { type: 'chunkAck', id: 'm1', seq: 0 },
      { type: 'chunkAck', id: 'm12', seq: 19_999 },
      { type: 'chunkAck', id: 'm12', seq: 5, slackMs: 3.25, frameMs: 16.7 },
      { type: 'chunkAck', id: 'm12', seq: 5, slackMs: 0 },
      { type: 'benchmarkPings', count: 300, intervalMs: 20 },
    ];
    for (const message of messages) assert.deepEqual(parseWebviewMessage(message), message);
  });

  it('drops unknown types and wrong shapes', () => {
    const bad = [
      undefined,
      null,
      'ready',
      42,
      { type: 'deleteEverything' },
      { type: 'send', text: 'hi' },
      { type: 'send', text: 'hi', model: 'auto', attachSelection: 'yes', attachFile: false },
      { type: 'send', text: '', model: 'auto', attachSelection: false, attachFile: false },
      { type: 'send', text: 'hi', model: '', attachSelection: false, attachFile: false },
      { type: 'insertCode', code: 7 },
      { type: 'setUpProvider' },
      { type: 'setUpProvider', way: 'runCommand' },
      { type: 'selectModel' },
      { type: 'retry' },
      { type: 'retry', recordId: '' },
      { type: 'retry', recordId: 'x'.repeat(101) },
      { type: 'chunkAck', id: 'm1' },
      { type: 'chunkAck', id: '', seq: 1 },
      { type: 'chunkAck', id: 'x'.repeat(101), seq: 1 },
      { type: 'chunkAck', id: 'm1', seq: -1 },
      { type: 'chunkAck', id: 'm1', seq: 1.5 },
      { type: 'chunkAck', id: 'm1', seq: '3' },
      { type: 'chunkAck', id: 'm1', seq: Number.POSITIVE_INFINITY },
      { type: 'chunkAck', id: 'm1', seq: 1, slackMs: -1 },
      { type: 'chunkAck', id: 'm1', seq: 1, slackMs: 101 },
      { type: 'chunkAck', id: 'm1', seq: 1, slackMs: '3' },
      { type: 'chunkAck', id: 'm1', seq: 1, frameMs: 0.5 },
      { type: 'chunkAck', id: 'm1', seq: 1, frameMs: Number.NaN },
      { type: 'benchmarkPings', count: 0, intervalMs: 20 },
      { type: 'benchmarkPings', count: 1_000_000, intervalMs: 20 },
      { type: 'benchmarkPings', count: 3, intervalMs: -1 },
      { type: 'benchmarkPings', count: 3 },
    ];
    for (const raw of bad) assert.equal(parseWebviewMessage(raw), undefined, JSON.stringify(raw));
  });

  it('opens only http(s) links', () => {
    for (const href of ['javascript:alert(1)', 'command:workbench.action.terminal.new', 'file:///etc/passwd', 'vscode://x', '/relative', 'not a url']) {
      assert.equal(parseWebviewMessage({ type: 'openLink', href }), undefined, href);
    }
    assert.equal(parseWebviewMessage({ type: 'openLink', href: `https://example.com/${'a'.repeat(9000)}` }), undefined);
  });

  it('rejects oversize text rather than passing megabytes to the host', () => {
    const huge = 'x'.repeat(MAX_TEXT_CHARS + 1);
    assert.equal(parseWebviewMessage({ type: 'send', text: huge, model: 'auto', attachSelection: false, attachFile: false }), undefined);
    assert.equal(parseWebviewMessage({ type: 'copy', text: huge }), undefined);
    assert.equal(parseWebviewMessage({ type: 'insertCode', code: huge }), undefined);
    const atLimit = 'x'.repeat(MAX_TEXT_CHARS);
    assert.equal(parseWebviewMessage({ type: 'insertCode', code: atLimit })?.type, 'insertCode');
  });

  it('strips fields the protocol does not know', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'stop', id: 'r1', extra: true }), { type: 'stop' });
  });
});

describe('describeMessageShape', () => {
  it('names a malformed message by its type and size, never its content', () => {
    const prompt = 'my database password is hunter2, why does login fail?';
    const described = describeMessageShape({ type: 'send', text: prompt, model: 42 });
    assert.equal(described, `type "send", ${JSON.stringify({ type: 'send', text: prompt, model: 42 }).length} characters`);
    assert.ok(!described.includes('hunter2'));
    assert.equal(describeMessageShape({ type: 'a"b\n<c>', text: prompt }).startsWith('type "a?b?'), true, 'the type is shown, its odd characters replaced');
    assert.equal(describeMessageShape(prompt), `a string, ${prompt.length + 2} characters`);
    assert.equal(describeMessageShape(null), 'a null, 4 characters');
    const cyclic: Record<string, unknown> = { type: 'send' };
    cyclic.self = cyclic;
    assert.equal(describeMessageShape(cyclic), 'type "send", unserialisable');
  });
});

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

describe('parseHostMessage (the webview reading the host)', () => {
  it('accepts every well-formed host message', () => {
    const messages = [
      { type: 'init', models: [{ ref: 'openai:gpt-5.4', label: 'GPT-5.4' }], selectedModel: 'auto', hasCredentials: true, benchmark: false },
      { type: 'init', models: [], selectedModel: 'auto', hasCredentials: false },
      { type: 'init', models: [], selectedModel: 'auto', hasCredentials: false, invalidSettings: ['switchboard.providers.openai.baseUrl is not an http(s) URL'] },
      { type: 'notSent', text: 'How do I sort numbers?' },
      // Ask again or Retry refused: their question stays in the conversation, so there is no text to give back.
      { type: 'notSent' },
      { type: 'history', messages: [{ role: 'user', text: 'hi', attachments: [] }, { role: 'assistant', text: 'hello', footer }], totalCostUsd: 0.1 },
      { type: 'history', messages: [{ role: 'user', text: 'hi', attachments: [] }], totalCostUsd: 0.3, removedMessages: 6 },
      { type: 'start', id: 'r1', requestedModel: 'gpt-5.4', attachments: [{ label: 'a.ts:1-2' }], userText: 'hi' },
      { type: 'chunk', id: 'r1', text: 'x', seq: 3 },
      { type: 'chunk', id: 'r1', text: 'xy', seq: 4, firstSeq: 3 },
      { type: 'chunk', id: 'r1', text: 'xyz', seq: 5, firstSeq: 3, ack: true },
      { type: 'done', id: 'r1', footer: { ...footer, stopped: true }, totalCostUsd: 0.2 },
      { type: 'error', id: 'r1', message: 'failed', attempts: [{ provider: 'openai', model: 'gpt-5.4', error: '429' }], partial: true },
      { type: 'codeInserted', inserted: false },
      { type: 'attachmentsPreview', selection: null, file: { label: 'a.ts' } },
      { type: 'attachmentsPreview', selection: { label: '.env:1-2', excluded: 'excluded by switchboard.exclude' }, file: { label: '.env', excluded: 'excluded by switchboard.exclude' } },
      { type: 'start', id: 'r2', requestedModel: 'gpt-5.4', attachments: [{ label: '.env', excluded: 'excluded by switchboard.exclude' }], userText: 'hi' },
    ];
    for (const message of messages) assert.deepEqual(parseHostMessage(message), message);
  });

  it('rejects messages the view could not show', () => {
    const bad = [
      null,
      'init',
      [],
      { type: 'launch' },
      { type: 'chunk', id: 'r1' },
      { type: 'chunk', id: 'r1', text: 'x' },
      { type: 'chunk', id: 'r1', text: 'x', seq: 1, ack: 'yes' },
      { type: 'done', id: 'r1', footer: { model: 1 } },
      { type: 'init', hasCredentials: 'yes', selectedModel: 'auto', models: [] },
      { type: 'init', hasCredentials: false, selectedModel: 'auto', models: [], invalidSettings: 'openai' },
      { type: 'notSent', text: 42 },
      { type: 'error', id: 'r1', message: 'failed', attempts: 'none', partial: false },
      { type: 'history', messages: 'all of them' },
    ];
    for (const raw of bad) assert.equal(parseHostMessage(raw), undefined, JSON.stringify(raw));
  });

  it('drops malformed entries of a history instead of the whole transcript', () => {
    const read = parseHostMessage({
      type: 'history',
      messages: [null, { role: 'system', text: 'x' }, { role: 'assistant', text: 'kept', footer: 'broken' }, { role: 'assistant', text: 'also kept' }],
      totalCostUsd: 'lots',
    });
    assert.deepEqual(read, { type: 'history', messages: [{ role: 'assistant', text: 'also kept' }], totalCostUsd: 0 });
  });

  it('keeps the count of removed messages with a history whose entries were partly malformed, and drops a count that is not one', () => {
    const entries = [null, { role: 'assistant', text: 'kept' }];
    assert.deepEqual(parseHostMessage({ type: 'history', messages: entries, totalCostUsd: 0, removedMessages: 4 }), {
      type: 'history',
      messages: [{ role: 'assistant', text: 'kept' }],
      totalCostUsd: 0,
      removedMessages: 4,
    });
    for (const removedMessages of [0, -1, 1.5, '4']) {
      const read = parseHostMessage({ type: 'history', messages: entries, totalCostUsd: 0, removedMessages });
      assert.ok(read?.type === 'history' && !('removedMessages' in read), JSON.stringify(removedMessages));
    }
  });
});

describe('chatPanelHtml', () => {
  it('serves the bundle under a nonce-only CSP with no inline allowances', () => {
    const html = chatPanelHtml({
      cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
      nonce: 'abc123',
      scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/chat.js',
      styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/chat.css',
    });
    const csp = webviewCsp('https://file+.vscode-resource.vscode-cdn.net', 'abc123');
    assert.equal(
      csp,
      "default-src 'none'; script-src 'nonce-abc123'; style-src https://file+.vscode-resource.vscode-cdn.net; img-src https://file+.vscode-resource.vscode-cdn.net data:; font-src https://file+.vscode-resource.vscode-cdn.net",
    );
    assert.ok(html.includes(`content="${csp}"`));
    assert.doesNotMatch(csp, /unsafe/);
    assert.match(html, /<script nonce="abc123" src="https:\/\/file\+\.vscode-resource\.vscode-cdn\.net\/ext\/dist\/webview\/chat\.js"><\/script>/);
    assert.match(html, /<div id="switchboard-chat"><\/div>/);
  });
});

describe('the streamed messages, checked by hand, agree with their schemas', () => {
  // Every field right, each wrong in each way a value can be, unknown fields, and values a structured clone keeps.
  const ids: unknown[] = ['r1', '', 'x'.repeat(200), 'x'.repeat(2000), 7, null, undefined];
  const numbers: unknown[] = [0, 3, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, '3', null, undefined];
  const texts: unknown[] = ['abc', '', 5, null, undefined, ['a']];
  const flags: unknown[] = [true, false, 'yes', 1, null, undefined];
  const shapes: unknown[] = [null, 'chunk', [], [{ type: 'chunk' }], 42];

  it('chunk: parseHostMessage returns what the schema returns, field for field', () => {
    let compared = 0;
    const check = (raw: unknown) => {
      assert.deepEqual(parseHostMessage(raw), parseHostMessageBySchema(raw), JSON.stringify(raw));
      compared++;
    };
    for (const raw of shapes) check(raw);
    for (const id of ids) for (const seq of numbers) check({ type: 'chunk', id, text: 'abc', seq });
    for (const text of texts) for (const firstSeq of numbers) check({ type: 'chunk', id: 'r1', text, seq: 4, firstSeq });
    for (const ack of flags) check({ type: 'chunk', id: 'r1', text: 'abc', seq: 4, firstSeq: 2, ack, extra: { a: 1 } });
    assert.equal(compared, shapes.length + ids.length * numbers.length + texts.length * numbers.length + flags.length);
    // Unknown fields are dropped, as the schema drops them.
    assert.deepEqual(parseHostMessage({ type: 'chunk', id: 'r1', text: 'a', seq: 1, html: '<img>' }), { type: 'chunk', id: 'r1', text: 'a', seq: 1 });
  });

  it('chunkAck: parseWebviewMessage returns what the schema returns, field for field', () => {
    let compared = 0;
    for (const raw of [...shapes, { type: 'chunkAck' }]) {
      assert.deepEqual(parseWebviewMessage(raw), parseWebviewMessageBySchema(raw), JSON.stringify(raw));
      compared++;
    }
    for (const id of ids) {
      for (const seq of numbers) {
        const raw = { type: 'chunkAck', id, seq, extra: true };
        assert.deepEqual(parseWebviewMessage(raw), parseWebviewMessageBySchema(raw), JSON.stringify(raw));
        compared++;
      }
    }
    // The frame clock's fields (frame pacing), each alone and together.
    const frameTimes: unknown[] = [0, 0.5, 1, 16.7, 100, 101, -1, Number.NaN, Number.POSITIVE_INFINITY, '3', null, undefined];
    for (const slackMs of frameTimes) {
      for (const frameMs of frameTimes) {
        for (const raw of [{ type: 'chunkAck', id: 'm1', seq: 2, slackMs }, { type: 'chunkAck', id: 'm1', seq: 2, frameMs }, { type: 'chunkAck', id: 'm1', seq: 2, slackMs, frameMs }]) {
          assert.deepEqual(parseWebviewMessage(raw), parseWebviewMessageBySchema(raw), JSON.stringify(raw));
          compared++;
        }
      }
    }
    assert.equal(compared, shapes.length + 1 + ids.length * numbers.length + frameTimes.length ** 2 * 3);
    assert.deepEqual(parseWebviewMessage({ type: 'chunkAck', id: 'm1', seq: 9, extra: 1 }), { type: 'chunkAck', id: 'm1', seq: 9 });
  });
});
