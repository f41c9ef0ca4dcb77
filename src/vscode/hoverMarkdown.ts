import { replaceHiddenCharacters } from '../shared/hiddenCharacters';
import { withoutIcons } from './iconText';

/*
 * Markdown for a hover (the status bar's tooltip): its tables, and untrusted text (a provider's error, a model id
 * from a route or an answer, a path) shown as written.
 */

/**
 * A Markdown table for a hover: the first column left-aligned, the figures
 * right-aligned under their headings. VS Code's hovers draw table cells with
 * no padding, so each cell after the first starts with an em space or two,
 * or neighbouring figures would run together ("3 $0.00027").
 */
export function table(headings: string[], rows: string[][]): string[] {
  const gap = '&emsp;&emsp;';
  const cells = (row: string[]) => `| ${row.map((cell, index) => (index === 0 ? cell : `${gap}${cell}`)).join(' | ')} |`;
  return [cells(headings), `|:---|${headings.slice(1).map(() => '---:').join('|')}|`, ...rows.map(cells)];
}

/**
 * `provider:model` for the tooltip's Markdown. A model id comes from a route (a trusted workspace may set one)
 * or from the provider's answer (Bedrock's prompt router names the model it invoked): as written, an id such as
 * `![x](https://host/p.png)` would load that image on hover.
 */
export function refText(ref: { provider: string; model: string }): string {
  return escapeMarkdown(`${ref.provider}:${ref.model}`);
}

/**
 * Untrusted text (a provider's error, a model id) as Markdown that shows it as written. Besides Markdown's own
 * syntax: VS Code's hover links bare URLs and addresses (`https://…`, `www.…`, `name@host`) as GitHub does, and a
 * server's error body should not hand the user a link, so `@`, the `:` of `://` and the `.` of `www.` are
 * escaped too (each still shows as itself); `$(name)` would be a codicon, and `\$(` is VS Code's escape for it
 * (`~`, which a spinning icon's name holds, is left alone so that the escape still matches).
 */
export function escapeMarkdown(text: string): string {
  // A bidi control or invisible character would make the id or error read as another: shown as "[U+202E]".
  const syntax = replaceHiddenCharacters(text, (hidden) => `[${hidden.codePoint}]`).replace(/[\\`*_{}[\]<>|!#&@]/g, (c) => `\\${c}`);
  return withoutIcons(syntax.replace(/:(?=\/\/)/g, '\\:').replace(/(www)\./gi, '$1\\.'));
}
