import assert from 'node:assert/strict';
import { parseModelRef } from '../../../src/core/modelRef';
import { promptWithAttachments } from '../../../src/core/prompts/attachments';
import { extractFeatures, type RoutingInput } from '../../../src/core/routing/features';
import { shippedRoutingModel } from '../../../src/core/routing/routingModel';
import { chooseTier } from '../../../src/core/routing/tiers';

const chat = (prompt: string): RoutingInput => ({ task: 'chat', prompt });
const groups = (prompt: string) => extractFeatures(chat(prompt)).stats.groupWords;
const refs = (...texts: string[]) => texts.map((text) => parseModelRef(text)!);
const tiers = { cheap: refs('anthropic:claude-haiku-4-5'), strong: refs('anthropic:claude-sonnet-5') };

/** A session store with a hand-rolled token and a hashed password: code a security review is about. */
const sessionCode = [
  "import { createHash } from 'node:crypto';",
  'export function checkPassword(user: { salt: string; hash: string }, password: string): boolean {',
  "  return createHash('md5').update(user.salt + password).digest('hex') == user.hash;",
  '}',
  'export function newSession(userId: number): string {',
  '  const session = `${userId}-${Date.now()}`;',
  '  sessions.set(session, userId);',
  '  return session;',
  '}',
].join('\n');
/** Code with nothing of security in it. */
const sortCode = ['export function byPrice(items: Item[]): Item[] {', '  return [...items].sort((a, b) => a.price - b.price);', '}'].join('\n');

describe('reading rules: what a user means by a word', () => {
  it('reads a review of attached code that handles passwords, sessions or crypto as a security review, and sends it strong', () => {
    const prompt = promptWithAttachments('Review src/session.ts', [{ label: 'src/session.ts', languageId: 'typescript', text: sessionCode }]);
    const { stats } = extractFeatures(chat(prompt));
    assert.equal(stats.securityReview, true);
    const decision = chooseTier(chat(prompt), tiers, shippedRoutingModel().dial.defaultShare);
    assert.equal(decision.tier, 'strong', `score ${decision.score}: ${decision.reasons.join('; ')}`);
    assert.ok(decision.reasons.some((reason) => reason.startsWith('a security review')), decision.reasons.join('; '));

    // The same review of code with nothing of security in it, an explanation of the session code, and the session
    // code named with nothing attached are not security reviews.
    const sorting = promptWithAttachments('Review src/sort.ts', [{ label: 'src/sort.ts', languageId: 'typescript', text: sortCode }]);
    assert.equal(extractFeatures(chat(sorting)).stats.securityReview, false);
    const explain = promptWithAttachments('Explain src/session.ts', [{ label: 'src/session.ts', languageId: 'typescript', text: sessionCode }]);
    assert.equal(extractFeatures(chat(explain)).stats.securityReview, false);
    assert.equal(extractFeatures(chat('Review src/session.ts')).stats.securityReview, false);
  });

  it('reads "per" as arithmetic where it makes a rate, not where it groups rows', () => {
    assert.equal(groups('Write a SQL query for the highest salary per department.').arithmetic, undefined);
    assert.equal(groups('Our workers open one connection per job.').arithmetic, undefined);
    assert.equal(groups('Apples are $2 per pound. How much do 3 pounds of apples come to?').arithmetic, 'per');
    assert.equal(groups('A pump moves 40 liters per minute. How long does it take to fill a 600-liter tank?').arithmetic, 'per');
    assert.equal(groups('A car uses 6 liters per 100 km. How much fuel for 250 km?').arithmetic, 'per');
  });

  it('reads "repository" as work across the project only where it is the place of the work', () => {
    assert.equal(groups('Our team must pick one branching convention for the repository. What is the difference between rebase and merge?').scope, undefined);
    assert.equal(groups('How do I clone a repository with its submodules?').scope, undefined);
    assert.equal(groups('Refactor the service to use the repository pattern.').scope, undefined);
    assert.equal(groups('Rename getUser to fetchUser across the repository.').scope, 'across');
    assert.equal(groups('Find every call to the old logger in the repo.').scope, 'repo');
    assert.equal(groups('Find every call to the old logger in our repository.').scope, 'repository');
  });

  it('reads "markdown" as a mechanical edit where a layout is asked for, not where it is what the code handles', () => {
    assert.equal(groups('put the three options you listed into a markdown table with pros and cons columns').mechanical, 'markdown');
    assert.equal(groups('Can you give me that as a markdown list?').mechanical, 'markdown');
    assert.equal(groups('The extension renders model answers as markdown in a webview. What could a malicious file do?').mechanical, undefined);
    assert.equal(groups('Write a markdown parser that supports nested lists.').mechanical, undefined);

    // After a hard answer, asking for it as a table is a mechanical edit: the cheap tier. A follow-up on the same
    // thread that asks something hard is not touched by the rule.
    const history = [
      { role: 'user' as const, content: 'We need to run a scheduled job exactly once across 6 instances. What are our options?' },
      { role: 'assistant' as const, content: 'Three options: 1) a Postgres advisory lock taken at the start of the job; 2) a lease row with an expiry and a fencing token; 3) a Kubernetes CronJob with concurrencyPolicy: Forbid.' },
    ];
    const share = shippedRoutingModel().dial.defaultShare;
    const table = chooseTier({ task: 'chat', prompt: 'great, can you put the three options you listed into a markdown table with pros and cons columns?', history }, tiers, share);
    assert.equal(table.tier, 'cheap', `score ${table.score}: ${table.reasons.join('; ')}`);
    const hard = chooseTier({ task: 'chat', prompt: 'and what happens with option 2 if the clock on one instance runs five minutes fast?', history }, tiers, share);
    assert.equal(hard.tier, 'strong', `score ${hard.score}: ${hard.reasons.join('; ')}`);
  });

  it('reads "guarantee" and "ensure", and 保证 in Chinese, as a requirement, not as asking why', () => {
    for (const prompt of ['请设计一个聊天系统，并说明如何保证消息顺序。', 'How do we guarantee that each order is charged once?', 'Ensure the cache is cleared on logout.']) {
      const found = groups(prompt);
      assert.equal(found.reasoning, undefined, prompt);
      assert.ok(found.constraint, prompt);
    }
    assert.equal(groups('为什么这个服务会死锁？').reasoning, '为什么');
  });
});
