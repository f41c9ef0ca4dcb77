/**
 * The one place that knows what a key looks like. Everything that leaves the
 * machine or is written down goes through `redactSecrets`: context taken from
 * files other than the one being completed (snippets, chat attachments, Plan's
 * context), ledger records, the log, and error texts shown to the user.
 *
 * The prefixes are assembled from parts so that no key-shaped literal sits in
 * the repository (a secret scanner reading this file finds nothing to flag).
 */

import { redactUrlsInText } from './redactUrl';

export { redactUrl, URL_SECRET_MASK } from './redactUrl';

export const REDACTED = '[redacted]';

/** Characters of an API key body; `*` too, as providers echo keys back half-masked ("sk-ab***yz"). */
const KEY_BODY = String.raw`[A-Za-z0-9_*-]`;

interface SecretShape {
  name: string;
  /** One alternative of the combined pattern; it may capture a prefix to keep in group `keep`. */
  source: string;
}

const join = (...parts: string[]) => parts.join('');
/** `secret` → `[Ss][Ee][Cc][Rr][Ee][Tt]`: case-insensitive for one shape (inline `(?i:)` needs a newer V8 than VS Code 1.101's). */
const anyCase = (word: string) => [...word].map((c) => (/[a-z]/i.test(c) ? `[${c.toUpperCase()}${c.toLowerCase()}]` : c)).join('');

export const SECRET_SHAPES: readonly SecretShape[] = [
  {
    // -----BEGIN … PRIVATE KEY----- through its END line; a block cut off by a window runs to the text's end.
    name: 'private key block',
    source: String.raw`-----BEGIN[A-Z0-9 ]*PRIVATE KEY-----(?:[\s\S]*?-----END[A-Z0-9 ]*PRIVATE KEY-----|[\s\S]*$)`,
  },
  {
    // The end of a block whose start was cut off.
    name: 'private key block end',
    // Bounded: a key block is at most about a hundred lines, and each line start of a long base64 text is tried.
    source: String.raw`^(?:[A-Za-z0-9+/=]{16,}\r?\n){1,120}-----END[A-Z0-9 ]*PRIVATE KEY-----`,
  },
  {
    // OpenAI (project, service-account and admin keys share the prefix), Anthropic, OpenAI session tokens.
    // Short ones only with a digit or `*`, so that CSS-like names ("sk-button-primary") are left alone.
    name: 'OpenAI or Anthropic key',
    source: String.raw`\b(?:${join('s', 'k')}|${join('se', 'ss')})-(?:${KEY_BODY}{20,}|(?=${KEY_BODY}*[0-9*])${KEY_BODY}{6,})`,
  },
  {
    name: 'Stripe secret key',
    source: String.raw`\b[rs]k_live_[A-Za-z0-9]{16,}`,
  },
  {
    // Access key ids (long-term and temporary); 12+ characters to catch ids a provider echoed shortened.
    name: 'AWS access key id',
    source: String.raw`\b${join('A', '[KS]', 'IA')}[A-Z0-9]{12,}\b`,
  },
  {
    // The secret itself has no prefix: it is recognised by the name it is assigned to.
    name: 'AWS secret access key',
    source: String.raw`(?<keep>${anyCase('secret')}_?${anyCase('access')}_?${anyCase('key')}["']?\s*[:=]\s*["']?)[A-Za-z0-9/+=]{30,}`,
  },
  {
    name: 'GitHub token',
    source: String.raw`\b(?:${join('gh', '[pousr]')}_[A-Za-z0-9]{30,}|${join('github', '_pat_')}[A-Za-z0-9_]{30,})`,
  },
  {
    name: 'Google API key',
    source: String.raw`\b${join('AI', 'za')}[0-9A-Za-z_-]{35}`,
  },
  {
    name: 'Slack token',
    source: String.raw`\b${join('xo', 'x')}[baprs]-[A-Za-z0-9-]{10,}`,
  },
  {
    name: 'bearer token',
    // Short ones only with a digit, so that prose ("bearer authentication") is left alone.
    source: String.raw`(?<keep>\b[Bb]earer\s+)(?:[A-Za-z0-9._~+/=-]{24,}|(?=[A-Za-z0-9._~+/=-]*[0-9])[A-Za-z0-9._~+/=-]{12,})`,
  },
];

/** Named groups may not repeat across alternatives, so each shape's `keep` becomes `keep0`, `keep1`… */
const COMBINED = new RegExp(
  SECRET_SHAPES.map((shape, index) => `(?:${shape.source.replace('(?<keep>', `(?<keep${index}>`)})`).join('|'),
  // m: the END shape's ^ is a line start.
  'gm',
);

/**
 * `text` with every key-shaped string replaced by `[redacted]` (a prefix that
 * names the key, such as `Bearer ` or `aws_secret_access_key = `, is kept), and
 * every URL's credentials (a password, a `?key=` value) by `***` (redactUrl.ts).
 */
export function redactSecrets(text: string): string {
  if (text.length < 8) return text;
  COMBINED.lastIndex = 0;
  return redactUrlsInText(text).replace(COMBINED, (...args: unknown[]) => {
    const groups = args.at(-1) as Record<string, string | undefined> | undefined;
    let keep = '';
    if (groups) for (const value of Object.values(groups)) if (value !== undefined) keep = value;
    return keep + REDACTED;
  });
}

/** Whether `text` holds anything `redactSecrets` would replace. */
export function containsSecret(text: string): boolean {
  COMBINED.lastIndex = 0;
  const found = COMBINED.test(text);
  COMBINED.lastIndex = 0;
  return found;
}

/** Also removes one exact secret the caller knows (the key a request was sent with), whatever its shape. */
export function redactKnownSecret(text: string, secret: string | undefined): string {
  const withoutSecret = secret && secret.length >= 4 ? text.split(secret).join(REDACTED) : text;
  return redactSecrets(withoutSecret);
}
