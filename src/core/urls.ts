/**
 * Whether `value` is an absolute http(s) URL: the one test for settings that
 * name a server, links the chat panel opens, and links it renders. Browser-safe
 * (the webview imports it).
 */
export function isHttpUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * `url` with `/v1` added when it names a server and no path (`http://localhost:11434`, Ollama's address as its own
 * page gives it): an OpenAI-compatible API is under `/v1`, and the server answers 404 everywhere else. Undefined for
 * a URL that has a path (a gateway's `/api/v1` is its own) or is not one.
 */
export function withApiPath(url: string): string | undefined {
  try {
    const parsed = new URL(url.trim());
    return parsed.pathname === '/' && !parsed.search && !parsed.hash ? `${parsed.origin}/v1` : undefined;
  } catch {
    return undefined;
  }
}
