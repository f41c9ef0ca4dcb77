import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import type { SwitchboardTestApi } from '../../src/vscode/testApi';
import { startFakeProviders, type FakeProviders } from '../fakes';
import { fakeKeys } from '../fakes/fakeKeys';
import { FILL_MARKER } from '../../src/core/completion/completionPrompt';
import { changeSetting } from './settingChange';

const EXTENSION_ID = 'switchboard-dev.switchboard';
const KEY = fakeKeys.openai('ghost');


/**
 * Runs `step` until `done`, polling between tries (no fixed sleep), up to 10 s. VS Code's
 * commands here act on what the editor shows at that moment (a trigger before the editor has
 * focus, a commit before the ghost text is drawn, does nothing), so each is tried again.
 */
async function until(done: () => boolean, what: () => string, step?: () => Thenable<unknown>): Promise<void> {
  const deadline = Date.now() + 10_000;
  let tried = 0;
  while (!done()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what()}`);
    if (step && tried++ % 10 === 0) await step();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const trigger = () => vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
const commit = () => vscode.commands.executeCommand('editor.action.inlineSuggest.commit');

/** The fake's answer to each place these tests complete, by the text around the cursor; anywhere else it has nothing. */
const ANSWERS: Array<[around: string, answer: string]> = [
  [`total = ${FILL_MARKER}prices)`, 'sum('],
  [`total = ${FILL_MARKER}\n`, 'len(prices)'],
  [`registry.find_widget${FILL_MARKER}`, '(widget_id)'],
  // As chat models often answer: a snippet indented relative to its first line.
  [`def total(self):\n        ${FILL_MARKER}`, 'total = 0\nfor item in self.items:\n    total += item.price\nreturn total'],
  // Asked at the end of a finished line: the model puts the line break first, then a function of its own, written
  // from column 0, after a blank line.
  [`for order in orders)${FILL_MARKER}\n    return total`, '\n\ndef rounded(value):\n    return round(value, 2)\n\ntotal = rounded(total)'],
  // Asked in the middle of a line (a callback, the call's `)` after the cursor): a snippet written from column 0.
  [`return items.filter(${FILL_MARKER})`, '(item) => {\n  return item.active;\n}'],
  // A notebook cell's docstring, below a cell that left a triple quote open: `Returns:` is the docstring's text.
  [`    """Sums the rows.\n\n    Returns:${FILL_MARKER}`, '\n    The sum of the rows.'],
  // A body glued onto a JSON object's brace, in a file with no indented line to read the indentation from.
  [`{${FILL_MARKER}\n}`, '"name": "demo"'],
  // Only found when the prompt of a CRLF file reads with \n line breaks.
  [`def area(width, height):\n    ${FILL_MARKER}\n`, 'result = width * height\nreturn result'],
];

/**
 * A provider of the test's own beside Switchboard's, counting the times VS Code asks the inline providers about
 * `editor`'s document: it shows VS Code did ask, where Switchboard's own answer is to ask its model nothing.
 */
function countInlineAsks(editor: vscode.TextEditor, language: string): vscode.Disposable & { readonly asked: number } {
  let asked = 0;
  const registration = vscode.languages.registerInlineCompletionItemProvider(
    { scheme: 'file', language },
    {
      provideInlineCompletionItems: (document) => {
        if (document.uri.toString() === editor.document.uri.toString()) asked++;
        return [];
      },
    },
  );
  return {
    get asked() {
      return asked;
    },
    dispose: () => registration.dispose(),
  };
}

/** The prompt of a chat-form completion request the fake received. */
function promptOf(request: { body: unknown } | undefined): string {
  const messages = (request?.body as { messages?: Array<{ content?: unknown }> } | undefined)?.messages ?? [];
  return messages.map((message) => (typeof message.content === 'string' ? message.content : JSON.stringify(message.content))).join('\n');
}

/**
 * Ghost text as VS Code itself asks for it, in a real editor: the command
 * Trigger Inline Suggestion, and the suggest widget open with an item selected.
 * Accepting with `editor.action.inlineSuggest.commit` shows what VS Code
 * actually displayed.
 */
describe('Ghost text driven by VS Code', function () {
  let fakes: FakeProviders;
  let sb: SwitchboardTestApi;
  /** Resolves once the extension has applied the change (see settingChange.ts). */
  const setSetting = (key: string, value: unknown) => changeSetting(sb, key, value);
  let folder: string;
  let files = 0;

  before(async () => {
    fakes = await startFakeProviders({
      openai: { replyFor: (request) => ({ text: ANSWERS.find(([around]) => promptOf(request).includes(around))?.[1] ?? '' }) },
    });
    const exports = await vscode.extensions.getExtension<SwitchboardTestApi | undefined>(EXTENSION_ID)!.activate();
    assert.ok(exports, 'under the test harness activate() returns the test API');
    sb = exports;
    folder = await mkdtemp(path.join(os.tmpdir(), 'switchboard-ghost-'));
    await sb.storeKey('openai', KEY);
    await setSetting('providers.openai.baseUrl', fakes.urls.openai.baseUrl);
    await setSetting('routes.completion', ['openai:gpt-5.4-nano']);
    await setSetting('completion.debounceMs', 0);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const key of ['providers.openai.baseUrl', 'routes.completion', 'completion.debounceMs']) await setSetting(key, undefined);
    await sb.clearKey('openai');
    await fakes.close();
    await rm(folder, { recursive: true, force: true });
  });

  /**
   * A file of its own per test: untitled documents reuse the name Untitled-1 once one is closed,
   * and VS Code may then ask for the closed one's text under it.
   */
  async function editorWith(content: string, line: number, character: number, extension = 'py'): Promise<vscode.TextEditor> {
    const file = path.join(folder, `ghost${++files}.${extension}`);
    await writeFile(file, content);
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    const editor = await vscode.window.showTextDocument(document);
    const cursor = new vscode.Position(line, character);
    editor.selection = new vscode.Selection(cursor, cursor);
    return editor;
  }

  /** Gives Trigger Inline Suggestion until the fake is asked: before the editor has focus it does nothing. */
  const triggerUntilAsked = () => until(() => fakes.openai.requests.length > 0, () => 'a request', trigger);

  /** Accepts the ghost text until `shown()` reads `expected`: before VS Code has drawn it, a commit does nothing. */
  const acceptUntil = (shown: () => string, expected: string) =>
    until(() => shown() === expected, () => `the ghost text accepted, not ${JSON.stringify(shown())}`, commit);

  /** Asks for ghost text in `editor`, accepts it until the whole document reads `expected`, then closes it unsaved. */
  async function acceptIntoDocument(editor: vscode.TextEditor, expected: string): Promise<void> {
    try {
      await triggerUntilAsked();
      await acceptUntil(() => editor.document.getText(), expected);
    } finally {
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  }

  it('Trigger Inline Suggestion asks in the middle of a line, where a pause alone asks nothing', async () => {
    fakes.openai.reset();
    const editor = await editorWith('total = prices)\n', 0, 8);
    await triggerUntilAsked();
    await acceptUntil(() => editor.document.lineAt(0).text, 'total = sum(prices)');
    assert.equal(fakes.openai.requests.length, 1, 'one request, however often the command was given');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('while snoozed, asks nothing on a pause but still answers Trigger Inline Suggestion', async () => {
    fakes.openai.reset();
    const editor = await editorWith('total = \n', 0, 8);
    await vscode.commands.executeCommand('switchboard.toggleCompletions');
    try {
      const pause = await sb.inlineCompletion(editor.document, new vscode.Position(0, 8), new vscode.CancellationTokenSource().token);
      assert.equal(pause, undefined);
      assert.equal(fakes.openai.requests.length, 0, 'a pause while snoozed asks nothing');
      await triggerUntilAsked();
      await acceptUntil(() => editor.document.lineAt(0).text, 'total = len(prices)');
    } finally {
      // Resuming through the public command asks first (commandConsent.ts): answered as the user would.
      sb.answerCommandQuestions([true]);
      await vscode.commands.executeCommand('switchboard.toggleCompletions');
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });

  it('inserts the lines of a chat answer indented relative to its first line at the cursor’s indentation', async () => {
    fakes.openai.reset();
    const editor = await editorWith('class Cart:\n    def total(self):\n        \n\n    def size(self):\n        return 0\n', 2, 8);
    const expected = [
      'class Cart:',
      '    def total(self):',
      '        total = 0',
      '        for item in self.items:',
      '            total += item.price',
      '        return total',
      '',
      '    def size(self):',
      '        return 0',
      '',
    ].join('\n');
    await acceptIntoDocument(editor, expected);
  });

  it('inserts an answer that starts with a line break, with a def after a blank line, at the finished line’s indentation', async () => {
    fakes.openai.reset();
    const editor = await editorWith('def report(orders):\n    total = sum(order.price for order in orders)\n    return total\n', 1, 48);
    const expected = [
      'def report(orders):',
      '    total = sum(order.price for order in orders)',
      '',
      '    def rounded(value):',
      '        return round(value, 2)',
      '',
      '    total = rounded(total)',
      '    return total',
      '',
    ].join('\n');
    await acceptIntoDocument(editor, expected);
  });

  it('inserts a multi-line continuation in the middle of a line with its later lines at the line’s indentation, before the rest of the line', async () => {
    fakes.openai.reset();
    const editor = await editorWith('function active(items) {\n    return items.filter()\n}\n', 1, 24, 'js');
    const expected = ['function active(items) {', '    return items.filter((item) => {', '      return item.active;', '    })', '}', ''].join('\n');
    await acceptIntoDocument(editor, expected);
  });

  it('indents a body glued onto a brace as the editor indents the document where the file shows none (its tab size, or a tab)', async () => {
    for (const [options, indent] of [[{ tabSize: 3, insertSpaces: true }, '   '], [{ tabSize: 2, insertSpaces: false }, '\t']] as const) {
      fakes.openai.reset();
      const editor = await editorWith('{\n}\n', 0, 1, 'json');
      // As detectIndentation or the user's settings leave them; the language's custom (two spaces for JSON) gave way.
      editor.options = { ...options };
      await acceptIntoDocument(editor, `{\n${indent}"name": "demo"\n}\n`);
    }
  });

  it('in a CRLF file, sends the prompt without carriage returns and inserts the lines with CRLF', async () => {
    fakes.openai.reset();
    const editor = await editorWith('def area(width, height):\r\n    \r\n\r\nprint(area(2, 3))\r\n', 1, 4);
    assert.equal(editor.document.eol, vscode.EndOfLine.CRLF);
    const expected = 'def area(width, height):\r\n    result = width * height\r\n    return result\r\n\r\nprint(area(2, 3))\r\n';
    await acceptIntoDocument(editor, expected);
    const prompt = promptOf(fakes.openai.requests[0]);
    assert.ok(!prompt.includes('\r'), `no carriage return in the prompt: ${JSON.stringify(prompt)}`);
  });

  /**
   * With several cursors VS Code asks the provider at the primary one only, and shows and inserts that ghost text at
   * every cursor. Where the other cursors' lines read the same, the text fits them all, and one Tab completes each.
   */
  it('with cursors in lines that read the same, one suggestion is inserted at every cursor', async () => {
    fakes.openai.reset();
    const editor = await editorWith('total = \ntotal = \n', 0, 8);
    editor.selections = [new vscode.Selection(0, 8, 0, 8), new vscode.Selection(1, 8, 1, 8)];
    await acceptIntoDocument(editor, 'total = len(prices)\ntotal = len(prices)\n');
    // Asked at the primary cursor (the first line); whatever VS Code asks after the accept is not this test's.
    const prompt = promptOf(fakes.openai.requests[0]);
    assert.ok(prompt.includes(`total = ${FILL_MARKER}\ntotal = \n`), prompt);
  });

  /**
   * Where another cursor's line differs, the primary cursor's text would land there too and break it: nothing is
   * asked. A provider of the test's own shows that VS Code did ask the inline providers.
   */
  it('with cursors in lines that differ, asks nothing, so no ghost text lands in the wrong line', async () => {
    fakes.openai.reset();
    const editor = await editorWith('total = \n    if count > \n', 0, 8);
    editor.selections = [new vscode.Selection(0, 8, 0, 8), new vscode.Selection(1, 15, 1, 15)];
    const probe = countInlineAsks(editor, 'python');
    try {
      await until(() => probe.asked > 0, () => 'the inline providers asked', trigger);
      // The trigger returns once every provider has answered: Switchboard's made its decision by now.
      await trigger();
      assert.equal(fakes.openai.requests.length, 0, 'no request for ghost text that would be inserted at both cursors');
      assert.equal(editor.document.getText(), 'total = \n    if count > \n');
    } finally {
      probe.dispose();
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });

  /**
   * A snippet's tab stop that stands in two places is edited through a cursor at each: VS Code selects both. Typing
   * there is typing at two cursors in lines that differ, so no ghost text is asked for.
   */
  it('inside a snippet whose tab stop repeats in another line, asks nothing', async () => {
    fakes.openai.reset();
    const editor = await editorWith('\n', 0, 0);
    const probe = countInlineAsks(editor, 'python');
    try {
      assert.ok(await editor.insertSnippet(new vscode.SnippetString('total = ${1:count}\nprint(${1:count})')));
      assert.equal(editor.selections.length, 2, 'the tab stop is selected in both places');
      await editor.edit((edit) => editor.selections.forEach((selection) => edit.replace(selection, 'len(')));
      await until(() => probe.asked > 0, () => 'the inline providers asked', trigger);
      assert.equal(fakes.openai.requests.length, 0, 'no request for ghost text that would land in both lines');
    } finally {
      probe.dispose();
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });

  /**
   * VS Code keeps no inline-completion model for a read-only editor (whatever made it read-only: a file system
   * provider registered with isReadonly, as git: documents are, files.readonlyInclude, or the session), and Trigger
   * Inline Suggestion needs a writable editor: no provider is asked, so Switchboard has nothing to refuse there. A
   * provider of the test's own counts what VS Code asks. The trigger command returns once the providers it asks have
   * answered, and asks them again only at a place it has not asked about (the same place reuses the last answers):
   * each step moves the cursor, and the writable step before the read-only one shows, in the same editor, that one
   * trigger there asks.
   */
  it('asks no inline provider, ours or another, while the editor is read-only', async () => {
    fakes.openai.reset();
    // Text no earlier test completed, so that Switchboard's answer is not served from its cache but asked for.
    const editor = await editorWith('count = \nwidth = \nheight = \n', 0, 8);
    const moveTo = (line: number) => {
      const end = editor.document.lineAt(line).range.end;
      editor.selection = new vscode.Selection(end, end);
    };
    const probe = countInlineAsks(editor, 'python');
    try {
      await until(
        () => probe.asked > 0 && fakes.openai.requests.length > 0,
        () => `both providers asked (the test's ${probe.asked} times, Switchboard's model ${fakes.openai.requests.length})`,
        trigger,
      );
      moveTo(1);
      let before = probe.asked;
      await trigger();
      assert.ok(probe.asked > before, 'in the writable editor with focus, one trigger at a new place asks the providers before it returns');

      await vscode.commands.executeCommand('workbench.action.files.setActiveEditorReadonlyInSession');
      moveTo(2);
      before = probe.asked;
      const requests = fakes.openai.requests.length;
      await trigger();
      assert.equal(probe.asked, before, 'no provider asked in the read-only editor');
      assert.equal(fakes.openai.requests.length, requests, 'no request');

      await vscode.commands.executeCommand('workbench.action.files.resetActiveEditorReadonlyInSession');
      await until(() => probe.asked > before, () => 'the providers asked again once the editor is writable', trigger);
    } finally {
      probe.dispose();
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });

  /**
   * A fenced block of a Markdown file is code of its fence's language: with ghost text on for Markdown and off for
   * Python, a ```python block gets none (it did, as only the document's language was read), and gets it again once
   * Python is on.
   */
  it('in a Markdown code block, asks only where the block’s language is on too (completion.languages)', async () => {
    fakes.openai.reset();
    await setSetting('completion.languages', { markdown: true, python: false });
    const editor = await editorWith('# Use\n\n```python\nsubtotal = \n```\n\n```python\ndiscount = \n```\n', 3, 11, 'md');
    const probe = countInlineAsks(editor, 'markdown');
    try {
      await until(() => probe.asked > 0, () => 'the inline providers asked', trigger);
      // The trigger returns once every provider has answered: Switchboard's made its decision by now.
      await trigger();
      assert.equal(fakes.openai.requests.length, 0, 'no request in a python block with python off');
      await setSetting('completion.languages', { markdown: true });
      // Another place: VS Code would reuse its last answers at the same one.
      editor.selection = new vscode.Selection(7, 11, 7, 11);
      await until(() => fakes.openai.requests.length > 0, () => 'a request once python is on', trigger);
    } finally {
      probe.dispose();
      await setSetting('completion.languages', undefined);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });

  it('in a notebook cell, sends the code cells above it (not markdown, not the cells below) before the cell’s text', async () => {
    fakes.openai.reset();
    const code = (source: string) => ({ cell_type: 'code', source, metadata: {}, execution_count: null, outputs: [] });
    const file = path.join(folder, 'analysis.ipynb');
    const cells = [
      code('import pandas as pd'),
      { cell_type: 'markdown', source: 'Notes that are not code', metadata: {} },
      code('def load(path):\n    return pd.read_csv(path)'),
      code('df = '),
      code('print("the cell below")'),
    ];
    await writeFile(file, JSON.stringify({ cells, metadata: { language_info: { name: 'python' } }, nbformat: 4, nbformat_minor: 5 }));
    const notebook = await vscode.workspace.openNotebookDocument(vscode.Uri.file(file));
    const cell = notebook.cellAt(3).document;
    assert.equal(cell.uri.scheme, 'vscode-notebook-cell');
    assert.equal(cell.languageId, 'python');
    await sb.inlineCompletion(cell, new vscode.Position(0, 5), new vscode.CancellationTokenSource().token);
    assert.equal(fakes.openai.requests.length, 1);
    const prompt = promptOf(fakes.openai.requests[0]);
    assert.ok(prompt.includes(`import pandas as pd\n\ndef load(path):\n    return pd.read_csv(path)\n\ndf = ${FILL_MARKER}`), prompt);
    assert.ok(!prompt.includes('Notes that are not code'), 'no markdown cell');
    assert.ok(!prompt.includes('the cell below'), 'no cell below the cursor’s');
  });

  it('in a notebook cell, reads what is open from the cell’s own start: a triple quote left open in a cell above does not run into it', async () => {
    fakes.openai.reset();
    const code = (source: string) => ({ cell_type: 'code', source, metadata: {}, execution_count: null, outputs: [] });
    const file = path.join(folder, 'docstrings.ipynb');
    const cells = [code('note = """a cell left unfinished'), code('def total(rows):\n    """Sums the rows.\n\n    Returns:')];
    await writeFile(file, JSON.stringify({ cells, metadata: { language_info: { name: 'python' } }, nbformat: 4, nbformat_minor: 5 }));
    const notebook = await vscode.workspace.openNotebookDocument(vscode.Uri.file(file));
    const cell = notebook.cellAt(1).document;
    const shown = await sb.inlineCompletion(cell, new vscode.Position(3, 12), new vscode.CancellationTokenSource().token);
    assert.equal(fakes.openai.requests.length, 1);
    // Read as one script with the cell above, the docstring's quotes would close that cell's string, and `Returns:` would
    // open a block: the answer would move one level deeper.
    assert.equal(shown, '\n    The sum of the rows.');
  });

  it('with the suggest widget open, suggests what follows its selected item, and VS Code shows it', async () => {
    fakes.openai.reset();
    const items = vscode.languages.registerCompletionItemProvider('python', {
      provideCompletionItems: () => {
        const item = new vscode.CompletionItem('find_widget', vscode.CompletionItemKind.Function);
        item.preselect = true;
        item.sortText = '0';
        return [item];
      },
    });
    try {
      const editor = await editorWith('widget = registry.find_w\n', 0, 24);
      await until(
        () => fakes.openai.requests.some((request) => promptOf(request).includes(`registry.find_widget${FILL_MARKER}`)),
        () => `a request continuing the selected item; prompts: ${fakes.openai.requests.map(promptOf).join(' | ')}`,
        () => vscode.commands.executeCommand('editor.action.triggerSuggest'),
      );
      await acceptUntil(() => editor.document.lineAt(0).text, 'widget = registry.find_widget(widget_id)');
    } finally {
      items.dispose();
      await vscode.commands.executeCommand('hideSuggestWidget');
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });
});
