/**
 * What a failed Bedrock request is said as: AWS's exceptions by name (thrown before the stream or arriving as its
 * exception events), a proxy's refusal or a web page, a corrupt or cut-off event-stream frame, a connection that
 * failed (naming the endpoint and the setting or variable behind it), then the bare status. Each message names the
 * model and region, since model access and ids are per region. Split from bedrock.ts, which sends and reads the stream.
 */
import { redactUrl } from '../redact';
import type { ProviderSettings } from './provider';
import { ProviderError, kindForStatus, parseRetryAfter, type ProviderErrorKind } from './providerError';
import { addressCheck, cleanDetail, connectionError, endedEarlyError, headerValue, isTlsCode, malformedError, WEB_PAGE_CHECK } from './sdkErrors';
import { promptTooLongIn } from './promptTooLong';
import { ProxyTunnelError } from './proxyTunnel';
import { WebPageAnswer } from './bedrockErrorBodies';

/** AWS error names, thrown before the stream or arriving as exception events inside it. */
const KIND_BY_ERROR_NAME: Readonly<Record<string, ProviderErrorKind>> = {
  ThrottlingException: 'rate-limited',
  ServiceQuotaExceededException: 'rate-limited',
  ServiceUnavailableException: 'overloaded',
  ModelNotReadyException: 'overloaded',
  ModelTimeoutException: 'overloaded',
  InternalServerException: 'server',
  ModelStreamErrorException: 'server',
  ModelErrorException: 'server',
  AccessDeniedException: 'auth',
  UnrecognizedClientException: 'auth',
  InvalidSignatureException: 'auth',
  ExpiredTokenException: 'auth',
  ExpiredTokenError: 'auth',
  CredentialsProviderError: 'auth',
  TokenProviderError: 'auth',
  ValidationException: 'bad-request',
  ResourceNotFoundException: 'bad-request',
  ConflictException: 'bad-request',
};

/** Bedrock's AccessDeniedException for a model the account has not been granted (its IAM denials read otherwise). */
const MODEL_ACCESS_NOT_GRANTED = /don.t have access to the model/i;
/** Newer models answer only through a cross-region inference profile (`us.`, `eu.`, `apac.`…), not their bare id. */
const ON_DEMAND_UNSUPPORTED = /on-demand throughput is(n.t| not) supported/i;
/** An id that already names an inference profile. */
const INFERENCE_PROFILE_ID = /^(us|us-gov|eu|apac|jp|au|ca|global)\./;
/** The inference-profile prefix of a region's geography, where it is one of the common three. */
const PROFILE_PREFIX_BY_REGION: ReadonlyArray<[RegExp, string]> = [
  [/^us-(east|west)-/, 'us.'],
  [/^eu-/, 'eu.'],
  [/^ap-/, 'apac.'],
];

/** AWS's refusal of a request signed too far from its clock, past or future. */
export const SIGNATURE_TIME = /Signature (expired|not yet current)/i;

/** Said of an error whose body was not AWS's JSON. */
const NOT_AWS_BODY = "its body was not AWS's (a proxy or gateway in front of Bedrock answered?)";

/** Raised by the event-stream decoder when a frame's checksum or length is wrong. */
const CORRUPT_FRAME = /checksum|Unrecognizable event type|prelude/i;
/**
 * Raised by the event-stream decoder when the stream ends inside a frame: the connection was closed (or the
 * HTTP/2 stream reset) mid-event, not a frame that arrived garbled. Said as the early end it is.
 */
const TRUNCATED_FRAME = /Truncated event message/i;

/** The error mapper of a Bedrock adapter with `settings`: a ProviderError for what it recognises, else undefined. */
export function bedrockErrors(settings: ProviderSettings): (error: unknown, model: string) => ProviderError | undefined {
  const provider = settings.id;

  /**
   * Where the failed connection went and the setting or variable behind it, as the other providers name their
   * baseUrl: an endpoint set is checked like a server; AWS's own endpoint failing to resolve is most often a region
   * mistyped (or no network), so the region and where it came from are named.
   */
  function addressNote(code: string): string {
    const address = settings.address;
    if (!address) return '';
    if (address.region === undefined) return `; its endpoint is ${redactUrl(address.url)} (${address.from}): ${addressCheck(code, new URL(address.url).hostname)}`;
    const check = code === 'ENOTFOUND' ? `is ${address.region} a region Bedrock runs in? (or is this machine offline?)` : isTlsCode(code) ? 'a proxy or firewall that inspects TLS needs its CA in NODE_EXTRA_CA_CERTS' : 'check the network, or a proxy (HTTPS_PROXY)';
    return `; its endpoint is ${redactUrl(address.url)}, for the region ${address.region} (${address.from}): ${check}`;
  }

  /** A proxy's refusal, AWS exceptions by name, a corrupt event-stream frame, HTTP/2 failures, then the bare status. */
  function awsErrors(error: unknown, model: string): ProviderError | undefined {
    if (error instanceof WebPageAnswer) {
      return new ProviderError('connection', provider, `${provider} answered with "text/html" instead of an event stream: ${WEB_PAGE_CHECK}; else check its endpoint${settings.address ? ` (${redactUrl(settings.address.url)}, ${settings.address.from})` : ''}`);
    }
    if (error instanceof ProxyTunnelError) return new ProviderError('connection', provider, `${provider} could not be reached: ${error.message}`, undefined, undefined, 'provider');
    const name = error instanceof Error ? error.name : '';
    const message = error instanceof Error ? cleanDetail(error.message) : '';
    const status = (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
    const kind = KIND_BY_ERROR_NAME[name];
    // Before the stream or as its exception event (ConverseStream's validationException) alike.
    const tooLong = name === 'ValidationException' ? promptTooLongIn(error instanceof Error ? error.message : '', undefined, status) : undefined;
    if (tooLong) {
      const code = [name, status].filter((part) => part !== undefined).join(', ');
      return new ProviderError('prompt-too-long', provider, `${provider} refused the prompt for ${model} in ${settings.region} as too long (${code})${message ? `: ${message}` : ''}`, status, undefined, 'model', tooLong);
    }
    if (kind) return awsError(kind, name, message, status, error, model);
    if (TRUNCATED_FRAME.test(message)) return endedEarlyError(provider);
    if (CORRUPT_FRAME.test(message)) return malformedError(provider);
    const connection = connectionError(provider, error, addressNote);
    if (connection) return connection;
    if (/http2|did not get a response|abnormally aborted|stream.*(closed|reset)/i.test(message)) {
      return new ProviderError('connection', provider, `${provider} dropped the connection`);
    }
    // A body that is not AWS's JSON (the SDK's JSON.parse failed): a proxy's or a gateway's page, whose parse error says nothing.
    if (status !== undefined && name === 'SyntaxError') return awsError(kindForStatus(status), '', NOT_AWS_BODY, status, error, model);
    if (status !== undefined) return awsError(kindForStatus(status), name, message, status, error, model);
    return undefined;
  }

  function awsError(kind: ProviderErrorKind, name: string, message: string, status: number | undefined, error: unknown, model: string) {
    const headers = (error as { $response?: { headers?: unknown } } | undefined)?.$response?.headers;
    const retryAfterMs = parseRetryAfter(headerValue(headers, 'retry-after'), headerValue(headers, 'retry-after-ms'));
    return new ProviderError(kind, provider, describe(kind, name, message, status, model), status, retryAfterMs);
  }

  /**
   * Model access and model ids are per region: a refusal names both, since the
   * same id may work in the region the user tried it in from the console.
   */
  function describe(kind: ProviderErrorKind, name: string, message: string, status: number | undefined, model: string): string {
    const code = [name, status].filter((part) => part !== undefined && part !== '').join(', ');
    const where = `${model} in ${settings.region}`;
    switch (kind) {
      case 'auth':
        if (name === 'CredentialsProviderError' || name === 'TokenProviderError') {
          return `${provider} found no usable AWS credentials${settings.profile ? ` for profile "${settings.profile}"` : ''}: ${message}`;
        }
        // The credentials were accepted; the account or role may not use this model.
        if (name === 'AccessDeniedException') {
          if (MODEL_ACCESS_NOT_GRANTED.test(message)) {
            return `${provider} has no access to ${where} (${code}): request access to it on the Bedrock console's Model access page for that region`;
          }
          return `${provider} denied access to ${where} (${code})${message ? `: ${message}` : ''}`;
        }
        // Still refused once signed at AWS's time, or with no time to go by: the user's clock is to set.
        if (SIGNATURE_TIME.test(message)) {
          return `${provider} refused the request's signature as dated too far from AWS's clock (${code}): this computer's clock is off by more than 5 minutes; set it right (turn on automatic time sync) and ask again`;
        }
        // Temporary credentials (SSO, assumed roles) run out; the SDK does not refresh environment ones.
        if (name === 'ExpiredTokenException' || name === 'ExpiredTokenError') {
          const login = settings.profile ? `aws sso login --profile ${settings.profile}` : 'aws sso login';
          return `${provider}: the AWS credentials have expired (${code}): refresh them (for SSO, "${login}") and ask again`;
        }
        return `${provider} rejected the AWS credentials (${code})${message ? `: ${message}` : ''}`;
      case 'rate-limited':
        return `${provider} is throttling requests (${code})`;
      case 'overloaded':
        // An imported or provisioned model being loaded: not busy, and ready after a while.
        if (name === 'ModelNotReadyException') return `${provider}: ${model} is not ready yet (${code}): it is being loaded; it is tried again after a short rest`;
        return `${provider} is overloaded (${code})`;
      case 'server':
        return `${provider} had a server error (${code})${message === NOT_AWS_BODY ? `: ${message}` : ''}`;
      default: {
        if (ON_DEMAND_UNSUPPORTED.test(message)) {
          return `${provider} rejected the request for ${where} (${code}): it is served only through an inference profile; ${profileAdvice(model, settings.region)}`;
        }
        return `${provider} rejected the request for ${where} (${code})${message ? `: ${message}` : ''}`;
      }
    }
  }

  return awsErrors;
}

/** What to put in the route instead of a bare model id that needs an inference profile. */
function profileAdvice(model: string, region: string | undefined): string {
  const prefix = PROFILE_PREFIX_BY_REGION.find(([pattern]) => pattern.test(region ?? ''))?.[1];
  if (prefix && !model.startsWith('arn:') && !INFERENCE_PROFILE_ID.test(model)) return `use ${prefix}${model} in the route`;
  return 'use its inference profile id (a us., eu., apac. or global. prefix) in the route';
}
