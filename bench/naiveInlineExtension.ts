/**
 * The editor benchmark's baseline, as a VS Code extension of its own: an
 * inline-completion provider that asks the model on every call VS Code makes
 * (every keystroke, after VS Code's own short debounce), with the naive
 * request of naiveProvider.ts (the whole file, and open files sharing a word
 * with the line) through the official OpenAI SDK, streamed like Switchboard's.
 * No debounce of its own, no cache, no reuse; when VS Code cancels the call
 * the request is not aborted, its answer is only thrown away.
 *
 * Built by bench/editorTyping.ts into a temporary extension folder; it reads
 * the server and model from NAIVE_COMPLETION_BASE_URL and NAIVE_COMPLETION_MODEL.
 */
import OpenAI from 'openai';
import * as vscode from 'vscode';
import { naiveFirstLine, naiveRequest, type NaiveDocument } from './naiveProvider';

export function activate(context: vscode.ExtensionContext): void {
  const baseURL = process.env.NAIVE_COMPLETION_BASE_URL;
  const model = process.env.NAIVE_COMPLETION_MODEL ?? 'gpt-5.4-nano';
  if (!baseURL) throw new Error('NAIVE_COMPLETION_BASE_URL is not set');
  const client = new OpenAI({ apiKey: 'naive-bench-key', baseURL, maxRetries: 0, logLevel: 'off' });

  const asDocument = (document: vscode.TextDocument): NaiveDocument => ({
    uri: document.uri.toString(),
    relativePath: vscode.workspace.asRelativePath(document.uri),
    languageId: document.languageId,
    getText: () => document.getText(),
    offsetAt: (position) => document.offsetAt(new vscode.Position(position.line, position.character)),
  });

  const provider: vscode.InlineCompletionItemProvider = {
    async provideInlineCompletionItems(document, position, _context, token) {
      const open = vscode.workspace.textDocuments.filter((other) => other.uri.scheme === 'file').map(asDocument);
      const { request, text } = naiveRequest(asDocument(document), position, open);
      const stream = await client.chat.completions.create({
        model,
        messages: [
          { role: 'system', content: request.system ?? '' },
          ...request.messages.map((message) => ({ role: message.role, content: message.content })),
        ],
        max_tokens: request.maxTokens,
        stream: true,
      });
      let answer = '';
      for await (const chunk of stream) answer += chunk.choices[0]?.delta?.content ?? '';
      const firstLine = naiveFirstLine(answer);
      if (token.isCancellationRequested || firstLine === undefined || document.getText() !== text) return undefined;
      return [new vscode.InlineCompletionItem(firstLine, new vscode.Range(position, position))];
    },
  };
  context.subscriptions.push(vscode.languages.registerInlineCompletionItemProvider({ pattern: '**' }, provider));
}

export function deactivate(): void {}
