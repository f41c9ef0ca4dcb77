import {
  BedrockRuntimeClient,
  ConverseStreamCommand,
  type ConverseStreamCommandInput,
  type Message,
  type ReasoningContentBlockDelta,
  type TokenUsage,
} from '@aws-sdk/client-bedrock-runtime';
import { redactUrl } from '../redact';
import { NodeHttp2Handler, NodeHttpHandler } from '@smithy/node-http-handler';
import type { ModelRequest, StreamEvent, Usage } from '../types';
import type { CheckFound, ProviderAdapter, ProviderSettings } from './provider';
import { ProviderError, kindForStatus, parseRetryAfter, type ProviderErrorKind } from './providerError';
import { guardStream, mapSdkError } from './adapterStream';
import { addressCheck, cleanDetail, connectionError, endedEarlyError, headerValue, isTlsCode, malformedError, WEB_PAGE_CHECK } from './sdkErrors';
import { usableStops } from './stopSequences';
import { promptTooLongIn } from './promptTooLong';
import { refusedUnprocessed, sharingHttp2Sessions } from './bedrockSessions';
import { failedOnStaleConnection } from './staleConnection';
import { ProxyTunnelError, TunnelHttpAgent, TunnelHttpsAgent } from './proxyTunnel';
import { awaitingCredentials } from './connectionPhases';
import { SharedCredentialFetch, tellingRequestsSent } from './bedrockCredentials';
import { boundingBedrockErrorBodies, WebPageAnswer } from './bedrockErrorBodies';
import { ThinkBlockFilter } from './thinkBlock';

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
const SIGNATURE_TIME = /Signature (expired|not yet current)/i;
/** How far from AWS's clock a signature may be dated (5 minutes), less a minute for the Date header's rounding and the trip. */
const CLOCK_TOLERANCE_MS = 4 * 60_000;

/** Said of an error whose body was not AWS's JSON. */
const NOT_AWS_BODY = "its body was not AWS's (a proxy or gateway in front of Bedrock answered?)";

/** Raised by the event-stream decoder when a frame's checksum or length is wrong. */
const CORRUPT_FRAME = /checksum|Unrecognizable event type|prelude/i;
/**
 * Raised by the event-stream decoder when the stream ends inside a frame: the connection was closed (or the
 * HTTP/2 stream reset) mid-event, not a frame that arrived garbled. Said as the early end it is.
 */
const TRUNCATED_FRAME = /Truncated event message/i;

/**
 * The client's own endpoint, and those of the clients its credential chain makes (STS for an assumed role or web
 * identity, SSO and SSO-OIDC for an SSO profile), not taken from AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE> or a
 * profile's endpoint_url. The chain is built from the client's configuration and passes its `clientConfig` on to
 * those clients (the `clientConfig` of fromIni, fromSSO and fromTokenFile); without it, a container's
 * AWS_ENDPOINT_URL would receive the AssumeRole request signed with the user's keys (replayable to AWS for the
 * role's credentials) or the SSO access token.
 */
const remoteWindowEndpoints = { ignoreConfiguredEndpointUrls: true, clientConfig: { ignoreConfiguredEndpointUrls: true } } as { ignoreConfiguredEndpointUrls: true };

/**
 * AWS Bedrock through the Converse API, which speaks one shape for Claude,
 * Nova, Titan, Llama and the rest, including cross-region inference profiles
 * (`us.`, `eu.`, `apac.`, `global.`) and prompt-router ARNs.
 */
export function createBedrockProvider(settings: ProviderSettings): ProviderAdapter {
  const provider = settings.id;
  // The client's credentials, through a provider of ours over the SDK's default chain (bedrockCredentials.ts): a
  // request's wait for them (an SSO token refresh, an assume-role call, a credential_process, shared by the requests
  // asking meanwhile) is said as theirs when the first-token limit runs out in it (connectionPhases.ts). The profile
  // goes to the chain, so SSO, assume-role and credential_process profiles work as they do in the AWS CLI.
  const credentials = new SharedCredentialFetch(settings.credentialSource ?? 'the AWS credential chain', {
    ...(settings.profile && { profile: settings.profile }),
    ...(settings.ignoreConfiguredEndpoints && { clientConfig: { ignoreConfiguredEndpointUrls: true } }),
  });
  const client = new BedrockRuntimeClient({
    region: settings.region,
    ...(settings.endpoint && { endpoint: settings.endpoint }),
    // The profile's region, when none is set (the credentials' chain is given it above).
    ...(settings.profile && { profile: settings.profile }),
    credentials: credentials.provide,
    // A remote window's environment and AWS config may be the repository's (core/remoteWindow.ts).
    ...(settings.ignoreConfiguredEndpoints && remoteWindowEndpoints),
    // The router is the one retry loop.
    maxAttempts: 1,
    // Behind a proxy (bedrockProxy.ts): HTTP/1.1 through a CONNECT tunnel, since no proxy support covers the
    // default HTTP/2 connection. Without one the SDK's own HTTP/2 handler, one session kept per endpoint across
    // requests (bedrockSessions.ts). Either reads
    // no more of an error body than its message needs (bedrockErrorBodies.ts), and tells a request handed to it as
    // sent, its credentials in hand (bedrockCredentials.ts).
    requestHandler: tellingRequestsSent(
      boundingBedrockErrorBodies(
        settings.proxy
          ? new NodeHttpHandler({ httpAgent: new TunnelHttpAgent(settings.proxy), httpsAgent: new TunnelHttpsAgent(settings.proxy) })
          : sharingHttp2Sessions(new NodeHttp2Handler()),
      ),
    ),
  });

  /**
   * AWS refuses a request signed more than 5 minutes from its own clock ("Signature expired", "not yet current").
   * The SDK learns the offset from such a refusal's Date header (and says so in `clockSkewCorrected`), but only
   * its own retry, which the router keeps it from (maxAttempts 1), would sign with it: the request failed, and the
   * route fell back, though the next would pass. The request (refused unread, billed nothing) is signed again here,
   * once. Where the SDK did not learn the offset (it leaves some event-stream operations out), it is taken from
   * the refusal as the SDK would.
   */
  function correctsClock(error: unknown, signal: AbortSignal): boolean {
    if (signal.aborted || !(error instanceof Error) || !SIGNATURE_TIME.test(error.message)) return false;
    if ((error as { $metadata?: { clockSkewCorrected?: boolean } }).$metadata?.clockSkewCorrected === true) return true;
    const date = headerValue((error as { $response?: { headers?: unknown } }).$response?.headers, 'date');
    const serverTime = date ? Date.parse(date) : Number.NaN;
    if (!Number.isFinite(serverTime)) return false;
    const offset = serverTime - Date.now();
    // Within AWS's tolerance the clock is not what is wrong (or it was corrected already): the refusal stands.
    if (Math.abs(offset - (client.config.systemClockOffset ?? 0)) < CLOCK_TOLERANCE_MS) return false;
    client.config.systemClockOffset = offset;
    return true;
  }

  /**
   * Sends, and asks again once each: a request refused for the clock (correctsClock), and one that met a kept-alive
   * connection the server had just closed, before a byte of its answer (staleConnection.ts, the HTTP/1.1 way behind a
   * proxy), or whose HTTP/2 stream the server refused unprocessed on the session kept from an earlier request
   * (bedrockSessions.ts). Each try is a new command, built and signed again from the same input.
   */
  async function send(input: ConverseStreamCommandInput, signal: AbortSignal) {
    let staleRetried = false;
    let clockCorrected = false;
    for (;;) {
      try {
        awaitingCredentials(credentials.fetching);
        return await untilAborted(client.send(new ConverseStreamCommand(input), { abortSignal: signal }), signal);
      } catch (error) {
        if (!staleRetried && !signal.aborted && (failedOnStaleConnection(error) || refusedUnprocessed(error))) staleRetried = true;
        else if (!clockCorrected && correctsClock(error, signal)) clockCorrected = true;
        else throw error;
      }
    }
  }

  async function* events(model: string, request: ModelRequest, signal: AbortSignal): AsyncGenerator<StreamEvent, boolean> {
    const response = await send(converseInput(model, request), signal);
    if (!response.stream) throw malformedError(provider);
    yield { type: 'started' };
    let finished = false;
    // A model imported into Bedrock (Qwen3, a DeepSeek-R1 distill, by Custom Model Import) answers through Converse
    // with its template's `<think>…</think>` in the text (thinkBlock.ts). Only a block the text opens is taken: the
    // model's name cannot say more (an imported model is an ARN), and Bedrock's own DeepSeek-R1 (`us.deepseek.r1-v1:0`),
    // whose name would say "may begin inside", sends its thinking apart, so its answer would be held to the end.
    const thinkBlock = new ThinkBlockFilter(false);
    for await (const event of response.stream) {
      if (event.contentBlockDelta) {
        const delta = event.contentBlockDelta.delta;
        // DeepSeek-R1 and Claude with extended thinking think in reasoningContent deltas before the answer's text.
        const thinking = reasoningChars(delta?.reasoningContent);
        if (thinking !== undefined) yield { type: 'reasoning', chars: thinking };
        const text = delta?.text;
        if (text) yield* thinkBlock.push(text);
      } else if (event.metadata) {
        finished = true;
        if (event.metadata.usage) yield { type: 'usage', usage: normaliseUsage(event.metadata.usage) };
        const invokedModel = event.metadata.trace?.promptRouter?.invokedModelId;
        if (invokedModel) yield { type: 'model', model: invokedModel };
      } else if (event.messageStop) {
        finished = true;
        if (event.messageStop.stopReason === 'max_tokens') yield { type: 'max-tokens' };
      }
    }
    yield* thinkBlock.end();
    return finished;
  }

  const stream = (model: string, request: ModelRequest, signal: AbortSignal) =>
    guardStream(provider, signal, events(model, request, signal), (error) => mapSdkError(provider, error, signal, (thrown) => awsErrors(thrown, model)));

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

  /**
   * Resolves credentials through the same chain a request uses (environment, profile, SSO, container or instance
   * role), which costs nothing. Bedrock's runtime API has no free request to make, and listing models is another
   * service with permissions of its own, so the endpoint itself is not asked.
   */
  const check = async (signal: AbortSignal): Promise<CheckFound> => {
    const aborted = new Promise<never>((_, reject) => {
      const stop = () => reject(Object.assign(new Error('the AWS credential chain did not answer in time'), { name: 'CredentialsProviderError' }));
      if (signal.aborted) stop();
      else signal.addEventListener('abort', stop, { once: true });
    });
    try {
      await Promise.race([client.config.credentials(), aborted]);
    } catch (error) {
      // Not mapSdkError's `signal.aborted` case: a chain that hangs is a credentials problem, not a cancel.
      throw mapSdkError(provider, error, new AbortController().signal, (thrown) => awsErrors(thrown, '(credentials)'));
    }
    return { detail: `AWS credentials resolved for ${settings.region}` };
  };

  return { id: provider, kind: 'bedrock', stream, check, dispose: () => client.destroy() };
}

/**
 * `sending`, or an abort as soon as `signal` fires. The SDK sees the signal only once its handler has the request:
 * before, it waits for the credentials to sign with (a credential_process, an SSO refresh, an assume-role call) and
 * would keep a stopped or timed-out request waiting for them. Left behind, the send finds the signal aborted when it
 * reaches the handler, and sends nothing.
 */
function untilAborted<T>(sending: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    sending.catch(() => undefined);
    return Promise.reject(abortError());
  }
  return new Promise<T>((resolve, reject) => {
    const stop = () => reject(abortError());
    signal.addEventListener('abort', stop, { once: true });
    sending.then(
      (value) => (signal.removeEventListener('abort', stop), resolve(value)),
      (error: unknown) => (signal.removeEventListener('abort', stop), reject(error)),
    );
  });
}

function abortError(): Error {
  return Object.assign(new Error('Request aborted'), { name: 'AbortError' });
}

function converseInput(model: string, request: ModelRequest): ConverseStreamCommandInput {
  const messages: Message[] = request.messages.map((message) => ({
    role: message.role,
    content: [{ text: message.content }],
  }));
  let system = request.system;
  // Titan rejects a system prompt in Converse, so it travels with the first user turn instead.
  if (system && /titan/i.test(model)) {
    const firstUser = messages.find((message) => message.role === 'user');
    const firstBlock = firstUser?.content?.[0];
    if (firstBlock && 'text' in firstBlock && firstBlock.text !== undefined) {
      firstBlock.text = `${system}\n\n${firstBlock.text}`;
    } else {
      messages.unshift({ role: 'user', content: [{ text: system }] });
    }
    system = undefined;
  }
  return {
    modelId: model,
    messages,
    ...(system && { system: [{ text: system }] }),
    inferenceConfig: {
      maxTokens: request.maxTokens,
      ...(request.temperature !== undefined && { temperature: request.temperature }),
      ...(usableStops(request.stop) && { stopSequences: usableStops(request.stop) }),
    },
  };
}

/** Bedrock's inputTokens already excludes cache reads and writes. */
export function normaliseUsage(usage: TokenUsage): Partial<Usage> {
  return {
    inputTokens: usage.inputTokens ?? 0,
    outputTokens: usage.outputTokens ?? 0,
    cacheReadTokens: usage.cacheReadInputTokens ?? 0,
    cacheWriteTokens: usage.cacheWriteInputTokens ?? 0,
  };
}

/** What to put in the route instead of a bare model id that needs an inference profile. */
function profileAdvice(model: string, region: string | undefined): string {
  const prefix = PROFILE_PREFIX_BY_REGION.find(([pattern]) => pattern.test(region ?? ''))?.[1];
  if (prefix && !model.startsWith('arn:') && !INFERENCE_PROFILE_ID.test(model)) return `use ${prefix}${model} in the route`;
  return 'use its inference profile id (a us., eu., apac. or global. prefix) in the route';
}

/**
 * How much reasoning a `reasoningContent` delta carries, undefined for none: its text; Claude's redacted thinking as
 * the length of its encrypted bytes (the thinking is there, billed as output, only unreadable); the signature that
 * closes Claude's thinking block as 0, still reasoning for the stalled-stream watchdog (router/attempt.ts).
 */
function reasoningChars(content: ReasoningContentBlockDelta | undefined): number | undefined {
  if (!content) return undefined;
  if (content.text) return content.text.length;
  if (content.redactedContent) return content.redactedContent.byteLength;
  if (content.signature) return 0;
  return undefined;
}
