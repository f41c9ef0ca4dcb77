/**
 * A server's address may carry credentials: a gateway's `https://user:secret@gw.example/v1`, a key in the query
 * (`?key=…`, `?api-key=…`, `?access_token=…`), a proxy's `http://user:pass@proxy:3128`. Wherever Switchboard shows or
 * writes down a URL (doctor, Check Setup, the log, notifications, the ledger, an SDK's error text) it goes through
 * `redactUrl`, or through `redactSecrets`, which applies it to every URL in a text. Browser-safe: no Node import.
 */

import { safeDecode } from './providers/safeDecode';

/** What stands in for a password, a token-like user name or a credential-looking query value. */
export const URL_SECRET_MASK = '***';

/**
 * A word of a query (or fragment) parameter's name that says it carries a credential: `key`, `api-key`, `apikey`,
 * `access_token`, `sig` (Azure SAS), `X-Amz-Signature`, `password`… Whole words, not substrings: redactSecrets also
 * runs over the code sent to a model, where `?author=`, `?design=` or `?monkey=` must reach it as written.
 */
const CREDENTIAL_WORD = /^(?:(?:api|access|secret|private|subscription|client|auth|master|app)?key|(?:access|refresh|id|auth|security|session|bearer|api)?token|(?:client)?secret|passw(?:or)?d|pass|pwd|auth|authorization|sig|signature|credentials?|session(?:id)?|sid|jwt)$/;

/**
 * Names already judged: a file of URLs repeats a few parameter names (`page`, `limit`, `q`) thousands of times, and
 * judging one splits it into words. Emptied when full, so a text of endless distinct names cannot grow it.
 */
const judgedNames = new Map<string, boolean>();
const MAX_JUDGED_NAMES = 512;

/** Whether a parameter's name, split into its words (`X-Amz-Security-Token`, `accessToken`, `api_key`), names a credential. */
function isCredentialName(name: string): boolean {
  let judged = judgedNames.get(name);
  if (judged === undefined) {
    if (judgedNames.size >= MAX_JUDGED_NAMES) judgedNames.clear();
    judged = judgeCredentialName(safeDecode(name));
    judgedNames.set(name, judged);
  }
  return judged;
}

function judgeCredentialName(name: string): boolean {
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase().split(/[^a-z0-9]+/);
  return words.some((word) => CREDENTIAL_WORD.test(word)) || CREDENTIAL_WORD.test(name.toLowerCase().replace(/[^a-z]/g, ''));
}

/**
 * A value that stands for a credential rather than being one: an environment variable (`$API_KEY`, upper case:
 * a password `$ecret` is masked), the `$` a JavaScript template's `${apiKey}` leaves (a URL in text ends at `{`), a format directive (`%s`, and the `%` of `%(key)s`, cut at `(`). redactSecrets
 * also runs over the code sent to a model, which must read `?key=${apiKey}` as written, not `?key=***{apiKey}`.
 */
const PLACEHOLDER = /^(?:\$(?:[A-Z_][A-Z0-9_]*)?|%(?:[sdvr]|\([\w.]*\)[sdr])?)$/;

/**
 * A user name that reads as an account's (`git`, `postgres`, `deploy-bot`, `x-access-token`, `abc123`, `john.doe`), not
 * a token's: letters first, at most 32 characters, each of its `.`/`_`/`-`-separated parts a word with at most a number
 * at its end, and at most two lower-to-upper case changes (`deployBot`). A token used as a user name (GitHub's
 * `https://<token>@github.com`, Stripe's `https://<key>:@api.stripe.com`, a gateway's 16-character key) mixes digits
 * into its letters or its cases throughout, so `aK3xP9qL2mN8vB4c` and `k3x9q2m8v4c7p1z6` are masked as a password is,
 * standing alone or before an empty or dummy password; `ssh://git@github.com/org/repo.git` in a package.json sent to a
 * model is no secret, and a proxy's `http://alice:***@proxy` still says whose account it is.
 */
const ACCOUNT_NAME = /^[A-Za-z][A-Za-z0-9._-]{0,31}$/;
const ACCOUNT_NAME_PART = /^[A-Za-z]*[0-9]*$/;

function readsAsAccountName(name: string): boolean {
  if (!ACCOUNT_NAME.test(name)) return false;
  return name.split(/[._-]/).every((part) => ACCOUNT_NAME_PART.test(part)) && (name.match(/[a-z][A-Z]/g)?.length ?? 0) <= 2;
}

/** A user name shown: an account's or a placeholder's (`$GITHUB_TOKEN`) as written, any other masked. */
function shownUserName(name: string): string {
  return name === '' || readsAsAccountName(name) || PLACEHOLDER.test(name) ? name : URL_SECRET_MASK;
}

/** After a URL's `://`, the rest of it: up to a blank, quote or bracket (sticky: read from `lastIndex`). */
const URL_TAIL = /[^\s"'<>`()[\]{}]+/y;

/**
 * `url` with its userinfo password replaced (`https://user:***@gw.example/v1`), a user name replaced too unless it
 * reads as an account's (`https://***@host`, `https://***:***@host`: a token used as a user name; `git@` is kept), and the value of every query or fragment
 * parameter whose name looks like a credential replaced. Everything else is kept as written (no normalising: the
 * address a user reads is the one they typed). Text that is not a URL comes back unchanged.
 */
export function redactUrl(url: string): string {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(url);
  if (!scheme) return url;
  const start = scheme[0].length;
  // The authority runs to the first `/`, `?` or `#`; its userinfo to the last `@` in it (a password may hold an `@`).
  const authorityEnd = indexOfAny(url, '/?#', start);
  const authority = url.slice(start, authorityEnd);
  const at = authority.lastIndexOf('@');
  let head = url.slice(0, authorityEnd);
  if (at >= 0) {
    const userinfo = authority.slice(0, at);
    const colon = userinfo.indexOf(':');
    const password = userinfo.slice(colon + 1);
    const shown =
      colon >= 0
        ? `${shownUserName(userinfo.slice(0, colon))}:${PLACEHOLDER.test(password) ? password : URL_SECRET_MASK}`
        : shownUserName(userinfo);
    head = `${url.slice(0, start)}${shown}@${authority.slice(at + 1)}`;
  }
  return head + redactParameters(url.slice(authorityEnd));
}

/**
 * Whether `redactUrl` may change `url`: a user name (`@`), or a query or fragment whose letters hold a piece of every
 * credential word CREDENTIAL_WORD knows (`%` or a letter beyond ASCII, which decoding or lower-casing may turn into
 * one, counts too). A file of URLs is mostly `?page=2&sort=name`, which need not be taken apart.
 */
function mayHoldCredential(url: string): boolean {
  if (url.includes('@')) return true;
  const query = url.search(/[?#]/);
  return query >= 0 && CREDENTIAL_HINT.test(url.slice(query).replace(/[^A-Za-z%\u0080-\uffff]/g, ''));
}
const CREDENTIAL_HINT = /key|token|secret|pass|pw|auth|sig|cred|sess|sid|jwt|[%\u0080-\uffff]/i;

/** Every URL in `text` (see urlsIn) passed through `redactUrl`. */
export function redactUrlsInText(text: string): string {
  const urls = urlsIn(text);
  if (urls.length === 0) return text;
  let out = '';
  let copied = 0;
  for (const [start, end] of urls) {
    const url = text.slice(start, end);
    if (!mayHoldCredential(url)) continue;
    out += text.slice(copied, start) + redactUrl(url);
    copied = end;
  }
  return out + text.slice(copied);
}

/**
 * Where the URLs of free text (an SDK's "request to https://… failed", or code sent to a model) start and end: a
 * scheme (a letter starting a word, then letters, digits, `+`, `.` or `-`), `://`, then everything up to a blank,
 * quote or bracket; leftmost first, as the pattern `\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`()[\]{}]+` (any case) finds
 * them, but in one pass. The pattern, tried at every word start of a long run of scheme characters with no `://`
 * at its end (`a.b.c…`, `x-y-z…`, with a URL elsewhere in the text), read the rest of the run from
 * each: 3 s for one line of 60,000 such characters, and this runs over every open file a completion's snippets
 * come from. Here each `://` is found once and its scheme read backwards from it, never past the URL or `://`
 * before it, so no character is read more than a few times. `reads`, when given, counts the characters read.
 */
export function urlsIn(text: string, reads?: { characters: number }): Array<[number, number]> {
  const urls: Array<[number, number]> = [];
  let floor = 0;
  for (let colon = text.indexOf('://'); colon >= 0; colon = text.indexOf('://', Math.max(colon + 1, floor))) {
    const start = schemeStart(text, colon, floor, reads);
    if (start < 0) continue;
    URL_TAIL.lastIndex = colon + 3;
    if (!URL_TAIL.test(text)) continue;
    const end = URL_TAIL.lastIndex;
    if (reads) reads.characters += end - colon;
    urls.push([start, end]);
    floor = end;
  }
  return urls;
}

/** The first place at or after `floor` where a scheme ending at `colon` starts, or -1. */
function schemeStart(text: string, colon: number, floor: number, reads?: { characters: number }): number {
  let run = colon;
  while (run > floor && isSchemeCharacter(text.charCodeAt(run - 1))) run--;
  if (reads) reads.characters += 2 * (colon - run) + 1;
  for (let at = run; at < colon; at++) {
    if (isAsciiLetter(text.charCodeAt(at)) && (at === 0 || !isWordCharacter(text.charCodeAt(at - 1)))) return at;
  }
  return -1;
}

function isAsciiLetter(code: number): boolean {
  const lower = code | 0x20;
  return lower >= 97 && lower <= 122;
}

/** `[A-Za-z0-9+.-]` */
function isSchemeCharacter(code: number): boolean {
  return isAsciiLetter(code) || (code >= 48 && code <= 57) || code === 43 || code === 46 || code === 45;
}

/** `\w` (without the `u` flag): `[A-Za-z0-9_]` */
function isWordCharacter(code: number): boolean {
  return isAsciiLetter(code) || (code >= 48 && code <= 57) || code === 95;
}

/** The path, query and fragment with credential-looking parameter values masked (`&` and `;` separate them). */
function redactParameters(rest: string): string {
  const query = rest.search(/[?#]/);
  if (query < 0) return rest;
  return rest.slice(0, query) + rest.slice(query).replace(/([?#&;])([^=&;#?]+)=([^&;#]*)/g, (whole, separator: string, name: string, value: string) =>
    value && !PLACEHOLDER.test(value) && isCredentialName(name) ? `${separator}${name}=${URL_SECRET_MASK}` : whole,
  );
}

function indexOfAny(text: string, characters: string, from: number): number {
  for (let index = from; index < text.length; index++) if (characters.includes(text[index]!)) return index;
  return text.length;
}
