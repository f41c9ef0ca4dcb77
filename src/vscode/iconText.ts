/**
 * Text for the places where VS Code draws `$(name)` as a codicon: a quick pick's label, description, detail and
 * title, a status bar item's text, a tooltip that supports theme icons. Text from outside Switchboard (a
 * conversation title made from the user's or the model's words, a provider's error, a model id a server named)
 * could so draw a `$(check)` beside a failure or a spinning `$(loading~spin)` that never stops. A backslash before
 * `$(` is VS Code's own escape there: the text is shown as written, without the backslash.
 */
export function withoutIcons(text: string): string {
  return text.replace(/\$\(/g, '\\$(');
}
