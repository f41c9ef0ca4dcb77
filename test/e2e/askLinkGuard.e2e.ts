import { fakes, page, runCommandWithInput, useWorkbenchOnFakes, waitForEditorText } from './harness';

/**
 * An answer Ask writes into the editor cannot hand VS Code a command link to Ctrl+click (answerLinkGuard.ts), even
 * where a backtick only seems to start inline code or a line only looks like a code fence: Markdown makes a live link
 * of each, so each scheme gets its backslash.
 */
describe("Ask's answer in the editor with command links that only seem to be in code", () => {
  useWorkbenchOnFakes({ userSettings: { 'switchboard.routes.chat': ['openai:gpt-5.4'], 'switchboard.auto.enabled': false } });

  it('writes every command:, command:: and vscode: link with its scheme broken', async () => {
    fakes.openai.scriptModel('gpt-5.4', {
      // `command::id` too: VS Code would run the command `:id`; C++'s `<std::string>` stays as written.
      text: ['A lone ` [Fix it](command:workbench.action.openSettings)', '``` not a fence `', '[Clone](vscode://vscode.git/clone?url=x)', '[Run](command::x) <std::string>', ''].join('\n'),
      chunks: 9,
    });
    await runCommandWithInput(page, 'Switchboard: Ask…', 'Switchboard: Ask', 'How do I open the settings?');
    // Monaco shows the text as written: `command\:` and `vscode\://`, after which the signature line comes.
    await waitForEditorText(page, /\[Fix it\]\(command\\:workbench\.action\.openSettings\)[\s\S]*\[Clone\]\(vscode\\:\/\/vscode\.git\/clone\?url=x\)\s*\[Run\]\(command\\::x\) <std::string>[\s\S]*Answered by openai:gpt-5\.4/);
  });
});
