import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { listenOnLoopback } from '../fakes/loopbackServer';
import { askInChat, fakes, openChatPanel, page, useWorkbenchOnFakes, waitForLedgerRecord, workbench } from './harness';

const LIMIT_MS = 2000;

/**
 * A chat question whose first model's host takes the TCP connection and never answers the TLS handshake (a middlebox
 * holding it, a port that is not TLS): the first-token limit runs out in the handshake, which is said as such, by the
 * host, where the user looks (the answer's footer, its model's tooltip) and in the ledger; the route's next model
 * answers (core/providers/connectionPhases.ts).
 */
describe('A connection phase said in the chat after a fallback', () => {
  let silent: Server;
  const held: Socket[] = [];
  let silentPort = 0;

  before(async () => {
    silent = createServer((socket) => held.push(socket.on('error', () => undefined)));
    silentPort = await listenOnLoopback(silent);
  });
  after(async () => {
    held.forEach((socket) => socket.destroy());
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  useWorkbenchOnFakes(() => ({
    userSettings: {
      'switchboard.providers.openai.baseUrl': `https://127.0.0.1:${silentPort}/v1`,
      'switchboard.routes.chat': ['openai:gpt-5.4', 'anthropic:claude-sonnet-5'],
      'switchboard.auto.enabled': false,
      'switchboard.timeouts.firstTokenMs': LIMIT_MS,
    },
  }));

  it("answers from the fallback; the footer names it, its tooltip says the handshake with the first model's host took too long, and the ledger records that", async () => {
    fakes.anthropic.scriptModel('claude-sonnet-5', { text: 'From the fallback.' });
    const chat = await openChatPanel(page, 'palette');
    await askInChat(chat, 'Which model answers?');

    const answer = chat.locator('.message.assistant').last();
    await answer.locator('.answer-footer').waitFor({ state: 'visible' });
    assert.equal(await answer.locator('.markdown').innerText(), 'From the fallback.');
    assert.equal(await answer.locator('.footer-model').innerText(), 'anthropic:claude-sonnet-5 (fallback from openai:gpt-5.4)');
    const phase = `openai could not be reached in time: the TLS handshake with 127\\.0\\.0\\.1 took over \\d+ ms, within the ${LIMIT_MS} ms of switchboard\\.timeouts\\.firstTokenMs; the request never reached the model`;
    const tooltip = (await answer.locator('.footer-model').getAttribute('title')) ?? '';
    assert.match(tooltip, new RegExp(`^Model that answered, after:\\n• openai:gpt-5\\.4: ${phase}$`));

    const record = await waitForLedgerRecord(workbench.server.ledgerPath, (r) => r.task === 'chat' && r.outcome === 'ok', 'the fallback answer');
    assert.equal(`${record.provider}:${record.model}`, 'anthropic:claude-sonnet-5');
    assert.equal(record.requestedModel, 'openai:gpt-5.4');
    assert.equal(record.attempts.length, 1);
    assert.match(record.attempts[0]!.error, new RegExp(`^${phase}$`));
    // The host held the connection, and was sent nothing past the handshake's first bytes: no request, no key.
    assert.ok(held.length >= 1, 'the silent host was connected to');
  });
});
