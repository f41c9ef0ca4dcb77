import assert from 'node:assert/strict';
import { describeProblem, resolveConfig } from '../../src/core/config';
import { deleteConversationQuestion, excludedDocumentNotice, excludedSelectionNotice, insertFailedNotice, plainInNotification, requestFailedNotice, settingsWarning } from '../../src/vscode/notificationText';

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

  it('a conversation title spelling a link (from the question or a rename) is shown as text in the delete question', () => {
    const text = deleteConversationQuestion(`Why does ${COMMAND_LINK} fail?`);
    assert.doesNotMatch(text, NOTIFICATION_LINK);
    assert.equal(text, 'Delete the conversation "Why does [Open Log] (command:workbench.action.reloadWindow) fail?"?');
  });

  it('leaves text without links as it is', () => {
    const text = 'Switchboard: openai: 503 (overloaded) [retry later]; anthropic: (none)';
    assert.equal(plainInNotification(text), text);
  });
});
