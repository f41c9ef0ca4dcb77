import { Readable } from 'node:stream';
import { MAX_ERROR_BODY_BYTES } from './errorBodyLimit';

/**
 * The AWS SDK reads an error response's body whole before it throws, as the OpenAI and Anthropic SDKs do
 * (errorBodyLimit.ts): a 500 whose body never ended (a proxy or gateway in front of Bedrock streaming a log) was
 * waited for until the first-token watchdog fired and was said as "no first token", and a 4 MB stack dump was read
 * and parsed whole. Only the first bytes are used, so only they are read; the rest is dropped (for HTTP/2 the stream
 * is reset, for HTTP/1.1 the connection closed). Answers (status below 400) pass as they are.
 */

/** What the AWS SDK's request handlers (HTTP/2, and HTTP/1.1 behind a proxy) share: a response with a body stream. */
interface BodyHandler {
  handle(...args: never[]): Promise<HandlerOutput>;
}

interface HandlerOutput {
  response: { statusCode: number; headers?: Record<string, string | undefined>; body?: unknown };
}

/** A 200 that was a web page (a network's sign-in page, a proxy's), not Bedrock's event stream. */
export class WebPageAnswer extends Error {
  override readonly name = 'WebPageAnswer';
  constructor() {
    super('a web page (text/html) came instead of an event stream');
  }
}

function headerOf(response: HandlerOutput['response'], name: string): string {
  const headers = response.headers ?? {};
  const key = Object.keys(headers).find((header) => header.toLowerCase() === name);
  return (key && headers[key]) || '';
}

/** `handler`, whose error responses carry at most MAX_ERROR_BODY_BYTES of their body. */
export function boundingBedrockErrorBodies<H extends BodyHandler>(handler: H): H {
  const handle = handler.handle.bind(handler) as (...args: unknown[]) => Promise<HandlerOutput>;
  // The handler itself, not a copy: the client also calls its destroy and configuration methods.
  (handler as unknown as { handle: (...args: unknown[]) => Promise<HandlerOutput> }).handle = async (...args: unknown[]) => {
    const result = await handle(...args);
    const { response } = result;
    // The event-stream decoder would read a page as a stream cut short: said as the page it is (awsErrors).
    if (response.statusCode < 300 && /^text\/html\b/i.test(headerOf(response, 'content-type'))) {
      if (response.body instanceof Readable) response.body.destroy();
      throw new WebPageAnswer();
    }
    if (response.statusCode >= 400 && response.body instanceof Readable) response.body = firstBytes(response.body, MAX_ERROR_BODY_BYTES);
    return result;
  };
  return handler;
}

/** The first `limit` bytes of `body`; the rest is not waited for, and `body` is destroyed. */
function firstBytes(body: Readable, limit: number): Readable {
  async function* kept(): AsyncGenerator<Buffer> {
    let read = 0;
    try {
      for await (const chunk of body as AsyncIterable<Buffer | string>) {
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
        const room = limit - read;
        if (bytes.length < room) {
          read += bytes.length;
          yield bytes;
          continue;
        }
        yield bytes.subarray(0, room);
        return;
      }
    } finally {
      body.destroy();
    }
  }
  return Readable.from(kept(), { objectMode: false });
}
