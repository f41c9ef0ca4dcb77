/**
 * `text` percent-decoded (`%40` is `@`), or as written when it is not well-formed (a lone `%`, `%zz`, a cut-off
 * UTF-8 sequence): a user name, password, parameter name or deployment name is shown or sent as typed, never
 * refused for a stray `%`. Decoded whole or not at all; `+` stays `+` (a space only in a form's query).
 *
 * In the provider layer, though the core's redactUrl.ts and azureDeploymentUrl.ts use it too: a provider adapter is
 * its own bundle and may import only from here (urlCredentials.ts needs it), while the core may import this layer.
 * No imports: browser-safe, as redactUrl.ts is.
 */
export function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
