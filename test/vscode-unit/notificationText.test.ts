import assert from 'node:assert/strict';
import { describeProblem, resolveConfig } from '../../src/core/config';
import { ProviderRegistry } from '../../src/core/providerRegistry';
import { Budget } from '../../src/core/budget/budget';
import { autoAnswerNotice, deleteConversationQuestion, freeSettingNotAListNotice, madeFreeNotice, notMadeFreeNotice, namesPriceSetting, excludedDocumentNotice, excludedSelectionNotice, hiddenCharactersRemovedNotice, insertFailedNotice, noProviderNotice, plainInNotification, requestFailedNotice, settingsWarning } from '../../src/vscode/notificationText';

/** What VS Code's notifications turn into a link they open with commands allowed: `[label](command:…)`, http(s) or file. */
const NOTIFICATION_LINK = /\[[^\]]+\]\((?:command:|https?:\/\/|file:)[^)\s]+\)/i;

const COMMAND_LINK = '[Open Log](command:workbench.action.reloadWindow)';

describe('notification texts', () => {
  it('a route entry spelling a command link is shown as text in the settings warning', () => {
    const { problems } = resolveConfig({ routes: { chat: [COMMAND_LINK] } });
    const lines = problems.map(describeProblem);
    assert.match(lines[0]!, NOTIFICATION_LINK, 'the problem quotes the value as written');
    const text = settingsWarning(lines);
    assert.doesNotMatch(text, NOTIFICATION_LINK);
    assert.equal(text, 'Switchboard: switchboard.routes.chat[0]: "[Open Log] (command:workbench.action.reloadWindow)" is not a model reference (expected "provider:model", e.g. "anthropic:claude-haiku-4-5"); skipped (and 1 more; see the log)');
  });

  it("It's Free (Local Server): a model id from the ledger spelling a link is shown as text, in each of its answers", () => {
    // The dashboard's rows come from the ledger file, which a dev container's repository can write (its HOME).
    const model = `openai:gpt-5.4-nano${COMMAND_LINK}`;
    const shown = 'openai:gpt-5.4-nano[Open Log] (command:workbench.action.reloadWindow)';
    const texts = [notMadeFreeNotice(model, 'openai'), madeFreeNotice(model, 'openai', false), madeFreeNotice(model, 'openai', true), freeSettingNotAListNotice(model, 'openai:x')];
    for (const text of texts) {
      assert.doesNotMatch(text, NOTIFICATION_LINK);
      assert.ok(text.includes(shown), text);
    }
    assert.equal(
      texts[0],
      `Switchboard: ${shown} was not made free: openai's server is not on this machine now (or this is a remote window, whose localhost is the remote machine), so its requests may be billed.`,
    );
  });

  it('a workspace file named like a link is shown as its name', () => {
    const name = `src/${COMMAND_LINK}.env`;
    for (const text of [excludedSelectionNotice(name, 'excluded by switchboard.exclude'), excludedDocumentNotice(name, 'excluded by switchboard.exclude'), insertFailedNotice(name)]) {
      assert.doesNotMatch(text, NOTIFICATION_LINK);
      assert.ok(text.includes('src/[Open Log] (command:workbench.action.reloadWindow).env'), text);
    }
  });

  it('a provider error quoting a link is shown as text', () => {
    const text = requestFailedNotice('openai: 400 Bad Request: see [the docs](https://example.com/x) or [Fix](command:workbench.action.reloadWindow)');
    assert.doesNotMatch(text, NOTIFICATION_LINK);
    assert.equal(requestFailedNotice(undefined), 'Switchboard: the request failed');
  });

  it("masks a URL's password and query key quoted in a notification (a provider's error, a server's address)", () => {
    const text = requestFailedNotice('openai rejected the request (400): upstream https://gwuser:gw-pass-7q2Zr@gw.example/v1?token=qk-9Xy4mT failed');
    assert.equal(text.includes('gw-pass-7q2Zr') || text.includes('qk-9Xy4mT'), false, text);
    assert.match(text, /upstream https:\/\/gwuser:\*\*\*@gw\.example\/v1\?token=\*\*\* failed/);
    assert.equal(plainInNotification('Switchboard: the server at http://me:pw-123456@10.0.0.5:8000/v1 serves 2 models'), 'Switchboard: the server at http://me:***@10.0.0.5:8000/v1 serves 2 models');
  });

  it('a conversation title spelling a link (from the question or a rename) is shown as text in the delete question', () => {
    const text = deleteConversationQuestion(`Why does ${COMMAND_LINK} fail?`);
    assert.doesNotMatch(text, NOTIFICATION_LINK);
    assert.equal(text, 'Delete the conversation "Why does [Open Log] (command:workbench.action.reloadWindow) fail?"?');
  });

  it('writes bidi controls and invisible characters of a file name or an error as code points', () => {
    // Shown raw, "src/\u202Est.exe" reads as "src/exe.ts".
    assert.equal(excludedSelectionNotice('src/\u202Est.exe', 'excluded by switchboard.exclude'), 'Switchboard: nothing was sent: src/[U+202E]st.exe is excluded by switchboard.exclude.');
    const error = requestFailedNotice('openai: 400 model \u2066gpt\u2069\u200B not found');
    assert.equal(error, 'Switchboard: openai: 400 model [U+2066]gpt[U+2069][U+200B] not found');
    assert.doesNotMatch(requestFailedNotice('[x]\u200B(command:a)'), NOTIFICATION_LINK, 'a marked character cannot close a link');
  });

  it('leaves text without links as it is', () => {
    const text = 'Switchboard: openai: 503 (overloaded) [retry later]; anthropic: (none)';
    assert.equal(plainInNotification(text), text);
  });
  describe('after an Ask or Plan that Auto routed', () => {
    const auto = (tier: 'cheap' | 'strong', handedOverFrom?: 'cheap' | 'strong') => ({
      model: 'claude-haiku-4-5',
      routing: {
        mode: 'auto' as const,
        tier,
        score: 0.4,
        reasons: [...(handedOverFrom ? [`handed over from the ${handedOverFrom} tier: its models failed before answering`] : []), 'short request (4 words)'],
        ...(handedOverFrom ? { handedOverFrom } : {}),
      },
    });

    it('offers Retry with the strong model on a cheap-tier answer, as before', () => {
      assert.deepEqual(autoAnswerNotice('Ask', auto('cheap')), { text: 'Switchboard: Ask answered on the cheap tier by claude-haiku-4-5.', offersRetry: true });
    });

    it('says an answer was handed over, as the chat footer does, whichever way', () => {
      // Before, a hand-over to the cheap tier read as Auto's own pick, and one to the strong tier said nothing.
      assert.deepEqual(autoAnswerNotice('Plan', auto('cheap', 'strong')), {
        text: 'Switchboard: Plan answered on the cheap tier by claude-haiku-4-5, handed over from the strong tier: its models failed before answering.',
        offersRetry: true,
      });
      assert.deepEqual(autoAnswerNotice('Ask', { ...auto('strong', 'cheap'), model: 'claude-sonnet-5' }), {
        text: 'Switchboard: Ask answered on the strong tier by claude-sonnet-5, handed over from the cheap tier: its models failed before answering.',
        offersRetry: false,
      });
    });

    it('says nothing of a strong-tier pick, a picked model or a retry, and shows a model named like a link as text', () => {
      assert.equal(autoAnswerNotice('Ask', auto('strong')), undefined);
      assert.equal(autoAnswerNotice('Ask', { model: 'gpt-5.4', routing: { mode: 'manual', reasons: ['model picked by you'] } }), undefined);
      assert.equal(autoAnswerNotice('Ask', { model: 'gpt-5.4', routing: { mode: 'retry', tier: 'strong', reasons: [] } }), undefined);
      assert.equal(autoAnswerNotice('Ask', { model: 'x' }), undefined);
      const linked = autoAnswerNotice('Ask', { ...auto('cheap'), model: COMMAND_LINK });
      assert.doesNotMatch(linked!.text, NOTIFICATION_LINK);
    });
  });

  it('Ask or Plan with no provider names every way to one, or the setting that keeps them out', async () => {
    const registry = new ProviderRegistry({});
    await registry.configure(resolveConfig({}).config);
    assert.equal(registry.anyUsable(), false);
    assert.equal(
      noProviderNotice('Ask', registry.invalidSettingReasons()),
      'Switchboard: Ask needs a provider first: an OpenAI or Anthropic API key, AWS credentials for Bedrock, or a local server (switchboard.providers.openai.baseUrl).',
    );
    // A key would not help here: the endpoint without http:// is what to fix.
    await registry.configure(resolveConfig({ providers: { openai: { baseUrl: 'localhost:11434/v1' } } }).config);
    assert.equal(
      noProviderNotice('Plan', registry.invalidSettingReasons()),
      'Switchboard: Plan has no provider to ask: switchboard.providers.openai.baseUrl is not an http(s) URL: nothing goes to openai until it is fixed.',
    );
  });

  it('says which hidden characters Insert left out, and that Copy keeps them', () => {
    assert.equal(
      hiddenCharactersRemovedNotice(3, 'U+202E RIGHT-TO-LEFT OVERRIDE, U+200B ZERO WIDTH SPACE'),
      'Switchboard: removed 3 hidden characters from the inserted code (U+202E RIGHT-TO-LEFT OVERRIDE, U+200B ZERO WIDTH SPACE). They can make code read differently from what it does (Trojan Source); Copy keeps them.',
    );
    assert.match(hiddenCharactersRemovedNotice(1, 'U+2066 LEFT-TO-RIGHT ISOLATE'), /removed 1 hidden character from/);
  });

  it('tells a budget refusal that says how to price its model (Set a Price…) from one that does not', () => {
    const { config } = resolveConfig({ budget: { dailyUsd: 0.01, action: 'block' } });
    const gate = new Budget(() => config.budget, () => []).gate;
    const status = gate.statuses()[0]!;
    assert.ok(namesPriceSetting(gate.refusalMessage(status, 0.05, 'openai:llama3.2')), 'counted at the estimate');
    assert.ok(!namesPriceSetting(gate.refusalMessage(status, 0.05)), 'a priced model: only Raise Budget and Allow Once');
    const refused = new Budget(() => ({ ...config.budget, unpriced: 'refuse' as const }), () => []).gate.admit('openai', null, { model: 'my-model' });
    assert.ok(refused.kind === 'unpriced' && namesPriceSetting(refused.message), 'refused for want of a price');
  });
});
