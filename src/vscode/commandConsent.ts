import { budgetLine, type BudgetStatus } from '../core/budget/budgetGate';
import type { Tier } from '../core/routing/tiers';
import { replaceHiddenCharacters } from '../shared/hiddenCharacters';

/**
 * Which public commands must ask before they act, and what they say. Anyone can run a command: the Command Palette,
 * but also another extension, a keybinding, or a `command:` link in Markdown that VS Code renders with command links
 * on (another extension's hover, a trusted MarkdownString, a notebook's output). A link's text is chosen by whoever
 * wrote it, so running a command is not proof the user wanted what it does. Commands that send text to a model,
 * lift the budget or bring back spending therefore ask in a modal naming what will happen, unless the call itself
 * carries the user's answer (an input box they typed into). Switchboard's own buttons and quick picks call the
 * actions directly, not through the public command, so they stay one click.
 *
 * No `vscode` import: the decisions are tested in plain Node (test/vscode-unit/commandConsent.test.ts).
 */

/** A modal question: its message, detail and the one button that goes ahead (VS Code adds Cancel). */
export interface Consent {
  message: string;
  detail: string;
  confirm: string;
}

/** What the window can say about where a request would go and what it may cost. */
export interface SpendContext {
  /** The model the request would go to first (`provider:model`), if any. */
  firstModel?: string;
  /** Set when Auto chose firstModel for this very request: the tier it scored it for. */
  autoTier?: Tier;
  /**
   * Auto will choose, but the request is not known yet (Plan gathers its context after the question): each tier's
   * first usable model. Named both, rather than the route's first, which a light request would not go to.
   */
  autoTiers?: { cheap?: string; strong?: string };
  /** Every budget limit set, as it stands now. */
  budgets: readonly BudgetStatus[];
}

/** How much of a prompt handed to a command the question quotes: enough to recognise, not a page. */
export const QUOTED_PROMPT_CHARS = 300;

/**
 * Ask or Plan run with its text as an argument. Undefined when there is nothing to ask about: no text given (the
 * input box that follows is the user's own question) or text that is only blank (nothing is sent).
 */
export function promptConsent(command: 'Ask' | 'Plan', argument: unknown, spend: SpendContext): Consent | undefined {
  if (typeof argument !== 'string' || !argument.trim()) return undefined;
  const task = command === 'Ask' ? 'chat' : 'plan';
  const what = command === 'Ask' ? 'this question' : 'a plan for this goal';
  const sends = command === 'Plan' ? ' with the selection (or active file), open editors and the workspace layout' : '';
  const model = spend.firstModel ?? autoChoiceWords(spend.autoTiers);
  const first = spend.firstModel ? `, ${spend.firstModel} first${spend.autoTier ? ` (Auto's pick for this text, the ${spend.autoTier} tier)` : ''}` : '';
  return {
    message: `Send ${what} to ${model ?? `the ${task} route`}?`,
    detail:
      `Switchboard: ${command} was run with its text already given, by a link, another extension or a keybinding, not typed by you:\n\n` +
      `"${quoted(argument)}"\n\n` +
      `It goes on the ${task} route (switchboard.routes.${task})${first}${sends}, and is billed to your key. ` +
      budgetWords(spend.budgets),
    confirm: `Send to ${command === 'Ask' ? 'Model' : 'Plan'}`,
  };
}

/** The selection Explain Selection would send: where it is, and how much. */
export interface SelectionShown {
  /** The file as the prompt names it (`src/app.ts`). */
  path: string;
  /** The first and last line, 1-based. */
  lines: { from: number; to: number };
  chars: number;
}

/**
 * Explain Selection run other than from the editor's context menu. The menu hands the command the URI of the
 * document it was opened on; the Command Palette, a keybinding and a `command:` link hand it nothing (or whatever
 * the link chose), so none of those can be told from a link, and the user is asked first. Undefined when the call
 * carries the active document's URI, as the menu's does: a link could forge one only by knowing that file's path,
 * and what it would get is what the menu does, the user's own selection with the fixed question, within the budget.
 */
export function explainConsent(fromEditorMenu: boolean, selection: SelectionShown, spend: SpendContext): Consent | undefined {
  if (fromEditorMenu) return undefined;
  const { from, to } = selection.lines;
  const lines = from === to ? `line ${from}` : `lines ${from}-${to}`;
  // A file's name is the workspace's: a right-to-left override in it would make the question name another file.
  const path = withHiddenShown(selection.path);
  const auto = spend.autoTier ? ` (Auto's pick for this selection, the ${spend.autoTier} tier)` : '';
  return {
    message: `Explain the selection in ${path} with ${spend.firstModel ?? 'the chat route'}?`,
    detail:
      `Switchboard: Explain Selection was run from the Command Palette, a keybinding, a link or another extension, not from the editor's context menu. ` +
      `It sends ${lines} of ${path} (${selection.chars.toLocaleString('en-US')} characters, key-shaped strings masked) to the chat panel's model` +
      `${spend.firstModel ? `, ${spend.firstModel}${auto}` : ' (switchboard.routes.chat)'}, billed to your key. ` +
      budgetWords(spend.budgets),
    confirm: 'Explain Selection',
  };
}

/**
 * Allow One Request Past the Budget, run through its public command. `blocked` is the limit that stops requests now
 * (undefined: none does, and nothing is allowed: an allowance primed early would let a later request through
 * unasked). Returns the question, or why nothing is done.
 */
export function allowOnceConsent(blocked: BudgetStatus | undefined): { consent: Consent } | { nothing: string } {
  if (!blocked) {
    return { nothing: 'Switchboard: no budget limit is refusing requests now, so there is nothing to allow past it.' };
  }
  return {
    consent: {
      message: 'Let the next request go past your budget?',
      detail:
        `${budgetLine(blocked)}.\n\n` +
        'The next chat, Ask, Explain Selection or Plan request that this limit would refuse goes once, and its cost is added to what you spent. ' +
        'This was asked through the command "Switchboard: Allow One Request Past the Budget" (the Command Palette, a link or another extension).',
      confirm: 'Allow Once',
    },
  };
}

/**
 * Snooze or Resume Inline Completions, run through its public command. Snoozing only stops spending and goes at
 * once; resuming brings back a request at each pause in typing, so it asks.
 */
export function resumeCompletionsConsent(snoozed: boolean, spend: SpendContext): Consent | undefined {
  if (!snoozed) return undefined;
  return {
    message: 'Resume inline completions?',
    detail:
      `Ghost text will ask ${spend.firstModel ?? 'the completion route'} (switchboard.routes.completion) again whenever you pause typing in this workspace, each request billed to your key. ` +
      budgetWords(spend.budgets),
    confirm: 'Resume',
  };
}

/**
 * Clear OpenAI (or Anthropic) API Key, run through its public command: no button of Switchboard's runs it, so it
 * always asks. Besides deleting a key that cannot be read back, it hands the provider to the key in the environment
 * (`envName`) if one is set, which in a dev container the repository's configuration may have chosen: its account
 * would then receive, and could read back, the code sent with each request.
 */
export function clearKeyConsent(label: string, envName: string, envKeySet: boolean): Consent {
  return {
    message: `Remove your ${label} API key from VS Code's secret storage?`,
    detail:
      `"Switchboard: Clear ${label} API Key" was run (the Command Palette, a link or another extension). The stored key is deleted; it cannot be read back, only set again with "Switchboard: Set API Key…". ` +
      (envKeySet
        ? `${envName} in this window's environment is used instead: its account is billed for ${label} requests and receives what they send.`
        : `${label} requests stop until a key is set.`),
    confirm: 'Remove Key',
  };
}

/** "Auto's pick, openai:gpt-5.4-mini (cheap tier) or openai:gpt-5.4 (strong tier)"; undefined when no tier has a usable model. */
function autoChoiceWords(tiers: SpendContext['autoTiers']): string | undefined {
  const named = (['cheap', 'strong'] as const).flatMap((tier) => (tiers?.[tier] ? [`${tiers[tier]} (${tier} tier)`] : []));
  return named.length > 0 ? `Auto's pick, ${named.join(' or ')}` : undefined;
}

function budgetWords(budgets: readonly BudgetStatus[]): string {
  if (budgets.length === 0) return 'No budget is set (switchboard.budget.dailyUsd, switchboard.budget.monthlyUsd).';
  return budgets.map((status) => `${budgetLine(status)}.`).join(' ');
}

/**
 * The prompt as the question quotes it, cut with an ellipsis, its hidden characters written as `[U+202E]`: a
 * right-to-left override or invisible text would otherwise make the quote read as something other than what is sent.
 */
function quoted(text: string): string {
  const trimmed = text.trim();
  return withHiddenShown(trimmed.length > QUOTED_PROMPT_CHARS ? `${trimmed.slice(0, QUOTED_PROMPT_CHARS)}…` : trimmed);
}

const withHiddenShown = (text: string) => replaceHiddenCharacters(text, (hidden) => `[${hidden.codePoint}]`);
