import {
  BedrockRuntimeClient,
  ConverseStreamCommand,
  type ConverseStreamCommandInput,
  type Message,
  type ReasoningContentBlockDelta,
  type TokenUsage,
} from '@aws-sdk/client-bedrock-runtime';
import { NodeHttp2Handler, NodeHttpHandler } from '@smithy/node-http-handler';
import type { ModelRequest, StreamEvent, Usage } from '../types';
import type { CheckFound, ProviderAdapter, ProviderSettings } from './provider';
import { guardStream, mapSdkError } from './adapterStream';
import { headerValue, malformedError } from './sdkErrors';
import { usableStops } from './stopSequences';
import { refusedUnprocessed, sharingHttp2Sessions } from './bedrockSessions';
import { failedOnStaleConnection } from './staleConnection';
import { TunnelHttpAgent, TunnelHttpsAgent } from './proxyTunnel';
import { awaitingCredentials } from './connectionPhases';
import { SharedCredentialFetch, tellingRequestsSent } from './bedrockCredentials';
import { boundingBedrockErrorBodies } from './bedrockErrorBodies';
import { bedrockErrors, SIGNATURE_TIME } from './bedrockErrors';
import { ThinkBlockFilter } from './thinkBlock';

/** How far from AWS's clock a signature may be dated (5 minutes), less a minute for the Date header's rounding and the trip. */
const CLOCK_TOLERANCE_MS = 4 * 60_000;

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

  // A proxy's refusal, AWS exceptions by name, a corrupt event-stream frame, HTTP/2 failures, then the bare status.
  const awsErrors = bedrockErrors(settings);

  const stream = (model: string, request: ModelRequest, signal: AbortSignal) =>
    guardStream(provider, signal, events(model, request, signal), (error) => mapSdkError(provider, error, signal, (thrown) => awsErrors(thrown, model)));


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
