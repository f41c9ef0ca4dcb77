import assert from 'node:assert/strict';
import { buildPlanRequest } from '../../src/core/prompts/planPrompt';
import { PLAN_SYSTEM } from '../../src/core/prompts/taskPrompts';

describe('plan prompt', () => {
  it('asks for steps, files to touch and risks, with the goal and the code in focus', () => {
    const request = buildPlanRequest(
      { goal: 'Add a lowStock report', code: { path: 'src/inventory.ts', languageId: 'typescript', text: 'class Inventory {}', startLine: 4 }, files: ['src/inventory.ts', 'src/format.ts'], openEditors: ['src/inventory.ts'] },
      2048,
    );
    assert.equal(request.system, PLAN_SYSTEM);
    assert.match(PLAN_SYSTEM, /## Steps/);
    assert.match(PLAN_SYSTEM, /## Files to touch/);
    assert.match(PLAN_SYSTEM, /## Risks/);
    const user = request.messages[0]!.content;
    assert.match(user, /^Goal: Add a lowStock report/);
    assert.match(user, /src\/inventory\.ts \(selection from line 5\)/);
    assert.match(user, /```typescript\nclass Inventory \{\}\n```/);
    assert.match(user, /Files in the workspace:\nsrc\/inventory\.ts\nsrc\/format\.ts/);
    assert.equal(request.maxTokens, 2048);
  });

  it('stays within its budgets on a huge workspace and file', () => {
    const files = Array.from({ length: 50_000 }, (_, i) => `src/module${i}/file${i}.ts`);
    const request = buildPlanRequest({ goal: 'x', code: { path: 'big.ts', languageId: 'typescript', text: 'a'.repeat(1_000_000) }, files, openEditors: [] }, 100, {
      codeChars: 1000,
      treeChars: 500,
      editorsChars: 100,
    });
    const user = request.messages[0]!.content;
    assert.ok(user.length < 2000, `prompt is ${user.length} characters`);
    assert.match(user, /\(first 1000 characters\)/);
    assert.match(user, /… and \d+ more/);
  });
});
