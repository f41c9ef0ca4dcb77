import assert from 'node:assert/strict';
import { parseModelRef } from '../../../src/core/modelRef';
import { promptWithAttachments } from '../../../src/core/prompts/attachments';
import { extractFeatures, type RoutingInput } from '../../../src/core/routing/features';
import { reviewAskIn } from '../../../src/core/routing/reviewAsk';
import { shippedRoutingModel } from '../../../src/core/routing/routingModel';
import { chooseTier } from '../../../src/core/routing/tiers';

// Faults found by the tenth tryout (eval/router/tryouts/2026-12-04-j.jsonl): a browser redirect to the page's own
// address, "anything I should change before I push this?", and a short question whether a whole file is right.

const chat = (prompt: string): RoutingInput => ({ task: 'chat', prompt });
const refs = (...texts: string[]) => texts.map((text) => parseModelRef(text)!);
const tiers = { cheap: refs('anthropic:claude-haiku-4-5'), strong: refs('anthropic:claude-sonnet-5') };
const attach = (question: string, label: string, languageId: string, text: string) => promptWithAttachments(question, [{ label, languageId, text }]);
const stats = (prompt: string) => extractFeatures(chat(prompt)).stats;
const decide = (prompt: string) => chooseTier(chat(prompt), tiers, shippedRoutingModel().dial.defaultShare);
const why = (choice: { score: number; reasons: string[] }) => `score ${choice.score.toFixed(3)}: ${choice.reasons.join('; ')}`;

/** Browser code that sends the page wherever its address or the page before says: open redirects. */
const browserRedirects: readonly string[] = [
  ["const next = new URLSearchParams(location.search).get('next');", 'if (next) window.location.href = next;'].join('\n'),
  ["const target = new URLSearchParams(window.location.search).get('to') ?? '/';", 'window.location.assign(target);'].join('\n'),
  ['const hashTarget = decodeURIComponent(location.hash.slice(1));', 'location.replace(hashTarget);'].join('\n'),
  ['function back() {', '  window.location.href = document.referrer;', '}'].join('\n'),
];
/** A fixed browser redirect, nothing read from the address. */
const fixedBrowserRedirect = ['function signOut() {', '  localStorage.removeItem("draft");', "  window.location.href = '/signed-out';", '}'].join('\n');
/** The address read and shown, never followed. */
const addressShown = ["const q = new URLSearchParams(location.search).get('q') ?? '';", "document.getElementById('query').textContent = q;"].join('\n');

/** `functions` plain TypeScript functions of 8 lines each, nothing in them a security or concurrency word. */
function plainModule(functions: number): string {
  const parts: string[] = [];
  for (let i = 0; i < functions; i++) {
    parts.push(
      [
        `export function lineTotal${i}(items: { price: number; quantity: number }[], rate${i}: number): number {`,
        '  let sum = 0;',
        '  for (const item of items) {',
        '    sum += item.price * item.quantity;',
        '  }',
        `  return Math.round(sum * (1 + rate${i}) * 100) / 100;`,
        '}',
        '',
      ].join('\n'),
    );
  }
  return parts.join('\n');
}
/** The pitfall of a two-line average: "is this ok?" over it asks what a cheap model answers (tryout g-09). */
const twoLineAverage = ['def average(values):', '    return sum(values) / len(values)'].join('\n');
/** A password reset that stores an MD5 of the new password. */
const passwordReset = [
  "router.post('/reset', async (req, res) => {",
  '  const account = await accounts.byResetCode(req.body.code);',
  "  if (!account) return res.status(400).send('bad code');",
  '  account.password = md5(req.body.password);',
  '  await account.save();',
  "  res.send('done');",
  '});',
].join('\n');

describe('reviews of whole files and browser redirects (the tenth tryout)', () => {
  it('reads a browser redirect to the page address or the referrer as input reaching a sink, not a fixed one or an address only shown', () => {
    for (const code of browserRedirects) assert.equal(stats(attach('Is this ok?', 'web/go.js', 'javascript', code)).riskyCode, true, code);
    assert.equal(stats(attach('Is this ok?', 'web/signout.js', 'javascript', fixedBrowserRedirect)).riskyCode, false);
    assert.equal(stats(attach('Is this ok?', 'web/search.js', 'javascript', addressShown)).riskyCode, false);
    // Only where a review or a security question asks: an edit of the same code does not look.
    assert.equal(stats(attach('Add a comment above each line.', 'web/go.js', 'javascript', browserRedirects[0]!)).riskyCode, false);
  });

  it('reads "anything I should change before I push this?" and its kin as a review ask, not a change asked for by name', () => {
    for (const question of [
      'anything I should change before I push this?',
      'Is there anything we need to fix before we merge it?',
      'What would you change here?',
      'something I should fix?',
      'Would you change anything before I deploy?',
    ]) {
      assert.ok(reviewAskIn(question, 0), question);
    }
    for (const question of ['What should I change to make this async?', 'Anything I should change in my tsconfig to enable strict mode?', 'What would you change it to?', 'Would you change the name to totalCents?']) {
      assert.equal(reviewAskIn(question, 0), undefined, question);
    }
  });

  it('sends a short review ask over a browser redirect from the address to the strong tier as a security review', () => {
    const choice = decide(attach('anything I should change before I push this?', 'web/go.js', 'javascript', browserRedirects[1]!));
    assert.equal(choice.tier, 'strong', why(choice));
    assert.ok(choice.reasons.includes('a security review: the code passes input from outside to a command, query, file path, redirect or deserialiser'), why(choice));
    // Making the fixed redirect wait is an edit, cheap.
    const edit = decide(attach('wait two seconds before this redirect', 'web/signout.js', 'javascript', fixedBrowserRedirect));
    assert.equal(edit.tier, 'cheap', why(edit));
  });

  it('does not count the few words of "Is this good to merge?" over a whole file, nor of a security review; over a snippet it does', () => {
    for (const functions of [40, 1_600]) {
      const code = plainModule(functions);
      const choice = decide(attach('Is this good to merge?', 'src/totals.ts', 'typescript', code));
      assert.equal(choice.tier, 'strong', `${code.length} characters, ${why(choice)}`);
      assert.ok(!choice.reasons.some((reason) => reason.startsWith('short request')), why(choice));
    }
    assert.ok(plainModule(1_600).length > 100_000);
    // "ready to ship?" over a password reset that stores MD5: a security review, however few words ask it.
    const reset = decide(attach('ready to ship?', 'src/routes/reset.ts', 'typescript', passwordReset));
    assert.equal(reset.tier, 'strong', why(reset));
    // Over two lines "is this ok?" is read by its length as before: cheap.
    const snippet = decide(attach('is this ok?', 'stats.py', 'python', twoLineAverage));
    assert.equal(snippet.tier, 'cheap', why(snippet));
  });
});
