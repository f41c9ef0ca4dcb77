import { KEY_REJECTED_WORDS, ProviderError, kindForStatus, parseRetryAfter, type ProviderErrorKind } from './providerError';
import { redactKnownSecret } from '../redact';
import { errorWords } from './errorWords';
import { promptTooLongIn } from './promptTooLong';

/**
 * Building blocks the three adapters share to turn SDK failures into
 * ProviderErrors with short messages a user can act on. Messages name the
 * provider and what went wrong, never the request or a key.
 */

/** Socket and TLS failure codes, as Node, undici and http2 report them. */
const CONNECTION_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'ERR_HTTP2_STREAM_ERROR',
  'ERR_HTTP2_SESSION_ERROR',
  'ERR_HTTP2_GOAWAY_SESSION',
  'ERR_HTTP2_STREAM_CANCEL',
  'ERR_HTTP2_INVALID_SESSION',
  'ERR_STREAM_PREMATURE_CLOSE',
]);

/** Failures to connect at all; every other code means an open connection broke. */
const UNREACHABLE_PHRASES: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'DNS lookup failed',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENETDOWN: 'network down',
};

const MAX_DETAIL_LENGTH = 160;

export function cancelledError(provider: string): ProviderError {
  return new ProviderError('cancelled', provider, `${provider} request was cancelled`);
}

export function malformedError(provider: string): ProviderError {
  return new ProviderError('malformed', provider, `${provider} sent a stream that could not be parsed`);
}

/** For streams that end cleanly but before the provider's own end-of-answer event. */
export function endedEarlyError(provider: string): ProviderError {
  return new ProviderError('connection', provider, `${provider} ended the stream before the answer was complete`);
}

/**
 * A 200 whose body held no event at all, when it was not labelled as an event
 * stream: a web page (a baseUrl without `/v1` behind a proxy, a login portal)
 * or a whole JSON answer from a server that ignores `stream`. Said as such,
 * rather than as an answer that ended early, so the user knows what to fix.
 */
export function notAnEventStream(provider: string, response: Response, baseUrlHint: string, secret?: string): void {
  const type = response.headers.get('content-type')?.split(';')[0]?.trim();
  if (type === 'text/event-stream') return;
  // The header is the server's to write: one that reflects the request's Authorization would put the key in the
  // message, which the ledger, the log and the status bar show. Cleaned as an error body is.
  const quoted = type ? cleanDetail(type, secret) : '';
  throw new ProviderError(
    'connection',
    provider,
    `${provider} answered with ${quoted ? `"${quoted}"` : 'no content type'} instead of an event stream: ${type === 'text/html' ? `${WEB_PAGE_CHECK}; else ` : ''}check its baseUrl (${baseUrlHint}) and that the server streams`,
  );
}

/**
 * What a web page in place of an API's answer most often is, when the baseUrl is right (api.openai.com and the
 * like answer no page): a network's sign-in page (a hotel's or an airport's Wi-Fi answers every request with it).
 */
export const WEB_PAGE_CHECK = "a network's sign-in page (hotel or airport Wi-Fi)? open any site in a browser to sign in";

/**
 * A 200 labelled JSON where an event stream was asked for, read before the SDK parses it as a stream and finds no
 * event: a gateway or a local server that puts its error in a 200's body (OpenRouter's `{error: {message, code}}`
 * mid-failover, LM Studio's `{error: "…"}`, an Anthropic-compatible proxy's `{type: "error", error: {…}}`) is said
 * in its own words, as an error event inside a stream is; a whole answer from a server that ignores `stream` is
 * returned where the adapter can read it (`isWholeAnswer`), else said as not an event stream (notAnEventStream). `kindOf` reads the body's error type or code as the adapter knows it.
 */
export async function jsonInPlaceOfStream(
  provider: string,
  response: Response,
  baseUrlHint: string,
  kindOf: (body: Record<string, unknown>) => ProviderErrorKind | undefined,
  secret?: string,
  /** What to add to words that say the path asked is not served (LM Studio's 200 for one): then a bad request. */
  unservedHint?: (words: string) => string | undefined,
  /** Whether a body is a whole answer the adapter reads in place of the stream (returned), not a failure. */
  isWholeAnswer?: (body: Record<string, unknown>) => boolean,
): Promise<Record<string, unknown> | undefined> {
  const type = response.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
  // A web page is no stream either, and is said before the answer counts as begun: a network's sign-in page never
  // reached the provider, which billed nothing.
  if (type === 'text/html') {
    // Not read: the page says nothing the message needs, and its connection is let go.
    await response.body?.cancel().catch(() => undefined);
    notAnEventStream(provider, response, baseUrlHint, secret);
  }
  if (type !== 'application/json') return undefined;
  let body: unknown;
  try {
    body = JSON.parse(await response.text());
  } catch {
    body = undefined;
  }
  const fields = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
  const isError = fields !== undefined && (fields.type === 'error' || ['error', 'errors', 'detail'].some((key) => fields[key] !== undefined));
  const words = isError ? errorWords(fields) : undefined;
  const hint = words ? unservedHint?.(words) : undefined;
  if (words && hint) throw httpError(provider, { kind: 'bad-request', detail: `${words}: ${hint}`, ...(secret !== undefined ? { secret } : {}) });
  if (fields && words) throw httpError(provider, { kind: kindOf(fields) ?? 'unknown', detail: words, ...(secret !== undefined ? { secret } : {}) });
  // A server that ignores `stream` answered whole: the answer was made (and billed), so it is read, not thrown away
  // for the next model to be asked and billed again.
  if (fields && isWholeAnswer?.(fields)) return fields;
  notAnEventStream(provider, response, baseUrlHint, secret);
  return undefined;
}

/**
 * Finds a socket-level failure anywhere in an error's cause chain (undici wraps
 * it as `TypeError: fetch failed` → cause, http2 as ERR_HTTP2_STREAM_CANCEL →
 * cause, localhost dual-stack failures come as an AggregateError) and
 * describes it, preferring the root cause.
 */
export function connectionError(provider: string, error: unknown, where?: string | AddressNote): ProviderError | undefined {
  if (blockedPort(error, 0)) {
    return new ProviderError(
      'connection',
      provider,
      `${provider} could not be reached: its baseUrl's port is one that fetch refuses to connect to (a "bad port", such as 6000 or 6666); serve it on another port`,
      undefined,
      undefined,
      'provider',
    );
  }
  const codes: string[] = [];
  collectConnectionCodes(error, codes, 0);
  // A TLS failure under HTTP/2 (Bedrock's) comes as ERR_HTTP2_STREAM_CANCEL caused by the TLS error: the cause says what to fix.
  const code = codes.find((candidate) => candidate in UNREACHABLE_PHRASES) ?? codes.find(isTlsCode) ?? codes[0];
  if (!code) return undefined;
  const unreachable = UNREACHABLE_PHRASES[code];
  const note = typeof where === 'function' ? where : (failure: string) => serverNote(where, failure, portTried(error, 0));
  // The host itself cannot be reached: every model of the provider fails alike, whichever task asks.
  if (unreachable) return new ProviderError('connection', provider, `${provider} could not be reached: ${unreachable} (${code})${note(code)}`, undefined, undefined, 'provider');
  if (isTlsCode(code)) return new ProviderError('connection', provider, `${provider} failed the TLS check (${code})${note(code)}`, undefined, undefined, 'provider');
  return new ProviderError('connection', provider, `${provider} dropped the connection (${code})`);
}

/**
 * What a connection failure adds about the address asked, given the failure's code: by default where a baseUrl
 * points (serverNote); Bedrock words its own, naming its endpoint or its region and the setting that gave it.
 */
export type AddressNote = (code: string) => string;

/** A TLS failure: a certificate not trusted, a server that speaks plain http where https was asked. */
export function isTlsCode(code: string): boolean {
  // UNABLE_TO_VERIFY_LEAF_SIGNATURE names no CERT: a server signed by a private CA that sends only its own certificate.
  return /CERT|TLS|SSL|^UNABLE_TO_/.test(code);
}

/**
 * A certificate no authority this machine trusts signed: a home lab's self-signed one, or one from a private CA
 * (a company's, step-ca's, Caddy's internal). The server is fine; this machine has to be told to trust it.
 */
const UNTRUSTED_CERTIFICATE = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
]);

/**
 * How to make such a certificate trusted, the one way for the CLI and the editor alike. There is no setting that
 * turns the check off: a workspace could set it, and a key sent over an unchecked connection is anyone's.
 */
export const TRUST_CERTIFICATE_WAYS =
  "give Node the CA's certificate (a self-signed server's own) as a PEM file named by NODE_EXTRA_CA_CERTS in the environment the CLI or VS Code starts from, or add it to the system's trusted certificates, which VS Code gives extensions while http.systemCertificates is on";

/** What to check at an address, by the failure's code: a name, a certificate, or whether a server runs there. */
export function addressCheck(code: string, host: string): string {
  // A name that does not resolve is a typo or a machine gone from the network: no server could be running there.
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `check the host name ${host}`;
  if (UNTRUSTED_CERTIFICATE.has(code)) return `its certificate is self-signed or from a CA this machine does not trust: ${TRUST_CERTIFICATE_WAYS}`;
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return `its certificate does not name ${host}: write in the baseUrl the name it was issued for, or issue it for ${host} too (subjectAltName)`;
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') return "its certificate is out of its dates: renew it, and check this machine's clock";
  // ERR_SSL_WRONG_VERSION_NUMBER, most often: an http:// server asked over https.
  if (isTlsCode(code)) return 'does it serve https (not plain http), with a certificate this machine trusts?';
  return 'is a server running there?';
}

/**
 * fetch (which the OpenAI and Anthropic SDKs use) refuses the ports of the
 * Fetch standard's block list before connecting, with only "bad port" deep in
 * the cause chain: the user's local server is up, and nothing else says why.
 */
function blockedPort(error: unknown, depth: number): boolean {
  if (depth > 6 || typeof error !== 'object' || error === null) return false;
  if ((error as { message?: unknown }).message === 'bad port') return true;
  return blockedPort((error as { cause?: unknown }).cause, depth + 1);
}

function collectConnectionCodes(error: unknown, codes: string[], depth: number): void {
  if (depth > 6 || typeof error !== 'object' || error === null) return;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (CONNECTION_CODES.has(code) || isTlsCode(code))) codes.push(code);
  const nested = (error as { errors?: unknown }).errors;
  if (Array.isArray(nested)) for (const inner of nested) collectConnectionCodes(inner, codes, depth + 1);
  collectConnectionCodes((error as { cause?: unknown }).cause, codes, depth + 1);
}

export interface HttpFailure {
  status?: number;
  /** Overrides the kind the status alone implies (e.g. from a provider's error type). */
  kind?: ProviderErrorKind;
  retryAfter?: string | null;
  retryAfterMs?: string | null;
  /** The provider's own explanation; shown for bad requests, where it names what to fix. */
  detail?: string;
  /** Removed from `detail` before it reaches a message. */
  secret?: string;
  /** The provider's error code or type (OpenAI's `context_length_exceeded`, Anthropic's `request_too_large`). */
  code?: string;
}

export function httpError(provider: string, failure: HttpFailure): ProviderError {
  const { status } = failure;
  const kind = failure.kind ?? (status === undefined ? 'unknown' : kindForStatus(status));
  const retryAfterMs = parseRetryAfter(failure.retryAfter, failure.retryAfterMs);
  const detail = failure.detail ? cleanDetail(failure.detail, failure.secret) : '';
  // Read from the whole text: the sizes may come after what a message keeps.
  const tooLong = kind === 'bad-request' ? promptTooLongIn(failure.detail, failure.code, status) : undefined;
  if (tooLong) return new ProviderError('prompt-too-long', provider, `${provider} refused the prompt as too long${status === undefined ? '' : ` (${status})`}${detail ? `: ${detail}` : ''}`, status, undefined, 'model', tooLong);
  return new ProviderError(kind, provider, describe(provider, kind, status, detail, failure.code), status, retryAfterMs);
}

/** The error codes and types that say the key itself is wrong, whatever the status (OpenAI's, Anthropic's). */
const KEY_REFUSED_CODES = new Set(['invalid_api_key', 'incorrect_api_key', 'authentication_error', 'invalid_x_api_key']);
/** Words a server's body uses for a key it does not take: "Invalid API key", "API key not valid", "token expired". */
const KEY_REFUSED_WORDS = /\b(?:invalid|incorrect|wrong|unknown|revoked|expired)\b[^.;]{0,20}\b(?:api[ _-]?key|key|token)\b|\b(?:api[ _-]?key|token)\b[^.;]{0,20}\b(?:invalid|not valid|incorrect|revoked|expired)\b/i;

/**
 * Whether an auth failure says the key is refused: a 401, or a 403 whose body says so (some servers answer a bad
 * key with 403). Any other 403 is a permission: a model not enabled on the account, a region, an organisation's
 * policy; a new key would not help, and saying "rejected its API key" would send the user to replace a good one.
 */
export function saysKeyRefused(status: number | undefined, detail: string | undefined, code: string | undefined): boolean {
  if (status === 401) return true;
  return (code !== undefined && KEY_REFUSED_CODES.has(code)) || (detail !== undefined && KEY_REFUSED_WORDS.test(detail));
}

function describe(provider: string, kind: ProviderErrorKind, status: number | undefined, detail: string, errorCode?: string): string {
  const code = status === undefined ? '' : ` (${status})`;
  // An error event inside a 200 stream has no status: the provider's words are all that tell what broke.
  const streamed = status === undefined && detail ? `: ${detail}` : '';
  switch (kind) {
    case 'auth':
      if (saysKeyRefused(status, detail, errorCode)) return `${provider} ${KEY_REJECTED_WORDS}${code}`;
      // Any other 403: the key may be fine but lacks access (a model, a region, an organisation's policy). The
      // provider's own code and words say which (OpenAI's `unsupported_country_region_territory`, Anthropic's
      // `permission_error`); without them, that it is a permission, so no one replaces a good key.
      return `${provider} denied access${status === undefined ? '' : ` (${status}${errorCode ? `, ${errorCode}` : ''})`}: ${detail || 'not a refused key: a permission the account lacks (the model, the region or a policy)'}`;
    case 'rate-limited':
      return `${provider} is rate-limiting requests${code}${streamed}`;
    case 'overloaded':
      return `${provider} is overloaded${code}${streamed}`;
    case 'server':
      return `${provider} had a server error${code}${streamed}`;
    case 'bad-request':
      return `${provider} rejected the request${code}${detail ? `: ${detail}` : ''}`;
    case 'timeout':
      return `${provider} timed out${code}`;
    default:
      return `${provider} failed${code}${detail ? `: ${detail}` : ''}`;
  }
}

/**
 * Keeps a provider's explanation short and free of key material: some
 * providers echo a masked key back ("Incorrect API key provided: sk-ab***yz").
 */
export function cleanDetail(text: string, secret?: string): string {
  // Control characters go first: a server's text reaches terminals (the CLI's stderr), where ESC sequences
  // can retitle the window, hide text or write the clipboard.
  const cleaned = redactKnownSecret(text.replace(/\p{Cc}/gu, ' '), secret).replace(/\s+/g, ' ').trim();
  return cleaned.length > MAX_DETAIL_LENGTH ? `${cleaned.slice(0, MAX_DETAIL_LENGTH - 1)}…` : cleaned;
}

export function unknownError(provider: string, error: unknown, secret?: string): ProviderError {
  const raw = error instanceof Error ? error.message : String(error);
  return new ProviderError('unknown', provider, `${provider} failed: ${cleanDetail(raw, secret) || 'unknown error'}`);
}

/** Reads a header from a fetch `Headers`, a plain record, or nothing. */
export function headerValue(headers: unknown, name: string): string | undefined {
  if (!headers || typeof headers !== 'object') return undefined;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const value = (headers as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * Where a provider pointed at a server of the user's own was asked, for a refused or unresolved connection: the
 * first thing to check with a local server is whether it runs at that address. Its origin and path only: a query
 * or a `user:password@` in the setting has no business in a message (the ledger, the log, the status bar show them).
 */
function serverNote(baseUrl: string | undefined, code: string, tried?: { address: string; port: number }): string {
  if (!baseUrl) return '';
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return '';
  }
  const shown = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  // Node's fetch under NODE_USE_ENV_PROXY connects to HTTP(S)_PROXY, not to the server: a refused proxy is not "is a
  // server running there?" about a server that is. Told by the port the socket tried (a name may resolve to any address).
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  if (tried && tried.port !== port) {
    return `; that was ${tried.address}:${tried.port}, not its baseUrl ${shown}: a proxy in between (HTTPS_PROXY or HTTP_PROXY, used under NODE_USE_ENV_PROXY=1)? check that it runs, or name ${url.hostname} in NO_PROXY`;
  }
  return `; its baseUrl is ${shown}: ${addressCheck(code, url.hostname)}`;
}

/** The address and port a failed socket tried, from the first error in the cause chain that has them. */
function portTried(error: unknown, depth: number): { address: string; port: number } | undefined {
  if (depth > 6 || typeof error !== 'object' || error === null) return undefined;
  const { address, port } = error as { address?: unknown; port?: unknown };
  if (typeof address === 'string' && typeof port === 'number') return { address, port };
  const nested = (error as { errors?: unknown }).errors;
  if (Array.isArray(nested)) {
    for (const inner of nested) {
      const found = portTried(inner, depth + 1);
      if (found) return found;
    }
  }
  return portTried((error as { cause?: unknown }).cause, depth + 1);
}
