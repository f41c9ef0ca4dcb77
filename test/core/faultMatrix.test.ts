/**
 * The fault matrix: every provider fault the fakes can play, for each
 * provider, through the real router, adapters and SDKs. Each case states what
 * the user sees (the fallback's answer, or an error with the partial text
 * kept), what the status bar shows (statusModel fed the router's events), and
 * the one ledger record the request leaves (attempts, usage, cost), and that
 * today's spend counts what was billed.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { closedPort } from '../fakes/closedPort';
import { fakeKeys } from '../fakes/fakeKeys';
import type { FakeReply } from '../fakes/index';
import { textGate, type TextGate } from '../fakes/textGate';
import { StatusState, statusView, type Health } from '../../src/vscode/statusModel';
import type { ModelRequest } from '../../src/core/types';
import { NOVA, REQUEST, routerHarness, type Harness } from './routerHarness';

type Provider = 'openai' | 'anthropic' | 'bedrock';

const MODEL: Record<Provider, string> = { openai: 'gpt-5.4-nano', anthropic: 'claude-haiku-4-5', bedrock: NOVA };
/** Each provider's fallback in its route. */
const NEXT: Record<Provider, Provider> = { openai: 'anthropic', anthropic: 'openai', bedrock: 'anthropic' };
const SHORT: Record<Provider, string> = { openai: 'gpt-5.4-nano', anthropic: 'claude-haiku-4-5', bedrock: 'nova-micro' };

/** Generous, so that a busy machine still answers in time, and short enough to keep stalls quick. */
const STALL_LIMIT_MS = 2000;
const ANSWER = 'abcdefghijklmnopqrstuvwxyz012345';
/**
 * A server's 4 MB stack dump, as bytes made once: the fake shares this process with the router, and encoding 4 MB on
 * each request would be the fake's own work counted against the provider's first-token limit.
 */
const LARGE_ERROR_BODY = Buffer.from('stack frame\n'.repeat(350_000));

/** The user got the next model's answer; the failed model is listed in the record. */
interface FellBack {
  sees: 'fallback';
  attemptError: RegExp;
  /** The provider had begun its answer: the failed attempt carries its estimated usage and cost. */
  billed: boolean;
  /** Seconds the failed model rests, read from the cooling note of the next request. */
  restsSeconds?: RegExp;
}

/** The user got an error naming the model, with the text that had streamed kept. */
interface BrokeOff {
  sees: 'partial';
  text: string;
  error: RegExp;
  /** The output recorded, where it is not the text's estimate: held to the request's max at a vendor's own API. */
  outputTokens?: number;
}

interface FaultCase {
  name: string;
  providers: readonly Provider[];
  /** Several for a fault that is to meet a retry too. */
  reply(gate: TextGate, provider: Provider): FakeReply | FakeReply[];
  expect(provider: Provider): FellBack | BrokeOff;
  /** Points the failing provider at a port nothing listens on. */
  refused?: boolean;
  /** Points the failing provider at a host name no resolver knows (`.invalid` is reserved for that). */
  unresolvable?: boolean;
  request?: ModelRequest;
}

const ALL: readonly Provider[] = ['openai', 'anthropic', 'bedrock'];
/** Key-shaped credentials, so that one a message or a record let through would be seen in it. */
const MATRIX_KEYS = {
  OPENAI_API_KEY: fakeKeys.openai('matrix'),
  ANTHROPIC_API_KEY: fakeKeys.anthropic('matrix'),
  AWS_ACCESS_KEY_ID: fakeKeys.awsAccessKeyId('matrix'),
  AWS_SECRET_ACCESS_KEY: fakeKeys.awsSecretAccessKey('matrix'),
};
const KEY_OF: Record<'openai' | 'anthropic', string> = { openai: MATRIX_KEYS.OPENAI_API_KEY, anthropic: MATRIX_KEYS.ANTHROPIC_API_KEY };

/** A host name no resolver knows: `.invalid` is reserved for that (RFC 6761), so the lookup fails at once. */
const UNRESOLVABLE_HOST = 'switchboard-fault.invalid';

/** `text` of the provider's message for an HTTP status, as each adapter words it. */
const statusError = (status: number, bedrock: string) => (provider: Provider) => {
  if (provider === 'bedrock') return new RegExp(`^bedrock ${bedrock}$`);
  const kind = status === 429 ? 'is rate-limiting requests' : status === 529 ? 'is overloaded' : 'had a server error';
  return new RegExp(`^${provider} ${kind} \\(${status}\\)$`);
};

/** How each SDK reports a dropped connection: undici's socket error; the AWS SDK ends a reset HTTP/2 stream quietly, once it has begun. */
const dropped = (provider: Provider, began: boolean) =>
  provider !== 'bedrock'
    ? `${provider} dropped the connection \\(UND_ERR_SOCKET\\)`
    : began
      ? 'bedrock ended the stream before the answer was complete'
      : 'bedrock dropped the connection \\(ERR_HTTP2_STREAM_ERROR\\)';

const fallback = (attemptError: (provider: Provider) => RegExp, extra: Partial<FellBack> = {}) => (provider: Provider): FellBack => ({
  sees: 'fallback',
  attemptError: attemptError(provider),
  billed: false,
  ...extra,
});

/** The provider's own error event inside a stream that had begun well. */
const STREAM_ERROR: Record<Provider, { code: string; message: string }> = {
  // With no status, the provider's words (here the fakes' defaults) say what broke.
  openai: { code: '502', message: 'openai had a server error: Simulated upstream error' },
  anthropic: { code: 'overloaded_error', message: 'anthropic is overloaded: Simulated overloaded_error' },
  bedrock: { code: 'ModelStreamErrorException', message: 'bedrock had a server error \\(ModelStreamErrorException\\)' },
};
const CASES: readonly FaultCase[] = [
  {
    name: '429 with Retry-After',
    providers: ALL,
    reply: (_, provider) => (provider === 'bedrock' ? { errorCode: 'ThrottlingException', retryAfter: '30' } : { status: 429, retryAfter: '30' }),
    expect: fallback(statusError(429, 'is throttling requests \\(ThrottlingException, 429\\)'), { restsSeconds: /^(30|29|28)$/ }),
  },
  {
    // An hour asked: the route goes on to its next model at once, and the model rests 15 minutes (MAX_RETRY_AFTER_MS), not the hour.
    name: '429 with Retry-After of an hour',
    providers: ALL,
    reply: (_, provider) => (provider === 'bedrock' ? { errorCode: 'ThrottlingException', retryAfter: '3600' } : { status: 429, retryAfter: '3600' }),
    expect: fallback(statusError(429, 'is throttling requests \\(ThrottlingException, 429\\)'), { restsSeconds: /^(900|899|898)$/ }),
  },
  {
    name: '429 with Retry-After as an HTTP date',
    providers: ALL,
    // HTTP dates name whole seconds: 30 s from now reads as 29 to 30 s, less the time the request took.
    reply: (_, provider) => {
      const retryAfter = new Date(Date.now() + 30_000).toUTCString();
      return provider === 'bedrock' ? { errorCode: 'ThrottlingException', retryAfter } : { status: 429, retryAfter };
    },
    expect: fallback(statusError(429, 'is throttling requests \\(ThrottlingException, 429\\)'), { restsSeconds: /^(30|29|28|27)$/ }),
  },
  {
    name: '529 with Retry-After',
    providers: ['anthropic'],
    reply: () => ({ status: 529, retryAfter: '20', errorCode: 'overloaded_error', errorMessage: 'Overloaded' }),
    expect: fallback(() => /^anthropic is overloaded \(529\)/, { restsSeconds: /^(20|19|18)$/ }),
  },
  {
    name: '502 with a proxy\'s HTML page',
    providers: ['openai', 'anthropic'],
    reply: () => ({ status: 502, errorText: `<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>`, errorType: 'text/html' }),
    expect: fallback((provider) => new RegExp(`^${provider} had a server error \\(502\\)`)),
  },
  {
    // A hotel's or an airport's Wi-Fi answering every request with its login page, as a 200.
    name: '200 with a captive portal\'s login page',
    providers: ALL,
    reply: () => ({ status: 200, errorText: '<!DOCTYPE html><html><head><title>Sign in to Hotel Wi-Fi</title></head><body><form>Room number</form></body></html>', errorType: 'text/html' }),
    expect: fallback((provider) => new RegExp(`^${provider} answered with "text/html" instead of an event stream: a network's sign-in page \\(hotel or airport Wi-Fi\\)\\? open any site in a browser to sign in; else check its ${provider === 'bedrock' ? 'endpoint' : 'baseUrl'} `)),
  },
  {
    // nginx's page for a client it gave up waiting on: a transient wait, not a request to mend.
    name: '408 from a proxy',
    providers: ['openai', 'anthropic'],
    reply: () => ({ status: 408, errorText: '<html><head><title>408 Request Time-out</title></head><body><h1>408 Request Time-out</h1></body></html>', errorType: 'text/html' }),
    expect: fallback((provider) => new RegExp(`^${provider} timed out \\(408\\)$`), { restsSeconds: /^(5|4|3)$/ }),
  },
  {
    name: '500 with a 4 MB body',
    providers: ALL,
    reply: () => ({ status: 500, errorText: LARGE_ERROR_BODY, errorType: 'text/plain' }),
    expect: fallback((provider) => new RegExp(`^${provider} had a server error \\(500\\)`)),
  },
  {
    // A body read whole would be waited for until the first-token limit, and said as "no first token".
    name: '500 whose body never ends',
    providers: ALL,
    reply: () => ({ status: 500, errorText: 'stack frame\n'.repeat(20_000), errorBodyNeverEnds: true }),
    expect: fallback((provider) => new RegExp(`^${provider} had a server error \\(500\\)`)),
  },
  {
    name: '429 with retry-after-ms',
    providers: ALL,
    reply: (_, provider) => (provider === 'bedrock' ? { errorCode: 'ThrottlingException', retryAfterMs: '2500' } : { status: 429, retryAfterMs: '2500' }),
    expect: fallback(statusError(429, 'is throttling requests \\(ThrottlingException, 429\\)'), { restsSeconds: /^(3|2|1)$/ }),
  },
  {
    name: '429 without Retry-After',
    providers: ALL,
    reply: (_, provider) => (provider === 'bedrock' ? { errorCode: 'ThrottlingException' } : { status: 429 }),
    expect: fallback(statusError(429, 'is throttling requests \\(ThrottlingException, 429\\)'), { restsSeconds: /^(15|14|13)$/ }),
  },
  {
    name: '500',
    providers: ALL,
    reply: () => ({ status: 500 }),
    expect: fallback(statusError(500, 'had a server error \\(InternalServerException, 500\\)'), { restsSeconds: /^[543]$/ }),
  },
  {
    name: '502',
    providers: ALL,
    reply: () => ({ status: 502 }),
    expect: fallback(statusError(502, 'had a server error \\(InternalServerException, 502\\)')),
  },
  {
    name: '503',
    providers: ALL,
    reply: () => ({ status: 503 }),
    expect: fallback(statusError(503, 'is overloaded \\(ServiceUnavailableException, 503\\)')),
  },
  {
    name: '529',
    providers: ALL,
    reply: () => ({ status: 529 }),
    expect: fallback(statusError(529, 'had a server error \\(InternalServerException, 529\\)')),
  },
  ...(['ThrottlingException', 'ModelNotReadyException', 'ServiceUnavailableException'] as const).map(
    (exception): FaultCase => ({
      name: exception,
      providers: ['bedrock'],
      reply: () => ({ errorCode: exception }),
      expect: fallback(() =>
        exception === 'ThrottlingException'
          ? /^bedrock is throttling requests \(ThrottlingException, 429\)$/
          : exception === 'ModelNotReadyException'
            ? /^bedrock: us\.amazon\.nova-micro-v1:0 is not ready yet \(ModelNotReadyException, 429\): it is being loaded/
            : new RegExp(`^bedrock is overloaded \\(${exception}, (429|503)\\)$`),
      ),
    }),
  ),
  {
    name: 'connection refused',
    providers: ALL,
    refused: true,
    reply: () => ({}),
    // A provider pointed at a server by its baseUrl, or Bedrock by its endpoint (the fakes), names that address and
    // the setting that gave it: is a server running there?
    expect: fallback(
      (provider) =>
        new RegExp(
          `^${provider} could not be reached: connection refused \\(ECONNREFUSED\\); ${provider === 'bedrock' ? 'its endpoint is http://127\\.0\\.0\\.1:\\d+ \\(switchboard\\.providers\\.bedrock\\.endpoint\\)' : 'its baseUrl is http://127\\.0\\.0\\.1:\\d+(?:/v1)?'}: is a server running there\\?$`,
        ),
      { restsSeconds: /^[543]$/ },
    ),
  },
  {
    name: 'a host name that does not resolve (DNS)',
    providers: ALL,
    unresolvable: true,
    reply: () => ({}),
    // Not "is a server running there?": the name itself is what to check.
    expect: fallback(
      (provider) =>
        new RegExp(
          `^${provider} could not be reached: host not found \\(ENOTFOUND\\); ${provider === 'bedrock' ? 'its endpoint is http://switchboard-fault\\.invalid:\\d+ \\(switchboard\\.providers\\.bedrock\\.endpoint\\)' : 'its baseUrl is http://switchboard-fault\\.invalid:\\d+(?:/v1)?'}: check the host name switchboard-fault\\.invalid$`,
        ),
      { restsSeconds: /^[543]$/ },
    ),
  },
  {
    name: 'a 200 whose body is an error, not a stream',
    providers: ['openai', 'anthropic'],
    reply: (_, provider) =>
      provider === 'openai'
        ? { status: 200, errorBody: { error: { message: 'Upstream provider returned an error', type: 'server_error', code: 502 } } }
        : { status: 200, errorBody: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } } },
    // The server's own words, and its kind from the body (a 502 in OpenRouter's code, Anthropic's overloaded_error),
    // not "answered with application/json instead of an event stream".
    expect: fallback((provider) => (provider === 'openai' ? /^openai had a server error: Upstream provider returned an error$/ : /^anthropic is overloaded: Overloaded$/)),
  },
  {
    name: 'a 200 whose error body echoes the key sent',
    providers: ['openai', 'anthropic'],
    // A proxy that quotes the request's header back: the words are shown, the key never.
    reply: (_, provider) =>
      provider === 'openai'
        ? { status: 200, errorBody: { error: { message: `Invalid header Authorization: Bearer ${KEY_OF.openai}`, code: 502 } } }
        : { status: 200, errorBody: { type: 'error', error: { type: 'api_error', message: `Invalid x-api-key ${KEY_OF.anthropic}` } } },
    expect: fallback((provider) => (provider === 'openai' ? /^openai had a server error: Invalid header Authorization: Bearer \[redacted\]$/ : /^anthropic had a server error: Invalid x-api-key \[redacted\]$/)),
  },
  {
    name: 'an error event first in a stream, before any text',
    providers: ALL,
    reply: (_, provider) => ({ text: ANSWER, chunks: 4, streamErrorAfterChunks: 0, errorCode: STREAM_ERROR[provider].code }),
    expect: fallback((provider) => new RegExp(`^${STREAM_ERROR[provider].message}$`), { billed: true }),
  },
  {
    name: 'reset before the first byte',
    providers: ALL,
    // Twice: a reset on a kept-alive connection before a byte looks like one the server had closed as idle, and is
    // asked again once on another (staleConnection.ts); the server's reset stands when it comes again.
    reply: () => [{ resetBeforeResponse: true }, { resetBeforeResponse: true }],
    expect: fallback((provider) => new RegExp(`^${dropped(provider, false)}$`)),
  },
  {
    name: 'reset after the stream began, before any text',
    providers: ALL,
    reply: () => ({ text: ANSWER, chunks: 4, resetAfterHeaders: true }),
    expect: fallback((provider) => new RegExp(`^${dropped(provider, true)}$`), { billed: true }),
  },
  {
    name: 'reset mid-stream',
    providers: ALL,
    reply: (gate) => ({ text: ANSWER, chunks: 4, cutAfterChunks: 2, cutOnceReceived: gate.received }),
    expect: (provider) => ({
      sees: 'partial',
      text: ANSWER.slice(0, 16),
      error: new RegExp(`^${provider}:${MODEL[provider]} failed mid-answer: ${dropped(provider, true)}$`),
    }),
  },
  {
    name: 'connection cut mid-event, before any text',
    providers: ALL,
    reply: () => ({ text: ANSWER, chunks: 4, cutAfterChunks: 0, midEvent: true }),
    expect: fallback((provider) => new RegExp(`^${dropped(provider, true)}$`), { billed: true }),
  },
  {
    name: 'connection cut mid-event, after text',
    providers: ALL,
    reply: (gate) => ({ text: ANSWER, chunks: 4, cutAfterChunks: 2, cutOnceReceived: gate.received, midEvent: true }),
    expect: (provider) => ({
      sees: 'partial',
      text: ANSWER.slice(0, 16),
      error: new RegExp(`^${provider}:${MODEL[provider]} failed mid-answer: ${dropped(provider, true)}$`),
    }),
  },
  {
    name: 'a stream that ends cleanly mid-event, after text',
    providers: ALL,
    reply: () => ({ text: ANSWER, chunks: 4, endAfterChunks: 2, midEvent: true }),
    expect: (provider) => ({
      sees: 'partial',
      text: ANSWER.slice(0, 16),
      // The OpenAI SDK parses the half event left at the body's end as JSON; the adapter, which sees where the body
      // ended, says it as the early end it is, as the other two do.
      error: new RegExp(`^${provider}:${MODEL[provider]} failed mid-answer: ${provider} ended the stream before the answer was complete$`),
    }),
  },
  {
    name: 'stall before the first byte',
    providers: ALL,
    reply: () => ({ stall: true }),
    expect: fallback(() => new RegExp(`^no first token within ${STALL_LIMIT_MS} ms \\(switchboard\\.timeouts\\.firstTokenMs\\)$`), { restsSeconds: /^[543]$/ }),
  },
  {
    name: 'stall after the stream began (billing began), before any text',
    providers: ALL,
    reply: () => ({ text: ANSWER, chunks: 4, stallAfterChunks: 0 }),
    expect: fallback(() => new RegExp(`^no first token within ${STALL_LIMIT_MS} ms \\(switchboard\\.timeouts\\.firstTokenMs\\)$`), { billed: true }),
  },
  {
    name: 'stall mid-stream',
    providers: ALL,
    reply: () => ({ text: ANSWER, chunks: 4, stallAfterChunks: 2 }),
    expect: (provider) => ({
      sees: 'partial',
      text: ANSWER.slice(0, 16),
      error: new RegExp(`^${provider}:${MODEL[provider]} failed mid-answer: the stream stalled: nothing for ${STALL_LIMIT_MS} ms \\(switchboard\\.timeouts\\.firstTokenMs\\)$`),
    }),
  },
  {
    name: 'malformed JSON in the first event',
    providers: ALL,
    reply: () => ({ text: ANSWER, chunks: 4, malformedAfterChunks: 0 }),
    expect: fallback((provider) => new RegExp(`^${provider} sent a stream that could not be parsed$`), { billed: true }),
  },
  {
    name: 'malformed JSON mid-stream',
    providers: ALL,
    reply: () => ({ text: ANSWER, chunks: 4, malformedAfterChunks: 2 }),
    expect: (provider) => ({
      sees: 'partial',
      text: ANSWER.slice(0, 16),
      error: new RegExp(`^${provider}:${MODEL[provider]} failed mid-answer: ${provider} sent a stream that could not be parsed$`),
    }),
  },
  {
    name: 'a stream that ends without its final usage and stop events',
    providers: ALL,
    reply: () => ({ text: ANSWER, chunks: 4, endAfterChunks: 4 }),
    expect: (provider) => ({
      sees: 'partial',
      text: ANSWER,
      error: new RegExp(`^${provider}:${MODEL[provider]} failed mid-answer: ${provider} ended the stream before the answer was complete$`),
    }),
  },
  {
    name: 'an answer far longer than max_tokens',
    providers: ALL,
    request: { ...REQUEST, maxTokens: 4 },
    // 4 tokens allow 64 characters; the fake sends 640 in pieces of 40.
    reply: () => ({ text: 'x'.repeat(640), chunks: 16 }),
    expect: (provider) => ({
      sees: 'partial',
      text: 'x'.repeat(80),
      error: new RegExp(`^${provider}:${MODEL[provider]} failed mid-answer: ${provider} sent more than the 4 tokens asked for; stopped reading$`),
      // Bedrock (a custom endpoint is still Bedrock's) stops at maxTokens and bills no more: the 80 characters
      // read are recorded as the 4 tokens asked for. The OpenAI and Anthropic fakes are other servers (not
      // api.openai.com or api.anthropic.com), which may bill all they sent: 20 tokens, the text's estimate.
      ...(provider === 'bedrock' ? { outputTokens: 4 } : {}),
    }),
  },
];

const STREAM_ERROR_CASES: readonly FaultCase[] = ALL.map((provider) => ({
  name: 'an error event inside a healthy stream, after text',
  providers: [provider],
  reply: () => ({ text: ANSWER, chunks: 4, streamErrorAfterChunks: 2, errorCode: STREAM_ERROR[provider].code }),
  expect: () => ({
    sees: 'partial' as const,
    text: ANSWER.slice(0, 16),
    error: new RegExp(`^${provider}:${MODEL[provider]} failed mid-answer: ${STREAM_ERROR[provider].message}$`),
  }),
}));

describe('fault matrix: what the user, the status bar and the ledger see', function () {
  this.timeout(20_000);
  const h = routerHarness('faults');

  async function harnessFor(fault: FaultCase, provider: Provider): Promise<Harness> {
    const next = NEXT[provider];
    const urls = h.fakes.urls;
    const providers = { openai: urls.openai, anthropic: urls.anthropic, bedrock: urls.bedrock };
    if (fault.refused) {
      const port = await closedPort();
      if (provider === 'bedrock') providers.bedrock = { ...urls.bedrock, endpoint: `http://127.0.0.1:${port}` };
      else providers[provider] = { baseUrl: provider === 'openai' ? `http://127.0.0.1:${port}/v1` : `http://127.0.0.1:${port}` };
    }
    if (fault.unresolvable) {
      const host = `http://${UNRESOLVABLE_HOST}:${new URL(urls.openai.baseUrl).port}`;
      if (provider === 'bedrock') providers.bedrock = { ...urls.bedrock, endpoint: host };
      // The key allowed to that host, as a user who set it up did: a host without it is left out before any request.
      else Object.assign(providers, { [provider]: { baseUrl: provider === 'openai' ? `${host}/v1` : host, sendKeyTo: [UNRESOLVABLE_HOST] } });
    }
    return h.open(
      {
        routes: { chat: [`${provider}:${MODEL[provider]}`, `${next}:${MODEL[next]}`] },
        providers,
        timeouts: { firstTokenMs: STALL_LIMIT_MS },
      },
      { env: MATRIX_KEYS },
    );
  }

  function statusOf(harness: Harness): { health: Health; text: string; tooltip: string } {
    const state = new StatusState();
    for (const event of harness.events) state.onRouterEvent(event);
    return statusView(state.input({ simulated: false, anyUsableProvider: true, today: harness.switchboard.spend.today() }));
  }

  for (const fault of [...CASES, ...STREAM_ERROR_CASES]) {
    for (const provider of fault.providers) {
      const expected = fault.expect(provider);
      const next = NEXT[provider];
      it(`${provider}: ${fault.name} → ${expected.sees === 'fallback' ? `${next} answers` : 'an error, the partial text kept'}`, async () => {
        const harness = await harnessFor(fault, provider);
        const gate = textGate(expected.sees === 'partial' ? expected.text : ANSWER.slice(0, 16));
        const replies = [fault.reply(gate, provider)].flat();
        h.fakes[provider].script(...replies);
        // The provider's answer broke off (not the client that stopped reading): the fake bills what it sent.
        const brokeOff = replies.some((reply) => [reply.cutAfterChunks, reply.stallAfterChunks, reply.endAfterChunks, reply.malformedAfterChunks, reply.streamErrorAfterChunks].some((count) => count !== undefined));

        const result = await harness.run('chat', { onText: gate.onText, ...(fault.request ? { request: fault.request } : {}) });
        const { record } = result;
        const status = statusOf(harness);

        if (expected.sees === 'fallback') {
          // The user: the next model's whole answer.
          assert.equal(result.error, undefined);
          assert.match(result.text, new RegExp(`^Simulated answer from ${MODEL[next].replace(/\./g, '\\.')}`));
          // The status bar: a fallback, naming the model that failed.
          assert.equal(status.health, 'fell-back');
          assert.ok(status.text.includes(`(${SHORT[provider]} failed)`), status.text);
          // The ledger: one record, answered by the fallback, the failed model listed with why.
          assert.equal(record.outcome, 'ok');
          assert.deepEqual([record.provider, record.model, record.requestedModel], [next, MODEL[next], `${provider}:${MODEL[provider]}`]);
          assert.equal(record.usageEstimated, false);
          assert.equal(record.attempts.length, 1);
          const [attempt] = record.attempts;
          assert.deepEqual([attempt?.provider, attempt?.model], [provider, MODEL[provider]]);
          assert.match(attempt?.error ?? '', expected.attemptError);
          const answerCost = harness.switchboard.priceTable.lookup(next, MODEL[next]);
          assert.ok(answerCost);
          if (expected.billed) {
            assert.ok(attempt?.usage && attempt.usage.inputTokens > 0, 'the prompt is billed');
            assert.equal(typeof attempt?.costUsd, 'number');
            assert.ok((attempt?.costUsd ?? 0) > 0);
          } else {
            assert.equal(attempt?.usage, undefined, 'nothing billed for a request the provider did not take');
            assert.equal(attempt?.costUsd, undefined);
          }
          if (expected.restsSeconds) {
            const again = await harness.run('chat');
            assert.equal(again.record.provider, next);
            const note = again.record.attempts[0]?.error ?? '';
            const seconds = /^cooling down \((\d+)s left\)/.exec(note)?.[1] ?? note;
            assert.match(seconds, expected.restsSeconds);
          }
        } else {
          // The user: the text that streamed, and an error naming the model.
          assert.equal(result.text, expected.text);
          assert.match(result.error ?? '', expected.error);
          assert.equal(h.fakes[next].requests.length, 0, 'no fallback once text has been shown');
          // The status bar: the model broke off, with what it cost.
          assert.equal(status.health, 'error');
          assert.ok(status.text.includes(`${SHORT[provider]} broke off`), status.text);
          assert.match(status.tooltip, /The partial answer was kept/);
          // The ledger: one record, usage estimated from the text, billed.
          assert.equal(record.outcome, 'error');
          assert.equal(record.error, result.error);
          assert.deepEqual([record.provider, record.model], [provider, MODEL[provider]]);
          assert.deepEqual(record.attempts, []);
          assert.equal(record.usageEstimated, true);
          if (expected.outputTokens !== undefined) assert.equal(record.usage.outputTokens, expected.outputTokens);
          else assert.equal(record.usage.outputTokens >= Math.ceil(expected.text.length / 4), true);
          assert.ok((record.costUsd ?? 0) > 0, 'a broken answer is billed');
          // Billed once, as the provider bills it: one request sent, not asked again after its answer began; where the
          // provider broke off, its one bill is the usage the ledger holds (what was received, estimated by the same rule).
          assert.equal(h.fakes[provider].requests.length, 1, 'sent once');
          assert.equal(h.fakes[provider].bills.length, 1, 'billed once');
          const [bill] = h.fakes[provider].bills;
          if (brokeOff) {
            assert.equal(bill?.complete, false);
            assert.deepEqual(
              [record.usage.inputTokens, record.usage.outputTokens],
              [bill?.usage.inputTokens, bill?.usage.outputTokens],
              'the ledger holds what the provider billed',
            );
          }
        }
        // No key anywhere the user or another reader sees it: the error, the ledger's file, the router's events, the status bar.
        const seen = [result.error ?? '', await readFile(harness.ledgerPath, 'utf8'), JSON.stringify(harness.events), status.text, status.tooltip].join('\n');
        for (const [name, key] of Object.entries(MATRIX_KEYS)) assert.ok(!seen.includes(key), `${name} appears in what the user sees`);
        // Today's spend counts everything billed, failed attempts included.
        const spent = harness.switchboard.spend.today().total.costUsd;
        assert.ok(Math.abs(spent - (harness.events.filter((e) => e.type === 'finished').reduce((sum, e) => sum + (e.type === 'finished' ? (e.record.costUsd ?? 0) : 0), 0))) < 1e-12);
        if (expected.sees === 'fallback' && expected.billed) {
          const attemptCost = record.attempts[0]?.costUsd ?? 0;
          assert.ok(record.costUsd !== null && record.costUsd > attemptCost, 'the record costs the answer plus the billed attempt');
        }
      });
    }
  }
});
