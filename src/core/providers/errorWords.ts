/**
 * The provider's own explanation in an error body, wherever the server put
 * it. OpenAI writes `{error: {message}}`, but the servers people point an
 * OpenAI- or Anthropic-compatible provider at do not: LM Studio a bare string
 * (`{error: "…"}`), vLLM a top-level `{message}`, FastAPI servers `{detail}`
 * or a list of validation errors (`{detail: [{loc, msg}]}`), Cloudflare's
 * gateway `{errors: [{message}]}`, TGI and others `{error_message}` or
 * `{msg}`. Without these a rejected request said only "(400)", and the fix
 * (a max_tokens too large, a model not served) stayed on the server.
 */
export function errorWords(body: unknown, depth = 0): string | undefined {
  if (depth > 3 || body === null || body === undefined) return undefined;
  if (typeof body === 'string') return body.trim() || undefined;
  if (typeof body !== 'object') return undefined;
  if (Array.isArray(body)) return joinWords(body.map((item) => validationWords(item) ?? errorWords(item, depth + 1)));
  const fields = body as Record<string, unknown>;
  for (const key of ['message', 'error', 'detail', 'errors', 'error_message', 'msg', 'title']) {
    // Mistral nests its validation errors inside `message` (`{message: {detail: […]}}`).
    const words = errorWords(fields[key], depth + 1);
    if (words) return words;
  }
  return undefined;
}

/** A FastAPI/pydantic validation error: `{loc: ["body", "max_tokens"], msg}` → "max_tokens: …". */
function validationWords(item: unknown): string | undefined {
  if (typeof item !== 'object' || item === null) return undefined;
  const { loc, msg } = item as { loc?: unknown; msg?: unknown };
  if (typeof msg !== 'string') return undefined;
  const where = Array.isArray(loc) ? loc.filter((part) => part !== 'body').join('.') : '';
  return where ? `${where}: ${msg}` : msg;
}

function joinWords(parts: (string | undefined)[]): string | undefined {
  const found = parts.filter((part): part is string => Boolean(part));
  return found.length > 0 ? found.join('; ') : undefined;
}

/**
 * The words of a body that was not JSON, which the SDKs keep only in their
 * message (`"400 <body>"`). A web page is a proxy or web server answering in
 * the API's place: said as such rather than quoted tag by tag.
 */
export function textBodyWords(error: { status?: number; error?: unknown; message: string }): string | undefined {
  const { status, message: sdkMessage } = error;
  // A JSON body is the SDK's `error`, which its message only restates.
  if (error.error !== undefined || status === undefined || !sdkMessage.startsWith(`${status} `)) return undefined;
  const text = sdkMessage.slice(String(status).length + 1).trim();
  if (!text || text === 'status code (no body)') return undefined;
  if (/^<(!doctype|html|head|body|\?xml)\b/i.test(text)) return 'the server answered with a web page, not the API: check its baseUrl';
  return text;
}
