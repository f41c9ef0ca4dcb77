/**
 * A server's address may carry credentials: a gateway's `https://user:secret@gw.example/v1`, a key in the query
 * (`?key=…`, `?api-key=…`, `?access_token=…`), a proxy's `http://user:pass@proxy:3128`. Wherever Switchboard shows or
 * writes down a URL (doctor, Check Setup, the log, notifications, the ledger, an SDK's error text) it goes through
 * `redactUrl`, or through `redactSecrets`, which applies it to every URL in a text. Browser-safe: no Node import.
 */

/** What stands in for a password, a token-like user name or a credential-looking query value. */
export const URL_SECRET_MASK = '***';

/**
 * A word of a query (or fragment) parameter's name that says it carries a credential: `key`, `api-key`, `apikey`,
 * `access_token`, `sig` (Azure SAS), `X-Amz-Signature`, `password`… Whole words, not substrings: redactSecrets also
 * runs over the code sent to a model, where `?author=`, `?design=` or `?monkey=` must reach it as written.
 */
const CREDENTIAL_WORD = /^(?:(?:api|access|secret|private|subscription|client|auth|master|app)?key|(?:access|refresh|id|auth|security|session|bearer|api)?token|(?:client)?secret|passw(?:or)?d|pass|pwd|auth|authorization|sig|signature|credentials?|session(?:id)?|sid|jwt)$/;

/** Whether a parameter's name, split into its words (`X-Amz-Security-Token`, `accessToken`, `api_key`), names a credential. */
function isCredentialName(name: string): boolean {
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
 * A user name standing alone that reads as an account's (`git@`, `postgres@`, `deploy-bot@`), not a token's: short,
 * letters first. `ssh://git@github.com/org/repo.git` in a package.json sent to a model is no secret.
 */
const ACCOUNT_NAME = /^[A-Za-z][A-Za-z0-9._-]{0,15}$/;

/** A URL with a scheme inside free text (an SDK's "request to https://… failed"), up to a blank, quote or bracket. */
const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`()[\]{}]+/gi;

/**
 * `url` with its userinfo password replaced (`https://user:***@gw.example/v1`), a user name standing alone replaced
 * too unless it reads as an account's (`https://***@host`: such a user name is mostly a token; `git@` is kept), and the value of every query or fragment
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
        ? `${userinfo.slice(0, colon)}:${PLACEHOLDER.test(password) ? password : URL_SECRET_MASK}`
        : userinfo && !ACCOUNT_NAME.test(userinfo) ? URL_SECRET_MASK : userinfo;
    head = `${url.slice(0, start)}${shown}@${authority.slice(at + 1)}`;
  }
  return head + redactParameters(url.slice(authorityEnd));
}

/** Every URL in `text` passed through `redactUrl`. */
export function redactUrlsInText(text: string): string {
  if (!text.includes('://')) return text;
  return text.replace(URL_IN_TEXT, (url) => redactUrl(url));
}

/** The path, query and fragment with credential-looking parameter values masked (`&` and `;` separate them). */
function redactParameters(rest: string): string {
  const query = rest.search(/[?#]/);
  if (query < 0) return rest;
  return rest.slice(0, query) + rest.slice(query).replace(/([?#&;])([^=&;#?]+)=([^&;#]*)/g, (whole, separator: string, name: string, value: string) =>
    value && !PLACEHOLDER.test(value) && isCredentialName(safeDecode(name)) ? `${separator}${name}=${URL_SECRET_MASK}` : whole,
  );
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function indexOfAny(text: string, characters: string, from: number): number {
  for (let index = from; index < text.length; index++) if (characters.includes(text[index]!)) return index;
  return text.length;
}
