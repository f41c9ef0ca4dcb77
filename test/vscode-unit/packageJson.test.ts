import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { SETTING_DEFAULTS, SETTING_KEYS } from '../../src/core/config';
import { SETTING_ACCESS } from '../../src/vscode/settingsPolicy';
import { SETUP_REPORT_LANGUAGE, setupReportName } from '../../src/vscode/setupReportName';

type Property = { default: unknown; markdownDescription?: string; description?: string; scope?: string };
type Category = { id?: string; title: string; order: number; properties: Record<string, Property> };

const manifest = JSON.parse(readFileSync(path.join(__dirname, '../../package.json'), 'utf8'));
const categories: Category[] = manifest.contributes.configuration;
const properties: Record<string, Property> = Object.assign({}, ...categories.map((category) => category.properties));

describe('package.json settings', () => {
  it('come in the categories the Settings UI lists as sections, each setting in one', () => {
    assert.ok(Array.isArray(categories), 'contributes.configuration is a list of categories');
    assert.deepEqual(
      categories.map((category) => [category.title, category.order]),
      [['Routes', 1], ['Providers', 2], ['Inline completions', 3], ['Chat and plan', 4], ['Budget and ledger', 5], ['Excluded files', 6]],
    );
    const keys = categories.flatMap((category) => Object.keys(category.properties));
    assert.equal(new Set(keys).size, keys.length, 'no setting is in two categories');
    for (const category of categories) {
      const orders = Object.values(category.properties).map((property) => (property as { order?: number }).order);
      assert.deepEqual(orders, orders.map((_, index) => index + 1), `${category.title}: settings in their listed order`);
    }
  });

  it('declare exactly the keys the typed settings module reads', () => {
    const declared = Object.keys(properties).map((key) => key.replace(/^switchboard\./, '')).sort();
    assert.deepEqual(declared, [...SETTING_KEYS].sort());
  });

  it('have the same defaults and a description for every key', () => {
    for (const key of SETTING_KEYS) {
      const property = properties[`switchboard.${key}`]!;
      assert.deepEqual(property.default, SETTING_DEFAULTS[key], key);
      assert.ok((property.markdownDescription ?? property.description ?? '').length > 20, `${key} is described`);
    }
  });

  it('declare the scope the reading policy expects: user-only settings can never be set by a workspace', () => {
    const expected = { user: 'application', machine: 'machine', 'trusted-workspace': undefined, workspace: undefined };
    for (const key of SETTING_KEYS) {
      assert.equal(properties[`switchboard.${key}`]!.scope, expected[SETTING_ACCESS[key]], key);
    }
  });

  it('list exactly the trusted-workspace settings as restricted, and support untrusted workspaces in a limited way', () => {
    const untrusted = manifest.capabilities.untrustedWorkspaces;
    assert.equal(untrusted.supported, 'limited');
    assert.match(untrusted.description, /Restricted Mode/);
    const trustedOnly = SETTING_KEYS.filter((key) => SETTING_ACCESS[key] === 'trusted-workspace').map((key) => `switchboard.${key}`);
    assert.deepEqual([...untrusted.restrictedConfigurations].sort(), trustedOnly.sort());
  });

  it('give every command a title in the Switchboard category, and activate without "*"', () => {
    for (const command of manifest.contributes.commands) {
      assert.equal(command.category, 'Switchboard', command.command);
      assert.ok(command.title);
    }
    assert.ok(!manifest.activationEvents.includes('*'));
  });
});

/** Every string literal of our TypeScript under `dir` (comments left out: they are not shown), with its file. */
function stringLiterals(dir: string): { file: string; text: string }[] {
  const found: { file: string; text: string }[] = [];
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
    const file = path.join(entry.parentPath, entry.name);
    const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, readFileSync(file, 'utf8'));
    // Without the parser the scanner needs telling where a template's `${…}` ends: the braces open inside each are counted.
    const braces: number[] = [];
    for (let token = scanner.scan(); token !== ts.SyntaxKind.EndOfFileToken; token = scanner.scan()) {
      if (token === ts.SyntaxKind.OpenBraceToken && braces.length > 0) braces[braces.length - 1]!++;
      if (token === ts.SyntaxKind.CloseBraceToken && braces.length > 0) {
        if (braces[braces.length - 1] === 0) {
          braces.pop();
          token = scanner.reScanTemplateToken(false);
        } else {
          braces[braces.length - 1]!--;
        }
      }
      if (token === ts.SyntaxKind.TemplateHead || token === ts.SyntaxKind.TemplateMiddle) braces.push(0);
      if (
        token === ts.SyntaxKind.StringLiteral ||
        token === ts.SyntaxKind.NoSubstitutionTemplateLiteral ||
        token === ts.SyntaxKind.TemplateHead ||
        token === ts.SyntaxKind.TemplateMiddle ||
        token === ts.SyntaxKind.TemplateTail
      ) {
        found.push({ file: path.relative(REPO, file), text: scanner.getTokenValue() });
      }
    }
  }
  return found;
}

const REPO = path.join(__dirname, '../..');

describe("the Markdown preview's additions", () => {
  it('add a stylesheet, shipped in media/, that boxes the hidden characters an answer preview marks (test/vscode/answerPreview.test.ts)', () => {
    assert.equal(manifest.contributes['markdown.markdownItPlugins'], true);
    assert.deepEqual(manifest.contributes['markdown.previewStyles'], ['./media/answerPreview.css']);
    const css = readFileSync(path.join(REPO, 'media/answerPreview.css'), 'utf8');
    assert.match(css, /\.switchboard-hidden-char \{[^}]*unicode-bidi: isolate;/);
    assert.match(css, /\.switchboard-hidden-char::before \{\s*content: attr\(data-code-point\);/);
  });
});

describe('labels that name a command', () => {
  const titles = new Map<string, string>(manifest.contributes.commands.map((command: { command: string; title: string }) => [command.command, command.title]));
  // Titles of two words or more: one word ("Ask…") is too common a word to tell a label from a sentence.
  const named = [...titles.values()].filter((title) => title.replace(/…$/, '').includes(' '));

  it("say the command's title, as the Command Palette does, wherever the user reads them (buttons, picks, notices, the walkthrough)", () => {
    const walkthroughText = JSON.stringify(manifest.contributes.walkthroughs);
    const texts = [
      ...stringLiterals(path.join(REPO, 'src')),
      { file: 'package.json walkthroughs', text: walkthroughText },
      ...readdirSync(path.join(REPO, 'media/walkthrough')).map((name) => ({ file: `media/walkthrough/${name}`, text: readFileSync(path.join(REPO, 'media/walkthrough', name), 'utf8') })),
    ];
    const variants: string[] = [];
    for (const title of named) {
      const base = title.replace(/…$/, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      // The title's words in any case, with or without the ellipsis, not inside a longer word.
      const pattern = new RegExp(`(?<![\\w-])${base}(…|\\.\\.\\.)?(?![\\w-])`, 'gi');
      for (const { file, text } of texts) {
        for (const match of text.matchAll(pattern)) {
          // A label starts with a capital; "start a new chat" in a sentence is prose, not the button.
          if (match[0] !== title && /^[A-Z]/.test(match[0])) variants.push(`${file}: "${match[0]}" for "${title}"`);
        }
      }
    }
    assert.deepEqual(variants, []);
  });

  it('link a walkthrough step to a command under its title', () => {
    const links: string[] = [];
    for (const walkthrough of manifest.contributes.walkthroughs as { steps: { description: string }[] }[]) {
      for (const step of walkthrough.steps) {
        for (const [, label, command] of step.description.matchAll(/\[([^\]]+)\]\(command:(switchboard\.[\w.]+)/g)) {
          const title = titles.get(command!);
          if (title !== undefined && label !== title) links.push(`[${label}] runs ${command} ("${title}")`);
        }
      }
    }
    assert.deepEqual(links, []);
  });
});

describe('npm scripts', () => {
  it('runs the sandbox as npm start and as npm run sandbox, what the README calls it', () => {
    const scripts = manifest.scripts as Record<string, string>;
    assert.match(scripts.start!, /scripts\/sandbox\.mjs$/);
    assert.equal(scripts.sandbox, scripts.start);
  });
});

describe('settings that behave otherwise by default than their first words say', () => {
  const text = (key: string) => properties[key]!.markdownDescription ?? properties[key]!.description!;

  it('debounceMs says it is only the base of the wait while adaptiveDebounce (on by default) adapts it', () => {
    assert.equal(properties['switchboard.completion.adaptiveDebounce']!.default, true);
    assert.match(text('switchboard.completion.debounceMs'), /With `#switchboard\.completion\.adaptiveDebounce#` on \(the default\) it is the base the wait adapts from: no wait where people pause .*up to twice this inside a word/);
  });

  it("sendKeyTo says that in a remote window even this machine's localhost gets no key unless listed", () => {
    for (const provider of ['openai', 'anthropic']) {
      assert.match(text(`switchboard.providers.${provider}.sendKeyTo`), /in a remote window.* not even there: that localhost is the remote machine's, so list it here/);
    }
  });
});

describe('the walkthrough', () => {
  it('offers Check Setup in its first step, so a key or server just set can be seen to answer before the next step', () => {
    const [connect] = (manifest.contributes.walkthroughs as { steps: { id: string; description: string }[] }[])[0]!.steps;
    assert.equal(connect!.id, 'connect');
    assert.match(connect!.description, /\[Check Setup\]\(command:switchboard\.checkSetup\)/);
    assert.match(readFileSync(path.join(REPO, 'media/walkthrough/connect.md'), 'utf8'), /\*\*Switchboard: Check Setup\*\*/);
  });
});

describe("Check Setup's report", () => {
  it('opens in a language of its own, matched by its name, that wraps long lines by default (and only it)', () => {
    const languages = manifest.contributes.languages as { id: string; filenamePatterns?: string[] }[];
    const language = languages.find((entry) => entry.id === SETUP_REPORT_LANGUAGE);
    assert.ok(language, `package.json contributes the language ${SETUP_REPORT_LANGUAGE}`);
    assert.ok(language.filenamePatterns?.some((pattern) => path.matchesGlob(setupReportName(3), pattern)), `a pattern matches "${setupReportName(3)}"`);
    assert.ok(!language.filenamePatterns?.some((pattern) => path.matchesGlob('notes.txt', pattern)), 'no other text file');
    assert.equal(manifest.contributes.configurationDefaults?.[`[${SETUP_REPORT_LANGUAGE}]`]?.['editor.wordWrap'], 'on');
  });
});

describe('README', () => {
  const readme = readFileSync(path.join(REPO, 'README.md'), 'utf8');
  /** The first column of the Markdown table whose header row starts with `| heading |`. */
  const firstColumn = (heading: string): string[] => {
    const lines = readme.split('\n');
    const start = lines.findIndex((line) => line.startsWith(`| ${heading} |`));
    assert.ok(start !== -1, `README has a table headed "${heading}"`);
    const rows: string[] = [];
    for (const line of lines.slice(start + 2)) {
      if (!line.startsWith('|')) break;
      rows.push(line.split('|')[1]!.trim());
    }
    return rows;
  };

  it("lists every setting in its settings table, and none that package.json does not declare", () => {
    const listed = firstColumn('Setting').flatMap((cell) => {
      // "`switchboard.completion.prefixChars` / `suffixChars`": a short name shares the full one's section.
      const names = [...cell.matchAll(/`([^`]+)`/g)].map((match) => match[1]!);
      const section = names[0]!.replace(/\.[^.]+$/, '');
      return names.map((name) => (name.startsWith('switchboard.') ? name : `${section}.${name}`));
    });
    assert.equal(new Set(listed).size, listed.length, 'each setting once');
    assert.deepEqual([...listed].sort(), Object.keys(properties).sort());
  });

  it('names only settings that exist, wherever it mentions one', () => {
    const settings = Object.keys(properties);
    const commands = (manifest.contributes.commands as { command: string }[]).map((command) => command.command);
    const unknown = [...readme.matchAll(/`(switchboard\.[A-Za-z][\w.*]*)/g)]
      .map((match) => match[1]!)
      // Files named after the project (`switchboard.vsix`, a `switchboard.json` config, the `switchboard.jsonc` init writes), not settings.
      .filter((name) => !/^switchboard\.(vsix|jsonc?|png)$/.test(name))
      .filter((name) => {
        if (commands.includes(name) || settings.includes(name)) return false;
        // A section (`switchboard.budget`) or a pattern (`switchboard.providers.*`, `switchboard.*.maxTokens`) of settings.
        const pattern = new RegExp(`^${name.replace(/\./g, '\\.').replace(/\*/g, '[^.]+')}(\\.|$)`);
        return !settings.some((setting) => pattern.test(setting));
      });
    assert.deepEqual([...new Set(unknown)], []);
  });

  it('lists every command in its commands table under its title, and none that package.json does not declare', () => {
    const listed = firstColumn('Command').flatMap((cell) => cell.split(', '));
    const titles = (manifest.contributes.commands as { title: string; category: string }[]).map((command) => `${command.category}: ${command.title}`);
    assert.equal(new Set(listed).size, listed.length, 'each command once');
    assert.deepEqual([...listed].sort(), [...titles].sort());
  });
});
