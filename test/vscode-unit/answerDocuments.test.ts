import assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import type { AnswerFooter } from '../../src/shared/chatProtocol';
import { AnswerDocuments } from '../../src/vscode/answerDocuments';

/** Only the URI is read: the documents are known by it. */
const documentAt = (uri: string) => ({ uri: { toString: () => uri } }) as unknown as vscode.TextDocument;
const FOOTER: AnswerFooter = { model: 'anthropic:claude-opus-5', requestedModel: 'anthropic:claude-opus-5', fellBack: false, estimated: false, inputTokens: 900, outputTokens: 400, costUsd: 0.021, latencyMs: 4200 };

describe('the documents Ask and Plan wrote (Continue in Chat)', () => {
  it("keeps a sandbox answer's footer marked simulated, so the chat shows it as not billed, and a real one's as it was", () => {
    const sandbox = new AnswerDocuments(() => true);
    sandbox.remember(documentAt('untitled:Untitled-1'), FOOTER, true);
    assert.deepEqual(sandbox.footerOf(documentAt('untitled:Untitled-1')), { ...FOOTER, simulated: true });

    const real = new AnswerDocuments();
    real.remember(documentAt('untitled:Untitled-1'), FOOTER, false);
    assert.deepEqual(real.footerOf(documentAt('untitled:Untitled-1')), FOOTER);
  });
});
