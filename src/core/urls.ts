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
