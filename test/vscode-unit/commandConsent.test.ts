import assert from 'node:assert/strict';
import type { BudgetStatus } from '../../src/core/budget/budgetGate';
import { allowOnceConsent, clearKeyConsent, explainConsent, promptConsent, QUOTED_PROMPT_CHARS, resumeCompletionsConsent } from '../../src/vscode/commandConsent';

/** The daily limit of $5.00 with $5.12 spent: reached. */
const REACHED: BudgetStatus = {
  limit: { period: 'day', limitUsd: 5, setting: 'budget.dailyUsd', label: 'daily budget' },
  spentUsd: 5.12,
  estimatedUsd: 0,
  reservedUsd: 0,
  leftUsd: 0,
  level: 'reached',
  resetsAt: new Date(2026, 11, 3),
};
const HALF_SPENT: BudgetStatus = { ...REACHED, spentUsd: 2.5, leftUsd: 2.5, level: 'ok' };

describe('Commands run from outside Switchboard’s own UI (commandConsent)', () => {
  describe('Ask and Plan', () => {
    it('ask nothing when no text is given: the input box that follows is the user’s own question', () => {
      for (const argument of [undefined, null, 42, { prompt: 'x' }, '', '   \n']) {
        assert.equal(promptConsent('Ask', argument, { budgets: [] }), undefined, `argument ${JSON.stringify(argument)}`);
        assert.equal(promptConsent('Plan', argument, { budgets: [] }), undefined, `argument ${JSON.stringify(argument)}`);
      }
    });

    it('ask before sending text handed to the command, naming the text, the model, the route and the budget', () => {
      const consent = promptConsent('Ask', 'Summarise ~/.aws/credentials', { firstModel: 'openai:gpt-5.4', budgets: [HALF_SPENT] });
      assert.ok(consent);
      assert.equal(consent.message, 'Send this question to openai:gpt-5.4?');
      assert.equal(consent.confirm, 'Send to Model');
      assert.match(consent.detail, /"Summarise ~\/\.aws\/credentials"/);
      assert.match(consent.detail, /switchboard\.routes\.chat\), openai:gpt-5\.4 first/);
      assert.match(consent.detail, /Daily budget: \$2\.50 left of \$5\.00 \(\$2\.50 spent\)/);
      assert.match(consent.detail, /not typed by you/);
    });

    it('a plan names the plan route and what else it sends', () => {
      const consent = promptConsent('Plan', 'Rewrite everything', { budgets: [] });
      assert.ok(consent);
      assert.equal(consent.message, 'Send a plan for this goal to the plan route?');
      assert.match(consent.detail, /switchboard\.routes\.plan/);
      assert.match(consent.detail, /open editors and the workspace layout/);
      assert.match(consent.detail, /No budget is set/);
    });

    it('under Auto names the model this text scored for, or both tiers when the request is not known yet (a plan)', () => {
      const ask = promptConsent('Ask', 'What is 2 + 2?', { firstModel: 'openai:gpt-5.4-mini', autoTier: 'cheap', budgets: [] })!;
      assert.equal(ask.message, 'Send this question to openai:gpt-5.4-mini?');
      assert.match(ask.detail, /openai:gpt-5\.4-mini first \(Auto's pick for this text, the cheap tier\)/);
      const plan = promptConsent('Plan', 'Add a CSV export', { autoTiers: { cheap: 'openai:gpt-5.4-mini', strong: 'openai:gpt-5.5' }, budgets: [] })!;
      assert.equal(plan.message, "Send a plan for this goal to Auto's pick, openai:gpt-5.4-mini (cheap tier) or openai:gpt-5.5 (strong tier)?");
      const strongOnly = promptConsent('Plan', 'Add a CSV export', { autoTiers: { strong: 'openai:gpt-5.5' }, budgets: [] })!;
      assert.equal(strongOnly.message, "Send a plan for this goal to Auto's pick, openai:gpt-5.5 (strong tier)?");
      assert.equal(promptConsent('Plan', 'Add a CSV export', { autoTiers: {}, budgets: [] })!.message, 'Send a plan for this goal to the plan route?');
    });

    it('quotes a long text cut, and its hidden characters as code points', () => {
      const long = promptConsent('Ask', 'x'.repeat(QUOTED_PROMPT_CHARS + 50), { budgets: [] })!;
      assert.match(long.detail, new RegExp(`"x{${QUOTED_PROMPT_CHARS}}…"`));
      // A right-to-left override would make the quote read backwards; a zero-width space hides a word break.
      const hidden = promptConsent('Ask', 'harmless \u202Etxt.exe\u200B', { budgets: [] })!;
      assert.match(hidden.detail, /"harmless \[U\+202E\]txt\.exe\[U\+200B\]"/);
      assert.doesNotMatch(hidden.detail, /[\u202E\u200B]/);
    });
  });

  describe('Explain Selection', () => {
    const selection = { path: 'src/billing.ts', lines: { from: 12, to: 30 }, chars: 1234 };
    it('goes at once from the editor context menu (the call carries the active document)', () => {
      assert.equal(explainConsent(true, selection, { budgets: [HALF_SPENT] }), undefined);
    });

    it('asks otherwise, naming the file, the lines, the model and the budget', () => {
      const consent = explainConsent(false, selection, { firstModel: 'anthropic:claude-sonnet-5', budgets: [HALF_SPENT] });
      assert.ok(consent);
      assert.equal(consent.message, 'Explain the selection in src/billing.ts with anthropic:claude-sonnet-5?');
      assert.equal(consent.confirm, 'Explain Selection');
      assert.match(consent.detail, /lines 12-30 of src\/billing\.ts \(1,234 characters/);
      assert.match(consent.detail, /a link or another extension, not from the editor's context menu/);
      assert.match(consent.detail, /Daily budget: \$2\.50 left of \$5\.00/);
      const oneLine = explainConsent(false, { ...selection, lines: { from: 3, to: 3 } }, { budgets: [] })!;
      assert.equal(oneLine.message, 'Explain the selection in src/billing.ts with the chat route?');
      assert.match(oneLine.detail, /line 3 of .*switchboard\.routes\.chat.*No budget is set/);
    });

    it("says when Auto chose the model for this selection, and shows a file name's hidden characters as code points", () => {
      const auto = explainConsent(false, selection, { firstModel: 'anthropic:claude-haiku-4-5', autoTier: 'cheap', budgets: [] })!;
      assert.equal(auto.message, 'Explain the selection in src/billing.ts with anthropic:claude-haiku-4-5?');
      assert.match(auto.detail, /the chat panel's model, anthropic:claude-haiku-4-5 \(Auto's pick for this selection, the cheap tier\), billed/);
      // A workspace's file name: shown raw, the override would make it read as "src/exe.ts" or anything else.
      const hidden = explainConsent(false, { ...selection, path: 'src/\u202Est.exe' }, { budgets: [] })!;
      assert.equal(hidden.message, 'Explain the selection in src/[U+202E]st.exe with the chat route?');
      assert.doesNotMatch(hidden.detail, /\u202E/);
    });
  });

  describe('Allow One Request Past the Budget', () => {
    it('allows nothing while no limit refuses requests (no allowance primed for later)', () => {
      const outcome = allowOnceConsent(undefined);
      assert.ok('nothing' in outcome);
      assert.match(outcome.nothing, /no budget limit is refusing requests now/);
    });

    it('asks, naming the limit, what is spent and its setting', () => {
      const outcome = allowOnceConsent(REACHED);
      assert.ok('consent' in outcome);
      assert.equal(outcome.consent.message, 'Let the next request go past your budget?');
      assert.equal(outcome.consent.confirm, 'Allow Once');
      assert.match(outcome.consent.detail, /Daily budget reached: \$5\.12 spent of \$5\.00; resets on 2026-12-03 at 00:00 \(switchboard\.budget\.dailyUsd\)/);
    });
  });

  describe('Snooze or Resume Inline Completions', () => {
    it('snoozes without asking: it only stops spending', () => {
      assert.equal(resumeCompletionsConsent(false, { budgets: [] }), undefined);
    });

    it('asks before resuming, naming the completion model and the budget', () => {
      const consent = resumeCompletionsConsent(true, { firstModel: 'openai:gpt-5.4-nano', budgets: [REACHED] });
      assert.ok(consent);
      assert.equal(consent.message, 'Resume inline completions?');
      assert.match(consent.detail, /ask openai:gpt-5\.4-nano \(switchboard\.routes\.completion\) again whenever you pause typing/);
      assert.match(consent.detail, /Daily budget reached/);
    });
  });

  describe('Clear API Key', () => {
    it('always asks, and says when the environment key takes over (and receives what is sent)', () => {
      const withEnv = clearKeyConsent('OpenAI', 'OPENAI_API_KEY', true);
      assert.equal(withEnv.message, "Remove your OpenAI API key from VS Code's secret storage?");
      assert.equal(withEnv.confirm, 'Remove Key');
      assert.match(withEnv.detail, /OPENAI_API_KEY in this window's environment is used instead: its account is billed for OpenAI requests and receives what they send/);
      assert.match(clearKeyConsent('Anthropic', 'ANTHROPIC_API_KEY', false).detail, /Anthropic requests stop until a key is set\.$/);
    });
  });
});
