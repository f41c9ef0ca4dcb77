/**
 * The OpenAI and Anthropic SDKs read an error response's body whole before they throw, and we then clean and redact
 * all of it to show its first 160 characters. A 4 MB error page (a server's stack dump) cost seconds of CPU on a busy
 * machine, long enough for the first-token watchdog to fire and the 500 to be reported as "no first token"; a body
 * that never ends (a proxy streaming a log) was waited for until then. Only the first bytes are ever used, so only
 * they are read; the rest of the body is cancelled, which closes that connection.
 */

/** Far more than any error message (JSON or a web page's title) needs, small enough to clean in a moment. */
export const MAX_ERROR_BODY_BYTES = 64 * 1024;

/** A fetch whose error responses (status 400 and up) carry at most MAX_ERROR_BODY_BYTES of their body. */
export function boundingErrorBodies(inner: typeof fetch = globalThis.fetch): typeof fetch {
  return async (input, init) => {
    const response = await inner(input, init);
    if (response.status < 400 || !response.body) return response;
    const headers = new Headers(response.headers);
    // The length was the whole body's; what is handed on may be shorter.
    headers.delete('content-length');
    return new Response(firstBytes(response.body, MAX_ERROR_BODY_BYTES), { status: response.status, statusText: response.statusText, headers });
  };
}

/** The first `limit` bytes of `body`, ending there; the rest is not waited for. */
function firstBytes(body: ReadableStream<Uint8Array>, limit: number): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let kept = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) return controller.close();
      const room = limit - kept;
      if (value.length < room) {
        kept += value.length;
        return controller.enqueue(value);
      }
      controller.enqueue(value.subarray(0, room));
      controller.close();
      // Not awaited: a body that never ends is dropped, not read to its end.
      reader.cancel().catch(() => undefined);
    },
    cancel: (reason) => reader.cancel(reason),
  });
}
