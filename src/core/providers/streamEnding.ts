/**
 * How an event-stream body ended, for SDKs that cannot say. The OpenAI SDK hands the half event left at the end of
 * a body cut inside one to JSON.parse, so a server that closed the connection mid-event reads as "malformed JSON",
 * the same error as a garbled event: the user would be told the server sent nonsense when it stopped early. A body
 * seen to its end without the blank line that closes an event was cut inside one.
 */
interface Ending {
  ended: boolean;
  /** The body's last bytes (at most four: enough for `\r\n\r\n`). */
  tail: Uint8Array;
}

const endings = new WeakMap<Response, Ending>();

const LF = 10;
const CR = 13;

/**
 * A fetch that watches the end of every event-stream body it returns. One TransformStream per streamed answer,
 * which keeps each chunk as it is (no copy) and looks at its last bytes only.
 */
export function watchingFetch(inner: typeof fetch = (input, init) => globalThis.fetch(input, init)): typeof fetch {
  return async (input, init) => {
    const response = await inner(input, init);
    const type = response.headers.get('content-type') ?? '';
    if (!response.body || !type.toLowerCase().startsWith('text/event-stream')) return response;
    const ending: Ending = { ended: false, tail: new Uint8Array(0) };
    const watched = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          if (chunk.length > 0) ending.tail = lastBytes(ending.tail, chunk);
          controller.enqueue(chunk);
        },
        flush() {
          ending.ended = true;
        },
      }),
    );
    const copy = new Response(watched, { status: response.status, statusText: response.statusText, headers: response.headers });
    endings.set(copy, ending);
    return copy;
  };
}

/** True when `response` (from watchingFetch) was read to its end and that end is inside an event. */
export function endedInsideEvent(response: Response): boolean {
  const ending = endings.get(response);
  if (!ending?.ended || ending.tail.length === 0) return false;
  return !closesEvent(ending.tail);
}

function lastBytes(before: Uint8Array, chunk: Uint8Array): Uint8Array {
  if (chunk.length >= 4) return chunk.slice(chunk.length - 4);
  const joined = new Uint8Array(before.length + chunk.length);
  joined.set(before);
  joined.set(chunk, before.length);
  return joined.slice(Math.max(0, joined.length - 4));
}

/** An event ends at a blank line: `\n\n`, `\r\r` or `\r\n\r\n` (the SSE spec's line ends). */
function closesEvent(tail: Uint8Array): boolean {
  const n = tail.length;
  const last = tail[n - 1];
  const before = tail[n - 2];
  if (n < 2) return false;
  if (last === LF && before === LF) return true;
  if (last === CR && before === CR) return true;
  return n >= 4 && last === LF && before === CR && tail[n - 3] === LF && tail[n - 4] === CR;
}
