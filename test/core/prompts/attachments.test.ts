import assert from 'node:assert/strict';
import { attachment, fencedCode, MAX_ATTACHED_CHARS, promptWithAttachments } from '../../../src/core/prompts/attachments';

describe('attachments in a prompt', () => {
  it('puts each attachment in a fenced block under its label, then the question', () => {
    const prompt = promptWithAttachments('Why is this slow?', [
      attachment('src/sort.ts:3-4', 'typescript', 'for (const a of xs)\n  for (const b of xs) {}'),
      attachment('README.md', 'markdown', '# Sort'),
    ]);
    assert.equal(
      prompt,
      'Attached src/sort.ts:3-4:\n```typescript\nfor (const a of xs)\n  for (const b of xs) {}\n```\n\n' +
        'Attached README.md:\n```markdown\n# Sort\n```\n\n' +
        'Why is this slow?',
    );
  });

  it('names a file whose name holds bidi or invisible characters by their code points, as its chip shows it; its code as it is', () => {
    // Shown raw, "src/\u202Egnp.ts" reads as "src/st.png" to the model as to a person.
    const prompt = promptWithAttachments('What does it do?', [attachment('src/\u202Egnp.ts\u200B', 'typescript', 'const a = "\u202E";')]);
    assert.equal(prompt, 'Attached src/<U+202E>gnp.ts<U+200B>:\n```typescript\nconst a = "\u202E";\n```\n\nWhat does it do?');
  });

  it('sends the question alone when nothing is attached', () => {
    assert.equal(promptWithAttachments('Hello?', []), 'Hello?');
  });

  it('cuts long code and says so in the label', () => {
    const cut = attachment('big.log', 'log', 'x'.repeat(MAX_ATTACHED_CHARS + 1));
    assert.equal(cut.text.length, MAX_ATTACHED_CHARS);
    assert.equal(cut.label, `big.log (first ${MAX_ATTACHED_CHARS} characters)`);
    assert.equal(attachment('small.ts', 'typescript', 'x').label, 'small.ts');
  });

  it('fences code that holds fences of its own with a longer fence, so it cannot end the block early', () => {
    assert.equal(fencedCode('markdown', 'Run:\n```sh\nnpm test\n```'), '````markdown\nRun:\n```sh\nnpm test\n```\n````');
    assert.equal(fencedCode('markdown', '`````'), '``````markdown\n`````\n``````');
  });
});
