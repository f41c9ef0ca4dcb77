// A server's URL in a command line the CLI prints for the user to paste: into sh, cmd or PowerShell, since the
// CLI cannot know which shell the user types into (Windows has two, and Git Bash a third).
import { shellWord } from './cliSupport';

/** A URL with no character sh, cmd or PowerShell reads specially (`&`, `?`, `'`, `;`, a blank, PowerShell's `,`, cmd's `%`). */
const PLAIN_URL = /^[\w./:@+=~-]+$/;
/** What a double-quoted word may not hold in one of those shells: sh expands `$`, `` ` `` and `\` in it, cmd `!`. */
const NOT_IN_DOUBLE_QUOTES = /["$`\\!]/;

/** Said in place of a URL holding `%`: why the line names URL rather than the server. */
export const URL_LEFT_OUT = 'left out of the line since cmd would expand its %';

/**
 * `url` as a word to paste into a command line, on any platform: bare when nothing in it is special, else in double
 * quotes, which sh, cmd and PowerShell all take (single quotes are text to cmd, and a `'` in the URL would end them).
 * A URL that double quotes cannot hold on every shell gets sh's quoting, as file names do.
 *
 * Undefined for a URL holding `%` (a percent-escape, `%40` in a user name): cmd expands `%NAME%` in quotes or not,
 * a batch file reads `%1`…`%9` as its arguments, and cmd's escape for it (`^%`, or `%%` in a batch file) is text to
 * sh and PowerShell. No one spelling pastes right into all three, so no line holding it is printed: the caller
 * names `URL` and where the user has it.
 */
export function urlWord(url: string): string | undefined {
  if (url.includes('%')) return undefined;
  if (PLAIN_URL.test(url)) return url;
  return NOT_IN_DOUBLE_QUOTES.test(url) ? shellWord(url) : `"${url}"`;
}
