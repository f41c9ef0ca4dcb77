import type { LedgerRecord } from '../core/ledger';
import { FREE_ON_LOCAL_SERVER_SETTING } from '../core/prices/localServerRate';
import { redactSecrets } from '../core/redact';
import { replaceHiddenCharacters } from '../shared/hiddenCharacters';

/**
 * Messages for VS Code's notifications, without touching VS Code (unit-tested in plain Node).
 *
 * A notification's message is not plain text: VS Code turns `[label](command:…)` (and http and
 * file links) in it into a link it opens with commands allowed. Text from outside Switchboard (a
 * file's name, a provider's error, a workspace setting's value) could so put a link labelled
 * "Open Log" into our warning that runs `workbench.action.terminal.sendSequence` with its
 * arguments. A space between `]` and `(` keeps the text readable and is no longer a link.
 * Bidi controls and invisible characters (a file named `src/\u202Est.exe`, a server's error)
 * would make the message read as something else: each is written as its code point, `[U+202E]`.
 */
export function plainInNotification(text: string): string {
  // And a key or a URL's credentials quoted in it (a provider's error, a server's address) masked (core/redact.ts).
  return replaceHiddenCharacters(redactSecrets(text), (hidden) => `[${hidden.codePoint}]`).replace(/\]\(/g, '] (');
}

/** The one warning for the settings' problems (`lines`: each described; the rest are in the log). */
export function settingsWarning(lines: readonly string[]): string {
  const more = lines.length > 1 ? ` (and ${lines.length - 1} more; see the log)` : '';
  return plainInNotification(`Switchboard: ${lines[0] ?? ''}${more}`);
}

/** Explain Selection in an excluded file: nothing was sent. `path` is the workspace's. */
export function excludedSelectionNotice(path: string, excluded: string): string {
  return plainInNotification(`Switchboard: nothing was sent: ${path} is ${excluded}.`);
}

/** Continue This Document in Chat on an excluded file. */
export function excludedDocumentNotice(path: string, excluded: string): string {
  return plainInNotification(`Switchboard: ${path} is never sent to a model (${excluded}).`);
}

/** The chat panel's Insert could not edit the file (read-only, or closed meanwhile). `path` is the workspace's. */
export function insertFailedNotice(path: string): string {
  return plainInNotification(`Switchboard: could not insert the code into ${path} (it may be read-only).`);
}

/**
 * After Insert at cursor took hidden characters (bidi controls, zero-width, tags) out of a model's code:
 * which ones, and that Copy keeps them for whoever wants them.
 */
export function hiddenCharactersRemovedNotice(count: number, which: string): string {
  const characters = count === 1 ? 'character' : 'characters';
  return plainInNotification(
    `Switchboard: removed ${count} hidden ${characters} from the inserted code (${which}). They can make code read differently from what it does (Trojan Source); Copy keeps them.`,
  );
}

/** The confirmation before a conversation is deleted: its title comes from the user's or the model's words. */
export function deleteConversationQuestion(title: string): string {
  return plainInNotification(`Delete the conversation "${title}"?`);
}

/** Ask or Plan got no answer: `error` is the router's, which quotes the provider's own words. */
export function requestFailedNotice(error: string | undefined): string {
  return plainInNotification(`Switchboard: ${error ?? 'the request failed'}`);
}

/**
 * The notification after an Ask or Plan that Auto routed: a cheap-tier answer
 * (which offers Retry with the strong model), and any answer handed over to
 * the other tier, which says so first as the chat footer does (a hand-over to
 * the strong tier costs more than Auto's pick, and one to the cheap tier is
 * not the tier Auto judged the question to need). Undefined: nothing to say.
 * The model's name may come from a provider (a Bedrock router's pick).
 */
export function autoAnswerNotice(title: string, record: Pick<LedgerRecord, 'model' | 'routing'>): { text: string; offersRetry: boolean } | undefined {
  const routing = record.routing;
  if (routing?.mode !== 'auto' || !routing.tier) return undefined;
  const handedOver = routing.handedOverFrom ? `, ${routing.reasons[0] ?? `handed over from the ${routing.handedOverFrom} tier`}` : '';
  if (routing.tier !== 'cheap' && !handedOver) return undefined;
  return { text: plainInNotification(`Switchboard: ${title} answered on the ${routing.tier} tier by ${record.model}${handedOver}.`), offersRetry: routing.tier === 'cheap' };
}

/**
 * Ask or Plan while no provider can be reached: refused before the input box, so nothing is typed in vain and
 * no half-written answer editor is left to save or discard. `invalidSettings`: providers out for a setting a
 * key would not fix (an endpoint without `http://`), each named.
 */
export function noProviderNotice(action: string, invalidSettings: readonly string[]): string {
  if (invalidSettings.length > 0) {
    return plainInNotification(`Switchboard: ${action} has no provider to ask: ${invalidSettings.join('; ')}.`);
  }
  return `Switchboard: ${action} needs a provider first: an OpenAI or Anthropic API key, AWS credentials for Bedrock, or a local server (switchboard.providers.openai.baseUrl).`;
}

/**
 * Whether a budget's refusal tells how to price its model in switchboard.prices (core/budget/budgetGate.ts words it:
 * a model counted at budget.unpricedEstimate, or refused under budget.unpriced "refuse"): its notification then
 * offers Set a Price….
 */
export function namesPriceSetting(message: string): boolean {
  return /\bgive it (?:a|its) price in switchboard\.prices\b/.test(message);
}

/*
 * It's Free (Local Server)'s answers (freeOnLocalServer.ts). `model` is a ledger record's `provider:model`: the
 * dashboard's rows come from the ledger file, which in a dev container is the repository's (its HOME), and a model
 * id is whatever a route, a server or that file says. So each goes through plainInNotification like any other text
 * from outside: `gpt[Open Log](command:…)` would otherwise be a link in our own warning.
 */

/** The model's provider has no server on this machine now (a remote window's loopback is the remote machine). */
export function notMadeFreeNotice(model: string, provider: string): string {
  return plainInNotification(
    `Switchboard: ${model} was not made free: ${provider}'s server is not on this machine now (or this is a remote window, whose localhost is the remote machine), so its requests may be billed.`,
  );
}

/** The model was added to the setting, or was there already. */
export function madeFreeNotice(model: string, provider: string, already: boolean): string {
  return plainInNotification(
    `Switchboard: ${model} ${already ? 'already costs' : 'now costs'} nothing (local, $0) while ${provider}'s server is on this machine: it is in ${FREE_ON_LOCAL_SERVER_SETTING} in your User settings. Requests already recorded keep their cost.`,
  );
}

/** The setting holds something other than a list (`current`), which is kept as written. */
export function freeSettingNotAListNotice(model: string, current: unknown): string {
  return plainInNotification(
    `Switchboard: ${model} was not made free: ${FREE_ON_LOCAL_SERVER_SETTING} in your User settings holds ${typeof current === 'object' ? 'an object' : `a ${typeof current}`}, not a list, so it is ignored; nothing was changed, to keep what you wrote. Make it a list of "provider:model" entries, e.g. ["${model}"].`,
  );
}
