/**
 * A showcase plan: every section the plan prompt asks for (Goal, Steps as a
 * checklist, Files to touch, Risks, Open questions), written from the goal,
 * the code in focus and the workspace's real file names, labelled Simulated.
 */
import { blockAfter } from './attachedCode';
import { familyOf, namesIn } from './codeFacts';

export function showcasePlanAnswer(model: string, message: string): string {
  const goal = /^Goal: (.+)$/m.exec(message)?.[1]?.trim() || 'the change you asked for';
  const focus = blockAfter(message, /^Code in focus — (\S+)[^\n]*:\n/m);
  const files = listAfter(message, 'Files in the workspace:');
  const openEditors = listAfter(message, 'Open editors:');
  const main = focus?.path ?? openEditors[0] ?? files.find(isSource) ?? 'src/index.ts';
  const names = focus ? namesIn(focus.code, familyOf(focus.languageId || focus.path)) : { types: [], functions: [] };
  const anchor = names.functions.at(-1);
  const type = names.types[0];
  const related = relatedFiles(main, files, openEditors);
  const test = testFileFor(main, files);
  const docs = files.find((file) => /(^|\/)README\.md$/i.test(file));

  const steps = [
    `**Pin down the behaviour**: write down what "${goal}" means for the data in \`${main}\`: inputs, outputs, and the edge cases (nothing to report, one item, values exactly at a limit).`,
    `**Change \`${main}\`**: add the new code next to ${anchor ? `\`${anchor}\`` : 'the code it builds on'}${type ? `, reusing \`${type}\` rather than a new shape` : ''}.`,
    ...related.map((file) => `**Adapt \`${file}\`** to the new code, keeping its current callers working.`),
    `**Test it** in \`${test.path}\`${test.isNew ? ' (new)' : ''}: the edge cases from the first step, and one case per path through the new code.`,
    ...(docs ? [`**Document it** in \`${docs}\`: what it does and how to use it.`] : []),
  ];
  const touched = [
    `- \`${main}\`: the new code${anchor ? `, next to \`${anchor}\`` : ''}`,
    ...related.map((file) => `- \`${file}\`: follow the new code`),
    `- \`${test.path}\`${test.isNew ? ' (new)' : ''}: tests for the new behaviour`,
    ...(docs ? [`- \`${docs}\`: how to use it`] : []),
  ];
  return [
    `> **Simulated plan.** The sandbox's fake \`${model}\` wrote this from your goal and the workspace's file names, without any model reading your code. It shows the shape of a plan: the goal, steps to tick off, the files to touch and the risks. Set an API key or a local server for real plans.`,
    '## Goal',
    `${capitalize(goal)}${/[.!?]$/.test(goal) ? '' : '.'} The change stays inside ${focus ? `\`${focus.path}\` and its neighbours` : 'the files below'}, keeps today's behaviour for existing callers, and lands with tests.`,
    '## Steps',
    steps.map((step) => `- [ ] ${step}`).join('\n'),
    '## Files to touch',
    touched.join('\n'),
    '## Risks',
    [
      `- **Existing callers break**${anchor ? ` if \`${anchor}\` changes shape` : ''}: run the current tests before and after, and search for every use.`,
      '- **Edge cases slip through** (empty input, values exactly at a limit): the first step lists them; the tests cover each one.',
      '- **Scope grows** while implementing: anything beyond the goal goes into a note for a later change.',
    ].join('\n'),
    '## Open questions',
    `- Should the result be sorted, and by what? Decide before writing \`${test.path}\`.`,
  ].join('\n\n');
}

/** The lines listed under `heading` (until a blank line), without "… and N more". */
function listAfter(message: string, heading: string): string[] {
  const start = message.indexOf(`${heading}\n`);
  if (start === -1) return [];
  const body = message.slice(start + heading.length + 1).split('\n\n')[0] ?? '';
  return body.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('… and '));
}

function isSource(file: string): boolean {
  return familyOf(file) !== 'other';
}

/** Up to two other source files in the same folder with the same extension, open editors first. */
function relatedFiles(main: string, files: string[], openEditors: string[]): string[] {
  const folder = main.includes('/') ? main.slice(0, main.lastIndexOf('/') + 1) : '';
  const extension = /\.\w+$/.exec(main)?.[0] ?? '';
  const candidates = [...openEditors, ...files].filter(
    (file) => file !== main && file.startsWith(folder) && file.endsWith(extension) && !file.slice(folder.length).includes('/') && !/test/i.test(file),
  );
  return [...new Set(candidates)].slice(0, 2);
}

/** An existing test file for `main`, or where a new one would go by the language's convention. */
function testFileFor(main: string, files: string[]): { path: string; isNew: boolean } {
  const base = main.replace(/^.*\//, '').replace(/\.\w+$/, '');
  const existing = files.find((file) => new RegExp(`(^|/)(test_${base}\\.py|${base}[._]test\\.\\w+|${base}\\.spec\\.\\w+)$`).test(file));
  if (existing) return { path: existing, isNew: false };
  if (familyOf(main) === 'py') return { path: `tests/test_${base}.py`, isNew: true };
  return { path: main.replace(/(\.\w+)$/, '.test$1'), isNew: true };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

