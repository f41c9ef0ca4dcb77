/**
 * Where Check Setup's report lives and the language it opens in. Its lines are as long as a route and its reasons
 * (a route line names every model that is out, a reason names the setting and the command that mend it), so the
 * report wraps at the editor's width: package.json gives the language `editor.wordWrap: on` by default, matched by
 * file name, so it holds for these reports (and a copy saved under the same name) and for no other document, and
 * the user can still turn it off under [switchboard-setup-check]. The text keeps its lines unbroken: pasted into an
 * issue or a terminal, a line is still one line. No `vscode` here: the unit tests read it beside package.json.
 */
export const SETUP_REPORT_LANGUAGE = 'switchboard-setup-check';

/** The report's file name; package.json's `filenamePatterns` for the language match it. */
export function setupReportName(shown: number): string {
  return `Switchboard setup check ${shown}.txt`;
}
