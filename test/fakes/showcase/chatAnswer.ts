/**
 * A showcase chat answer: the shape of a real one (a heading, what the
 * attached code holds, numbered steps, a code block in the code's language,
 * things to check), written from the question and the attached code, and
 * labelled Simulated at the top.
 */
import { attachmentsIn, type CodeBlock } from './attachedCode';
import { familyOf, namesIn } from './codeFacts';
import { sampleCode } from './codeSamples';
import type { WireRequest } from './wireRequest';

export function showcaseChatAnswer(model: string, request: WireRequest): string {
  const users = request.turns.filter((turn) => turn.role === 'user');
  const latest = attachmentsIn(users.at(-1)?.text ?? '');
  // Follow-ups send the earlier attachments again; the newest attached code is what the question is about.
  const block = latest.blocks.at(-1) ?? users.map((turn) => attachmentsIn(turn.text).blocks.at(-1)).findLast(Boolean);
  const question = oneLine(latest.question) || 'your question';
  const parts = [
    `### ${heading(question)}`,
    `> **Simulated answer.** The sandbox's fake \`${model}\` wrote this without any model reading your question. It shows what a real answer looks like here: Markdown, code with **Copy** and **Insert**, and the footer with the model, tokens, cost and time. Set an API key or a local server for real answers.`,
    block ? aboutCode(block) : 'Nothing is attached yet: turn on **Selection** or **Active file** under the message box and this answer will talk about your code.',
    '#### What I would do',
    steps(block).map((step, index) => `${index + 1}. ${step}`).join('\n'),
  ];
  const sample = sampleCode(block?.languageId ?? '', block?.code ?? '');
  parts.push('#### A sketch', `\`\`\`${sample.language}\n${sample.code}\n\`\`\``);
  parts.push(
    '#### Worth checking',
    [
      '- Empty input and a single element behave as the callers expect.',
      `- The change keeps today's callers working${block ? ` (search the workspace for the names in \`${block.path}\`)` : ''}.`,
      '- A test covers the new behaviour before anything else changes.',
    ].join('\n'),
  );
  return parts.join('\n\n');
}

function aboutCode(block: CodeBlock): string {
  const names = namesIn(block.code, familyOf(block.languageId || block.path));
  const listed = [...names.types, ...names.functions].slice(0, 6).map((name) => `\`${name}\``);
  const lines = block.code.split('\n').length;
  const what = listed.length > 0 ? `: ${listed.join(', ')}` : '';
  return `You attached **\`${block.label}\`** (${lines} ${lines === 1 ? 'line' : 'lines'} of ${block.languageId || 'code'})${what}.`;
}

function steps(block: CodeBlock | undefined): string[] {
  const names = block ? namesIn(block.code, familyOf(block.languageId || block.path)) : { types: [], functions: [] };
  const fn = names.functions.at(-1);
  const type = names.types[0];
  return [
    fn ? `**Start from \`${fn}\`**: it is the smallest piece that does what you asked about, so change it first and keep its signature.` : '**Start small**: find the one function that does what you asked about, and change only it first.',
    type ? `**Keep \`${type}\` as it is**: callers depend on its fields; add to it rather than rename.` : '**Keep the data shapes**: add fields rather than renaming the ones callers read.',
    '**Write the test first**, then the change, then run the whole suite.',
  ];
}

function heading(question: string): string {
  const short = question.length > 70 ? `${question.slice(0, 67).trimEnd()}…` : question;
  return short.charAt(0).toUpperCase() + short.slice(1);
}

function oneLine(text: string): string {
  return text.split('\n').find((line) => line.trim() !== '')?.trim() ?? '';
}
