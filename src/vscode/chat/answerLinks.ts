import * as vscode from 'vscode';
import { localTarget, resolvedLocalTarget, type LocalTarget } from '../../core/localAddress';
import { isHttpUrl } from '../../core/urls';

/** The one button of the question; Cancel (and Escape) is VS Code's own. */
export const OPEN_LINK = 'Open Link';

/** How the question is put: VS Code's modal, or the in-host tests' answers. */
export interface LinkQuestion {
  ask(message: string, detail: string): Promise<string | undefined>;
}

export const modalLinkQuestion: LinkQuestion = {
  ask: (message, detail) => Promise.resolve(vscode.window.showWarningMessage(message, { modal: true, detail }, OPEN_LINK)),
};

/**
 * Opens a link the chat panel's page asks for (a click on a link in an answer). Decided here, in the extension
 * host, not in the page: the page shows a model's answer and is the thing to distrust. A link to this computer,
 * the local network or a link-local address is opened only once the user, asked in a modal that names the whole
 * URL (the link's text in the answer can say anything), says so; a public link opens as before, VS Code's own
 * link protection then applying. Returns whether the link was opened.
 */
export async function openAnswerLink(href: string, question: LinkQuestion, log: Pick<vscode.LogOutputChannel, 'warn'>): Promise<boolean> {
  if (!isHttpUrl(href)) return false;
  // The parsed form: what the browser will request, the host as it will connect to it (2130706433 → 127.0.0.1).
  const url = new URL(href);
  const uri = vscode.Uri.parse(url.href, true);
  // A URL whose host the editor's own reading would change (its encoded form leads elsewhere) is not opened at all.
  if (!sameHost(url, uri)) {
    log.warn(`chat: a link in an answer was not opened: its host reads differently once encoded (${url.href.slice(0, 200)})`);
    return false;
  }
  const local = localTarget(url) ?? (await resolvedLocalTarget(url));
  if (local && (await question.ask(...questionFor(url, local))) !== OPEN_LINK) return false;
  return vscode.env.openExternal(uri);
}

function questionFor(url: URL, local: LocalTarget): [string, string] {
  return [
    `Open a link from the answer to ${local.host}?`,
    `${url.href}\n\n${local.host} is ${local.what}. Opening the link makes your browser send a request there, with your cookies for it: ` +
      'a link written by a model can change settings on a router or a dev server that acts on a plain visit. Open it only if you expected this link.',
  ];
}

function sameHost(url: URL, uri: vscode.Uri): boolean {
  for (const form of [uri.toString(), uri.toString(true)]) {
    try {
      if (new URL(form).host !== url.host) return false;
    } catch {
      return false;
    }
  }
  return true;
}
