import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createBedrockProvider } from '../../../src/core/providers/bedrock';
import type { ProviderAdapter, ProviderSettings } from '../../../src/core/providers/provider';
import { type ProviderError } from '../../../src/core/providers/providerError';
import type { ModelRequest } from '../../../src/core/types';
import { collectStream } from '../../fakes/collectStream';
import { assertReportsMaxTokensStop } from './maxTokensStop';
import { assertCancelsBeforeFirstByte, assertCancelsMidAnswer, assertCutMidAnswer, assertMalformedAfterText } from './brokenStreams';
import { startFakeBedrock, type FakeServer } from '../../fakes/index';
import { closedPort } from '../../fakes/closedPort';
import { setTestAwsKeys, type TestAwsEnvironment } from '../../fakes/awsEnv';

const REQUEST: ModelRequest = {
  system: 'Answer briefly.',
  messages: [{ role: 'user', content: 'What is a prompt router?' }],
  maxTokens: 200,
  temperature: 0.5,
  stop: ['</answer>'],
};
const CLAUDE = 'anthropic.claude-sonnet-4-5-20250929-v1:0';
const ROUTER_ARN = 'arn:aws:bedrock:us-east-1:123456789012:default-prompt-router/anthropic.claude:1';

/** Runs with the environment's access key removed, as for someone who signs in through a profile. */
async function withoutEnvironmentKeys<T>(run: () => Promise<T>): Promise<T> {
  const key = process.env.AWS_ACCESS_KEY_ID;
  delete process.env.AWS_ACCESS_KEY_ID;
  try {
    return await run();
  } finally {
    process.env.AWS_ACCESS_KEY_ID = key;
  }
}

describe('Bedrock provider', () => {
  let fake: FakeServer;
  let awsEnv: TestAwsEnvironment;
  let awsDir: string;
  const adapter = (extra: Partial<ProviderSettings> = {}): ProviderAdapter =>
    createBedrockProvider({ id: 'bedrock', kind: 'bedrock', region: 'us-east-1', endpoint: fake.url, ...extra });
  const stream = (provider: ProviderAdapter, model = CLAUDE, request = REQUEST, signal = new AbortController().signal) =>
    collectStream(provider.stream(model, request, signal));
  const lastBody = () => fake.requests.at(-1)?.body as Record<string, unknown>;

  before(async () => {
    fake = await startFakeBedrock();
    // Keep the developer's own AWS setup and the EC2 metadata service out of the tests.
    awsEnv = await setTestAwsKeys();
    awsDir = awsEnv.dir;
  });
  afterEach(() => fake.reset());
  after(async () => {
    await fake.close();
    await awsEnv.restore();
  });

  it('streams text over HTTP/2 and reports usage with cache reads and writes apart from input', async () => {
    fake.script({
      text: 'A router picks the model per prompt.',
      chunks: 4,
      usage: { inputTokens: 20, cacheReadTokens: 1000, cacheWriteTokens: 50, outputTokens: 11 },
    });
    const result = await stream(adapter());
    assert.equal(result.error, undefined);
    assert.equal(result.text, 'A router picks the model per prompt.');
    assert.equal(result.textEvents, 4);
    assert.deepEqual(result.usage, { inputTokens: 20, cacheReadTokens: 1000, cacheWriteTokens: 50, outputTokens: 11 });
    assert.deepEqual(result.models, []);
  });

  it('sends system, messages and inference settings in the Converse shape, signed with the environment credentials', async () => {
    await stream(adapter());
    const request = fake.requests[0];
    assert.equal(request?.path, `/model/${encodeURIComponent(CLAUDE)}/converse-stream`);
    assert.match(String(request?.headers.authorization), /Credential=FAKEKEYIDFORTESTS001\/\d+\/us-east-1\/bedrock\//);
    assert.deepEqual(lastBody(), {
      messages: [{ role: 'user', content: [{ text: 'What is a prompt router?' }] }],
      system: [{ text: 'Answer briefly.' }],
      inferenceConfig: { maxTokens: 200, temperature: 0.5, stopSequences: ['</answer>'] },
    });
  });

  it('reports a thinking model’s reasoningContent apart from its answer (DeepSeek-R1 through Converse)', async () => {
    const thought = 'The user asks about prompt routers. ';
    fake.script({ reasoning: { text: thought, chunks: 3 }, text: 'It picks a model per request.', chunks: 2 });
    const result = await stream(adapter(), 'us.deepseek.r1-v1:0');
    assert.equal(result.error, undefined);
    assert.equal(result.text, 'It picks a model per request.');
    assert.equal(result.reasoningChars, thought.length);
  });

  it('says when the provider stopped the answer at its max output, and not otherwise', () => assertReportsMaxTokensStop(fake, () => stream(adapter())));

  it('reports the model a prompt router chose', async () => {
    const chosen = 'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-haiku-4-5-20251001-v1:0';
    fake.script({ text: 'Routed.', invokedModelId: chosen });
    const result = await stream(adapter(), ROUTER_ARN);
    assert.equal(result.text, 'Routed.');
    assert.deepEqual(result.models, [chosen]);
    assert.equal(fake.requests[0]?.path, `/model/${encodeURIComponent(ROUTER_ARN)}/converse-stream`);
  });

  it('calls a regional inference profile by its id', async () => {
    const profile = 'eu.amazon.nova-pro-v1:0';
    const result = await stream(adapter({ region: 'eu-west-1' }), profile);
    assert.match(result.text, /eu\.amazon\.nova-pro-v1:0/);
    assert.equal(fake.requests[0]?.path, `/model/${encodeURIComponent(profile)}/converse-stream`);
    assert.match(String(fake.requests[0]?.headers.authorization), /\/eu-west-1\/bedrock\//);
  });

  it('folds the system prompt into the first user message for Titan, which rejects one', async () => {
    await stream(adapter(), 'amazon.titan-text-premier-v1:0');
    const body = lastBody();
    assert.equal(body.system, undefined);
    assert.deepEqual(body.messages, [{ role: 'user', content: [{ text: 'Answer briefly.\n\nWhat is a prompt router?' }] }]);
  });

  it('uses the credentials of a named profile', async () => {
    // A file of its own: the SDK caches shared files by path for the life of the process.
    const credentialsFile = path.join(awsDir, 'profile-credentials');
    await writeFile(
      credentialsFile,
      '[switchboard-test]\naws_access_key_id = FAKEPROFILEKEYID0001\naws_secret_access_key = profile-secret\n',
    );
    process.env.AWS_SHARED_CREDENTIALS_FILE = credentialsFile;
    try {
      const result = await withoutEnvironmentKeys(() => stream(adapter({ profile: 'switchboard-test' })));
      assert.equal(result.error, undefined);
      assert.match(String(fake.requests[0]?.headers.authorization), /Credential=FAKEPROFILEKEYID0001\//);
    } finally {
      process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(awsDir, 'credentials');
    }
  });

  it('reports missing credentials as auth, naming the profile', async () => {
    const result = await withoutEnvironmentKeys(() => stream(adapter({ profile: 'switchboard-missing' })));
    const error = result.error as ProviderError;
    assert.equal(error.kind, 'auth');
    assert.match(error.message, /^bedrock found no usable AWS credentials for profile "switchboard-missing"/);
    assert.equal(fake.requests.length, 0);
  });

  it('closes the HTTP/2 stream and throws a cancelled error when aborted mid-answer', async () => {
    await assertCancelsMidAnswer(fake, (signal) => adapter().stream(CLAUDE, REQUEST, signal));
  });

  it('closes the HTTP/2 stream when aborted before the first byte', async () => {
    await assertCancelsBeforeFirstByte(fake, (signal) => adapter().stream(CLAUDE, REQUEST, signal));
  });

  it('maps each AWS exception to the kind the router acts on, without retrying', async () => {
    const cases: Array<[string, string]> = [
      ['ThrottlingException', 'rate-limited'],
      ['ServiceUnavailableException', 'overloaded'],
      ['ModelNotReadyException', 'overloaded'],
      ['ModelTimeoutException', 'overloaded'],
      ['InternalServerException', 'server'],
      ['AccessDeniedException', 'auth'],
      ['ExpiredTokenException', 'auth'],
      ['ValidationException', 'bad-request'],
      ['ResourceNotFoundException', 'bad-request'],
    ];
    const kinds: Array<[string, string]> = [];
    for (const [name] of cases) {
      fake.script({ errorCode: name });
      kinds.push([name, ((await stream(adapter())).error as ProviderError).kind]);
    }
    assert.deepEqual(kinds, cases);
    assert.equal(fake.requests.length, cases.length);
  });

  it('reports a throttle with its status and Retry-After delay', async () => {
    fake.script({ errorCode: 'ThrottlingException', retryAfter: '3' });
    const error = (await stream(adapter())).error as ProviderError;
    assert.equal(error.status, 429);
    assert.equal(error.retryAfterMs, 3000);
    assert.equal(error.message, 'bedrock is throttling requests (ThrottlingException, 429)');
  });

  it('says model access is not granted, naming the model and region, rather than blaming the credentials', async () => {
    fake.script({ errorCode: 'AccessDeniedException', errorMessage: "You don't have access to the model with the specified model ID." });
    const error = (await stream(adapter({ region: 'eu-west-1' }))).error as ProviderError;
    assert.equal(error.kind, 'auth');
    assert.equal(
      error.message,
      `bedrock has no access to ${CLAUDE} in eu-west-1 (AccessDeniedException, 403): request access to it on the Bedrock console's Model access page for that region`,
    );
  });

  it('names the model and region of a request the service refused, and the inference profile to use for an on-demand id', async () => {
    fake.script(
      { errorCode: 'ValidationException', errorMessage: 'The provided model identifier is invalid.' },
      {
        errorCode: 'ValidationException',
        errorMessage: `Invocation of model ID ${CLAUDE} with on-demand throughput isn’t supported. Retry your request with the ID or ARN of an inference profile that contains this model.`,
      },
    );
    const invalid = (await stream(adapter(), 'anthropic.claude-sonet-5')).error as ProviderError;
    const onDemand = (await stream(adapter({ region: 'eu-central-1' }))).error as ProviderError;
    assert.equal(invalid.kind, 'bad-request');
    assert.equal(invalid.message, 'bedrock rejected the request for anthropic.claude-sonet-5 in us-east-1 (ValidationException, 400): The provided model identifier is invalid.');
    assert.equal(onDemand.kind, 'bad-request');
    assert.equal(
      onDemand.message,
      `bedrock rejected the request for ${CLAUDE} in eu-central-1 (ValidationException, 400): it is served only through an inference profile; use eu.${CLAUDE} in the route`,
    );
  });

  it('says expired credentials have expired and how to refresh them, and a model still loading that it is', async () => {
    fake.script(
      { errorCode: 'ExpiredTokenException', errorMessage: 'The security token included in the request is expired' },
      { errorCode: 'ModelNotReadyException', errorMessage: 'Model is not ready for inference. Wait and try your request again.' },
    );
    const expired = (await stream(adapter())).error as ProviderError;
    const loading = (await stream(adapter())).error as ProviderError;
    assert.equal(expired.kind, 'auth');
    assert.equal(
      expired.message,
      'bedrock: the AWS credentials have expired (ExpiredTokenException, 403): refresh them (for SSO, "aws sso login") and ask again',
    );
    assert.equal(loading.kind, 'overloaded', 'rests, then is tried again');
    assert.equal(loading.message, `bedrock: ${CLAUDE} is not ready yet (ModelNotReadyException, 429): it is being loaded; it is tried again after a short rest`);
  });

  it('reports credentials the service does not recognise as auth', async () => {
    const guarded = await startFakeBedrock({ accessKeyId: 'FAKEKEYSOMEONEELSE01' });
    try {
      const provider = createBedrockProvider({ id: 'bedrock', kind: 'bedrock', region: 'us-east-1', endpoint: guarded.url });
      const error = (await stream(provider)).error as ProviderError;
      assert.equal(error.kind, 'auth');
      assert.equal(error.status, 403);
      assert.doesNotMatch(error.message, /fake-secret/);
    } finally {
      await guarded.close();
    }
  });

  it('reports a refused connection as connection', async () => {
    const provider = adapter({ endpoint: `http://127.0.0.1:${await closedPort()}` });
    const error = (await stream(provider)).error as ProviderError;
    assert.equal(error.kind, 'connection');
    assert.match(error.message, /^bedrock could not be reached: connection refused/);
  });

  it('reports a corrupted event-stream frame as malformed, after the text that came before it', async () => {
    await assertMalformedAfterText(fake, (signal) => adapter().stream(CLAUDE, REQUEST, signal));
  });

  it('throws after partial text when the stream is cut mid-answer', async () => {
    await assertCutMidAnswer(fake, (signal) => adapter().stream(CLAUDE, REQUEST, signal), /^bedrock ended the stream before the answer was complete/);
  });

  it('says the provider began its answer, and treats a stream that ends without messageStop and metadata as cut short', async () => {
    fake.script({ text: 'abcdef', chunks: 3, endAfterChunks: 3 });
    const ended = await stream(adapter());
    assert.equal(ended.started, true);
    assert.equal(ended.text, 'abcdef');
    assert.deepEqual(ended.usage, {}, 'Bedrock reports usage only in the closing metadata');
    assert.equal((ended.error as ProviderError).message, 'bedrock ended the stream before the answer was complete');
  });

  it('maps an exception event inside the stream by its name', async () => {
    fake.script({ text: 'abcdef', chunks: 3, streamErrorAfterChunks: 1, errorCode: 'ThrottlingException' });
    const throttled = await stream(adapter());
    fake.script({ text: 'abcdef', chunks: 3, streamErrorAfterChunks: 2, errorCode: 'ModelStreamErrorException' });
    const broken = await stream(adapter());
    assert.equal(throttled.text, 'ab');
    assert.equal((throttled.error as ProviderError).kind, 'rate-limited');
    assert.equal(broken.text, 'abcd');
    assert.equal((broken.error as ProviderError).kind, 'server');
  });
});
