/**
 * A plan as a document: its title (a setext heading, so an untitled editor's
 * tab reads "Plan: …" with no `#`), and its steps as Markdown task items the
 * user ticks off. Pure text functions, shared by the editor's code lenses and
 * the Markdown preview's rendering.
 */

/** `- [ ] step`, `* [x] step`, `1. [ ] step`: the marker up to the box, and the box's state. */
const TASK_ITEM = /^(\s*(?:[-*+]|\d{1,9}[.)])\s+)\[([ xX])\](?=\s|$)/;

const PLAN_TITLE = /^Plan: .+\n=+\s*$/m;

/** The first lines of a plan document: `Plan: goal` underlined, so Markdown shows it as the title. */
export function planTitle(goal: string): string {
  const title = `Plan: ${goal.replace(/\s+/g, ' ').trim()}`;
  return `${title}\n${'='.repeat(Math.min(title.length, 72))}\n`;
}

/** True for a document that starts as a plan Switchboard wrote. */
export function looksLikePlan(text: string): boolean {
  const firstTwo = text.split('\n', 2).join('\n');
  return PLAN_TITLE.test(firstTwo);
}

export interface TaskItem {
  /** Zero-based line number. */
  line: number;
  ticked: boolean;
  /** The step's text after the box. */
  text: string;
}

/** Every task item of `text` outside code fences. */
export function taskItems(text: string): TaskItem[] {
  const items: TaskItem[] = [];
  let fence: string | undefined;
  text.split('\n').forEach((line, index) => {
    const opener = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (opener && (fence === undefined || opener.startsWith(fence))) {
      fence = fence === undefined ? opener : undefined;
      return;
    }
    if (fence !== undefined) return;
    const match = TASK_ITEM.exec(line);
    if (match) items.push({ line: index, ticked: match[2] !== ' ', text: line.slice(match[0].length).trim() });
  });
  return items;
}

/** The line with its box ticked or unticked; undefined when it is not a task item. */
export function toggleTaskItem(line: string): string | undefined {
  const match = TASK_ITEM.exec(line);
  if (!match) return undefined;
  return `${match[1]}[${match[2] === ' ' ? 'x' : ' '}]${line.slice(match[0].length)}`;
}

/** A task item's box at the start of some text, as the Markdown preview sees a list item's first line. */
export function leadingBox(text: string): { ticked: boolean; rest: string } | undefined {
  const match = /^\[([ xX])\](?:\s+|$)/.exec(text);
  return match ? { ticked: match[1] !== ' ', rest: text.slice(match[0].length) } : undefined;
}
