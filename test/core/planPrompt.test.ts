import assert from 'node:assert/strict';
import { buildPlanRequest, PLAN_BUDGETS, planContextLine } from '../../src/core/prompts/planPrompt';
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

  it("says in the plan's context line how much of a selection past the code budget went to the model", () => {
    const code = (text: string, startLine?: number) => ({ path: 'src/big.ts', languageId: 'typescript', text, ...(startLine !== undefined ? { startLine } : {}) });
    const files = ['src/big.ts', 'src/small.ts'];
    assert.equal(planContextLine({ goal: 'g', code: code('x'.repeat(100), 3), files, openEditors: ['src/big.ts'] }, undefined), '\n_Context: src/big.ts (selection), 2 workspace files, 1 open editor._\n');
    const huge = 'y'.repeat(PLAN_BUDGETS.codeChars * 10);
    assert.equal(
      planContextLine({ goal: 'g', code: code(huge, 0), files, openEditors: [] }, undefined),
      '\n_Context: src/big.ts (selection, first 24,000 of 240,000 characters), 2 workspace files, 0 open editors._\n',
    );
    assert.equal(planContextLine({ goal: 'g', code: code(huge), files, openEditors: [] }, undefined), '\n_Context: src/big.ts (first 24,000 of 240,000 characters), 2 workspace files, 0 open editors._\n');
    assert.equal(planContextLine({ goal: 'g', files, openEditors: [] }, 'the active file, .env (excluded by switchboard.exclude)'), '\n_Context: not the active file, .env (excluded by switchboard.exclude)._\n');
  });

  it("says how much of the active file went when only its start was read, in the request and the context line", () => {
    const files = ['src/big.ts'];
    // The file read to the budget and a margin: 32,000 of its 90,000 characters.
    const read = { path: 'src/big.ts', languageId: 'typescript', text: 'z'.repeat(32_000), ofChars: 90_000 };
    assert.equal(planContextLine({ goal: 'g', code: read, files, openEditors: [] }, undefined), '\n_Context: src/big.ts (first 24,000 of 90,000 characters), 1 workspace file, 0 open editors._\n');
    assert.match(buildPlanRequest({ goal: 'g', code: read, files, openEditors: [] }, 100).messages[0]!.content, /src\/big\.ts \(first 24000 characters\)/);
    // Under the budget, yet not the whole file: what went is said, not the budget.
    const short = { ...read, text: 'z'.repeat(10_000), ofChars: 50_000 };
    assert.equal(planContextLine({ goal: 'g', code: short, files, openEditors: [] }, undefined), '\n_Context: src/big.ts (first 10,000 of 50,000 characters), 1 workspace file, 0 open editors._\n');
  });
});
