import assert from 'node:assert/strict';
import { parseModelRef } from '../../../src/core/modelRef';
import { isBareFollowUp, questionFollowedUp } from '../../../src/core/routing/followUp';
import { shippedRoutingModel } from '../../../src/core/routing/routingModel';
import { FOLLOW_UP_REASON, scoreRequest } from '../../../src/core/routing/scorer';
import { chooseTier } from '../../../src/core/routing/tiers';
import type { ChatMessage } from '../../../src/core/types';

const refs = (...texts: string[]) => texts.map((text) => parseModelRef(text)!);
const tiers = { cheap: refs('anthropic:claude-haiku-4-5'), strong: refs('anthropic:claude-sonnet-5') };
const share = () => shippedRoutingModel().dial.defaultShare;

/** A thread on a hard design question: the answer is long, the last question needs the strong tier on its own. */
const hardThread: ChatMessage[] = [
  { role: 'user', content: 'Our payment service runs in two regions. How do we stop a refund being applied twice when both regions receive the retry?' },
  { role: 'assistant', content: `Use an idempotency key stored with a conditional write in one primary region. ${'More on the trade-offs. '.repeat(40)}` },
  { role: 'user', content: 'Would a distributed lock in Redis across both regions be safer than the conditional write, given failover and clock drift?' },
  { role: 'assistant', content: `No: a Redis lock does not survive a failover safely without fencing tokens. ${'Details. '.repeat(40)}` },
];
/** A thread on a one-fact question. */
const easyThread: ChatMessage[] = [
  { role: 'user', content: 'What is the default port of PostgreSQL?' },
  { role: 'assistant', content: '5432.' },
];

describe('a follow-up with nothing of its own', () => {
  it('knows "Why?", "How so?", "Are you sure?" and their like in other languages, and nothing with a subject of its own', () => {
    for (const prompt of ['Why?', 'why', 'How so?', 'Are you sure?', 'what do you mean?', 'Can you explain?', 'ok, why not?', 'Pourquoi ?', 'Warum?', '¿Por qué?', 'Porque?', '为什么？', '为什么呢', 'なぜですか？', 'どうして？']) {
      assert.equal(isBareFollowUp(prompt), true, prompt);
    }
    for (const prompt of ['thanks', 'ok', 'What?', 'and then', 'what does LWW stand for?', 'which one is faster?', 'same thing in Go please', 'Why does my Redis lock expire early?', 'why `await` here?', '为什么死锁？', '']) {
      assert.equal(isBareFollowUp(prompt), false, prompt);
    }
  });

  it('scores "Why?" after a hard thread as the question it follows, strong, and says so in its reasons', () => {
    const followed = questionFollowedUp({ task: 'chat', prompt: 'Why?', history: hardThread });
    assert.equal(followed?.prompt, hardThread[2]!.content, 'the newest question of substance');
    assert.deepEqual(followed?.history, hardThread.slice(0, 2));
    const question = chooseTier({ task: 'chat', prompt: hardThread[2]!.content, history: hardThread.slice(0, 2) }, tiers, share());
    assert.equal(question.tier, 'strong', `the question itself: ${question.score}`);
    const why = chooseTier({ task: 'chat', prompt: 'Why?', history: hardThread }, tiers, share());
    assert.equal(why.tier, 'strong', `score ${why.score}: ${why.reasons.join('; ')}`);
    assert.equal(why.score, question.score);
    assert.equal(why.reasons[0], FOLLOW_UP_REASON);
    assert.equal(why.recordableReasons[0], FOLLOW_UP_REASON, 'the reason quotes nothing: the ledger may keep it');
  });

  it('looks past an earlier "why" or "thanks" to the question they follow', () => {
    const history: ChatMessage[] = [...hardThread, { role: 'user', content: 'thanks' }, { role: 'assistant', content: 'You are welcome.' }, { role: 'user', content: 'Are you sure?' }, { role: 'assistant', content: 'Yes.' }];
    assert.equal(questionFollowedUp({ task: 'chat', prompt: 'Pourquoi ?', history })?.prompt, hardThread[2]!.content);
    assert.equal(chooseTier({ task: 'chat', prompt: 'Pourquoi ?', history }, tiers, share()).tier, 'strong');
  });

  it('leaves "Why?" after a one-fact question cheap, and a short question with a subject of its own scored as it is', () => {
    const easy = chooseTier({ task: 'chat', prompt: 'Why?', history: easyThread }, tiers, share());
    assert.equal(easy.tier, 'cheap', `score ${easy.score}: ${easy.reasons.join('; ')}`);
    assert.ok(!easy.reasons.includes(FOLLOW_UP_REASON), easy.reasons.join('; '));
    const own = { task: 'chat' as const, prompt: 'what does LWW stand for?', history: hardThread };
    assert.equal(questionFollowedUp(own), undefined);
    assert.ok(!scoreRequest(own).factors.some((factor) => factor.text === FOLLOW_UP_REASON));
    // With no conversation there is nothing to follow.
    assert.equal(questionFollowedUp({ task: 'chat', prompt: 'Why?' }), undefined);
  });

  it('keeps "thanks" after a hard thread cheap: an acknowledgement asks nothing', () => {
    assert.equal(chooseTier({ task: 'chat', prompt: 'thanks!', history: hardThread }, tiers, share()).tier, 'cheap');
  });
});
