import assert from 'node:assert/strict';
import type { Frame } from 'playwright-core';
import { formatUsd } from '../../src/core/cost';
import type { LedgerRecord } from '../../src/core/ledger';
import {
  askInChat,
  clickInNotificationCenter,
  fakes,
  notificationToast,
  openChatPanel,
  openFile,
  page,
  readLedger,
  runCommand,
  runCommandWithInput,
  useWorkbenchOnFakes,
  waitForEditorText,
  waitForLedgerRecord,
  waitUntil,
  workbench,
} from './harness';

const SIMPLE = 'How do I exit vim?';
/** A route that runs a shell command built from a query parameter: what "Anything wrong with this?" is asked about. */
const PING_ROUTE = "const { exec } = require('child_process');\napp.get('/ping', (req, res) => {\n  exec('ping -c 1 ' + req.query.host, (err, out) => res.send(out));\n});\n";
const PLANNING =
  'Plan the migration of our user store from MongoDB to Postgres across all services without downtime: phases, dual writes, backfill, rollback.';

/** Issue 9: Auto in the real workbench, turned on, with its default tiers and dial. */
describe('Auto routing in the chat panel', () => {
  let chat: Frame;
  let cheapRecord: LedgerRecord;

  useWorkbenchOnFakes({
    files: { 'README.md': '# Project\n', 'routes/ping.js': PING_ROUTE },
    // Only the strong tiers are set: the cheap tiers are Auto's defaults, narrowed to Anthropic (Plan's: claude-sonnet-5).
    userSettings: {
      'switchboard.auto.enabled': true,
      'switchboard.routes.chat': ['anthropic:claude-sonnet-5'],
      'switchboard.routes.plan': ['anthropic:claude-opus-5'],
    },
  });

  before(async () => {
    fakes.anthropic.scriptModel('claude-haiku-4-5', { text: 'Press `Esc`, then type `:q` and Enter.', usage: { inputTokens: 60, outputTokens: 14 } });
    fakes.anthropic.scriptModel('claude-sonnet-5', { text: 'A careful answer from the strong tier.', usage: { inputTokens: 80, outputTokens: 30 } });
    chat = await openChatPanel(page, 'activity bar');
  });

  it('answers a simple question on the cheap tier, the footer naming the tier and why', async () => {
    await askInChat(chat, SIMPLE);
    const answer = chat.locator('.message.assistant').last();
    await answer.locator('.answer-footer').waitFor({ state: 'visible' });
    assert.equal(await answer.locator('.footer-model').innerText(), 'anthropic:claude-haiku-4-5');
    const routing = answer.locator('.footer-routing');
    assert.match(await routing.innerText(), /^cheap tier: .*(short request|no code attached)/);
    assert.match((await routing.getAttribute('title')) ?? '', /^Auto sent this to the cheap tier \(score 0\.\d\d\) because:\n• /);

    cheapRecord = await waitForLedgerRecord(workbench.server.ledgerPath, (r) => r.task === 'chat' && r.routing?.tier === 'cheap', 'the cheap-tier answer');
    assert.equal(cheapRecord.model, 'claude-haiku-4-5');
    assert.equal(cheapRecord.routing?.mode, 'auto');
    assert.ok(cheapRecord.routing!.reasons.length > 0);
    assert.ok(!JSON.stringify(cheapRecord).includes('vim'), 'the ledger holds no prompt text, reasons included');
  });

  it('answers a planning request on the strong tier, the footer naming the tier and why', async () => {
    await askInChat(chat, PLANNING);
    const answer = chat.locator('.message.assistant').last();
    await answer.locator('.answer-footer').waitFor({ state: 'visible' });
    assert.equal(await answer.locator('.footer-model').innerText(), 'anthropic:claude-sonnet-5');
    assert.match(await answer.locator('.footer-routing').innerText(), /^strong tier: .+/);
    assert.equal(await answer.locator('.retry-strong').count(), 0, 'a strong-tier answer has nothing stronger to retry on');
    const record = await waitForLedgerRecord(workbench.server.ledgerPath, (r) => r.task === 'chat' && r.routing?.tier === 'strong', 'the strong-tier answer');
    assert.ok(record.routing!.score! > cheapRecord.routing!.score!);
  });

  it('"Retry with the strong model" asks the cheap answer\'s question again on the strong tier, linked in the ledger', async () => {
    const first = chat.locator('.message.assistant').first();
    await first.getByRole('button', { name: 'Retry with the strong model' }).click();

    const retried = chat.locator('.message.assistant').nth(2);
    await retried.locator('.answer-footer').waitFor({ state: 'visible' });
    assert.equal(await retried.locator('.footer-model').innerText(), 'anthropic:claude-sonnet-5');
    assert.equal(await retried.locator('.footer-routing').innerText(), 'strong tier (retry)');
    assert.equal(await retried.locator('.markdown').innerText(), 'A careful answer from the strong tier.');
    const question = chat.locator('.message.user').last();
    assert.equal(await question.locator('.user-text').innerText(), SIMPLE);
    await question.locator('.chip', { hasText: 'Retry with the strong model' }).waitFor({ state: 'visible' });

    const retry = await waitForLedgerRecord(workbench.server.ledgerPath, (r) => r.retryOf === cheapRecord.id, 'the retry');
    assert.equal(retry.model, 'claude-sonnet-5');
    assert.deepEqual(retry.routing, { mode: 'retry', tier: 'strong', reasons: ['asked again on the strong tier'] });
    // The same question went to the strong model, with the conversation as it was before it.
    const sent = fakes.anthropic.requests.at(-1)!.body as { model: string; messages: Array<{ content: unknown }> };
    assert.equal(sent.model, 'claude-sonnet-5');
    assert.equal(sent.messages.length, 1);
    assert.match(JSON.stringify(sent.messages[0]), /How do I exit vim\?/);
    await waitUntil(() => readLedger(workbench.server.ledgerPath).length === 3, 'three records, one per answer');
  });

  it('a Plan answered on the cheap tier, retried from the notification, opens as a Plan: its steps, its preview offer, its footer in Continue in Chat', async () => {
    fakes.anthropic.scriptModel('claude-sonnet-5', { text: '- [ ] Add LICENSE.\n- [ ] Name it in the README.', usage: { inputTokens: 300, outputTokens: 12 } });
    const steps = ['Add `LICENSE` with the MIT text and this year.', 'Set `"license": "MIT"` in package.json.', 'Name the licence in the README.'];
    fakes.anthropic.scriptModel('claude-opus-5', { text: steps.map((step) => `- [ ] ${step}`).join('\n'), usage: { inputTokens: 300, outputTokens: 40 } });
    // No code in focus: a short goal alone goes to Plan's cheap tier.
    await runCommand(page, 'View: Close All Editors');
    await runCommandWithInput(page, 'Switchboard: Plan…', 'Switchboard: Plan', 'Add a LICENSE file (MIT).');
    await waitForEditorText(page, /Answered by anthropic:claude-sonnet-5/);
    const cheapPlan = await waitForLedgerRecord(workbench.server.ledgerPath, (r) => r.task === 'plan' && r.routing?.tier === 'cheap', 'the cheap-tier plan');
    await notificationToast(page, 'the plan is ready, with 2 steps to tick off').waitFor({ state: 'visible' });

    const offer = notificationToast(page, 'Switchboard: Plan answered on the cheap tier by claude-sonnet-5.');
    await offer.getByRole('button', { name: 'Retry with the strong model' }).click();
    const document = await waitForEditorText(page, /Answered by anthropic:claude-opus-5/);
    assert.match(document, /^Plan: Add a LICENSE file \(MIT\)\.\n=+\n/);
    // The editor wraps long lines where its width says.
    const unwrapped = document.replace(/\s+/g, ' ');
    for (const step of steps) assert.ok(unwrapped.includes(`- [ ] ${step}`), `the retried plan holds "${step}":\n${document}`);
    assert.ok(unwrapped.includes('· strong tier: asked again on the strong tier_'), `the signature names the retry:\n${document}`);
    const retry = await waitForLedgerRecord(workbench.server.ledgerPath, (r) => r.retryOf === cheapPlan.id, 'the retried plan');
    assert.equal(retry.task, 'plan');
    assert.equal(retry.model, 'claude-opus-5');
    assert.deepEqual(retry.routing, { mode: 'retry', tier: 'strong', reasons: ['asked again on the strong tier'] });
    // The same request was sent again, not a new one.
    const [cheapSent, strongSent] = fakes.anthropic.requests.slice(-2).map((r) => r.body as { model: string; messages: unknown });
    assert.deepEqual([cheapSent!.model, strongSent!.model], ['claude-sonnet-5', 'claude-opus-5']);
    assert.deepEqual(strongSent!.messages, cheapSent!.messages);

    // Its steps can be ticked in the editor.
    await waitUntil(async () => (await page.locator('.codelens-decoration a', { hasText: 'Mark done' }).count()) === 3, 'a "Mark done" lens above each of the 3 steps');

    // Continued in the chat, it is the strong model's answer with its cost, not an attachment of the user's.
    // From the notification center: this plan's toast can be held back, coming within 800 ms of the cheap plan's three.
    await clickInNotificationCenter(page, 'the plan is ready, with 3 steps to tick off', 'Continue in Chat');
    await chat.locator('.message.user', { hasText: "Let's continue from Plan: Add a LICENSE file (MIT)." }).waitFor({ state: 'visible' });
    const answer = chat.locator('.message.assistant').last();
    await answer.locator('.answer-footer').waitFor({ state: 'visible' });
    assert.equal(await answer.locator('.footer-model').innerText(), 'anthropic:claude-opus-5');
    assert.equal(await answer.locator('.footer-cost').innerText(), formatUsd(retry.costUsd));
    assert.equal(await answer.locator('.footer-routing').innerText(), 'strong tier (retry)');
    assert.equal(await chat.locator('.message.user .chip').count(), 0, 'the plan is not attached as the user\'s file');
  });

  it('hands a question over to the strong tier when the cheap tier fails before answering, and the footer and the ledger say so', async () => {
    fakes.anthropic.scriptModel('claude-sonnet-5', { text: 'A careful answer from the strong tier.', usage: { inputTokens: 80, outputTokens: 30 } });
    // The next request, the cheap tier's, is overloaded; with no wait asked for, the model does not rest after it.
    fakes.anthropic.script({ status: 529, retryAfter: '0' });
    // A new conversation, so that the plan above does not count in the score.
    await chat.getByRole('button', { name: 'New Chat' }).click();
    await chat.locator('#welcome').waitFor({ state: 'visible' });
    await askInChat(chat, SIMPLE);

    const answer = chat.locator('.message.assistant').last();
    await answer.locator('.answer-footer').waitFor({ state: 'visible' });
    assert.equal(await answer.locator('.footer-model').innerText(), 'anthropic:claude-sonnet-5 (fallback from anthropic:claude-haiku-4-5)');
    const routing = answer.locator('.footer-routing');
    assert.match(await routing.innerText(), /^strong tier: handed over from the cheap tier: its models failed before answering, /);
    assert.match((await routing.getAttribute('title')) ?? '', /^Auto picked the cheap tier \(score 0\.\d\d\), which could not answer \(its models failed before answering\), so it handed this to the strong tier\./);
    assert.equal(await answer.locator('.retry-strong').count(), 0, 'answered on the strong tier: nothing stronger to retry on');

    const record = await waitForLedgerRecord(workbench.server.ledgerPath, (r) => r.routing?.handedOverFrom === 'cheap', 'the handed-over answer');
    assert.deepEqual([record.model, record.routing?.tier, record.outcome], ['claude-sonnet-5', 'strong', 'ok']);
    assert.deepEqual(record.attempts.map((a) => `${a.provider}:${a.model}`), ['anthropic:claude-haiku-4-5']);
    const [cheapSent, strongSent] = fakes.anthropic.requests.slice(-2).map((r) => (r.body as { model: string }).model);
    assert.deepEqual([cheapSent, strongSent], ['claude-haiku-4-5', 'claude-sonnet-5']);
  });

  it('sends "Why?" after a hard question to the strong tier, the footer saying it follows that question', async () => {
    await chat.getByRole('button', { name: 'New Chat' }).click();
    await chat.locator('#welcome').waitFor({ state: 'visible' });
    const recorded = readLedger(workbench.server.ledgerPath).length;
    await askInChat(chat, PLANNING);
    await chat.locator('.message.assistant').last().locator('.answer-footer').waitFor({ state: 'visible' });
    await waitUntil(() => readLedger(workbench.server.ledgerPath).length === recorded + 1, 'the hard question\'s record');
    const question = readLedger(workbench.server.ledgerPath).at(-1)!;
    assert.equal(question.routing?.tier, 'strong');

    await askInChat(chat, 'Why?');
    await chat.locator('.message.assistant').nth(1).locator('.answer-footer').waitFor({ state: 'visible' });
    const answer = chat.locator('.message.assistant').nth(1);
    assert.equal(await answer.locator('.footer-model').innerText(), 'anthropic:claude-sonnet-5');
    const routing = answer.locator('.footer-routing');
    assert.match(await routing.innerText(), /^strong tier: a follow-up on the answer before it: as hard as the question it follows/);
    assert.match((await routing.getAttribute('title')) ?? '', /^Auto sent this to the strong tier \(score 0\.\d\d\) because:\n• a follow-up on the answer before it: as hard as the question it follows/);

    await waitUntil(() => readLedger(workbench.server.ledgerPath).length === recorded + 2, 'the follow-up\'s record');
    const why = readLedger(workbench.server.ledgerPath).at(-1)!;
    assert.equal(why.routing?.tier, 'strong');
    assert.equal(why.routing?.reasons[0], 'a follow-up on the answer before it: as hard as the question it follows', 'the reason quotes nothing: the ledger keeps it');
    assert.equal(why.routing?.score, question.routing?.score, 'scored as the question it follows');
    // The model was sent the whole conversation, the question and its answer before "Why?".
    const sent = fakes.anthropic.requests.at(-1)!.body as { model: string; messages: unknown[] };
    assert.equal(sent.model, 'claude-sonnet-5');
    assert.equal(sent.messages.length, 3);
  });

  it('sends "Anything wrong with this?" over an attached file that runs a command built from request input to the strong tier, as a security review', async () => {
    await chat.getByRole('button', { name: 'New Chat' }).click();
    await chat.locator('#welcome').waitFor({ state: 'visible' });
    await openFile(page, 'routes/ping.js');
    const toggle = chat.locator('#attach-file');
    await toggle.locator('.toggle-detail', { hasText: 'ping.js' }).waitFor({ state: 'visible' });
    if ((await toggle.getAttribute('aria-pressed')) !== 'true') await toggle.click();
    const recorded = readLedger(workbench.server.ledgerPath).length;
    await askInChat(chat, 'Anything wrong with this?');

    const answer = chat.locator('.message.assistant').last();
    await answer.locator('.answer-footer').waitFor({ state: 'visible' });
    assert.equal(await answer.locator('.footer-model').innerText(), 'anthropic:claude-sonnet-5');
    const title = (await answer.locator('.footer-routing').getAttribute('title')) ?? '';
    assert.match(title, /^Auto sent this to the strong tier \(score 0\.\d\d\) because:\n• /);
    assert.ok(title.includes('asks whether the attached code is right: a code review'), title);
    assert.ok(title.includes('a security review: the code passes input from outside to a command, query, file path, redirect or deserialiser'), title);

    await waitUntil(() => readLedger(workbench.server.ledgerPath).length === recorded + 1, 'the review\'s record');
    const record = readLedger(workbench.server.ledgerPath).at(-1)!;
    assert.equal(record.routing?.tier, 'strong');
    assert.ok(record.routing?.reasons.includes('asks whether the attached code is right: a code review'), record.routing?.reasons.join('; '));
    // The file went with the question.
    const sent = fakes.anthropic.requests.at(-1)!.body as { model: string; messages: unknown[] };
    assert.match(JSON.stringify(sent.messages.at(-1)), /req\.query\.host/);
  });
});
