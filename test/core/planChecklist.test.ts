import assert from 'node:assert/strict';
import { leadingBox, looksLikePlan, planTitle, taskItems, toggleTaskItem } from '../../src/core/planChecklist';

describe('plan checklist', () => {
  it('titles a plan with a setext heading: no "#" in the tab, whitespace folded, underline capped', () => {
    assert.equal(planTitle('  Add a\n low-stock   report '), 'Plan: Add a low-stock report\n============================\n');
    const long = planTitle('x'.repeat(200));
    const [title, underline] = long.split('\n');
    assert.ok(!title!.startsWith('#'));
    assert.equal(underline, '='.repeat(72));
  });

  it('recognises a document that starts as a plan, and nothing else', () => {
    assert.equal(looksLikePlan(`${planTitle('Ship it')}\nSteps follow.`), true);
    assert.equal(looksLikePlan('# Plan: Ship it\n\nSteps'), false, 'an ATX heading is not how Switchboard writes one');
    assert.equal(looksLikePlan('Notes\n\nPlan: Ship it\n=====\n'), false, 'only the first two lines count');
    assert.equal(looksLikePlan('Plan: Ship it\nno underline'), false);
  });

  it('finds the task items outside code fences, with their state and text', () => {
    const text = [
      'Plan: x',
      '=======',
      '- [ ] Write the parser',
      '  * [x] Nested and done',
      '1. [X] Numbered, capital X',
      '2) [ ]',
      '- [] not a box',
      '- [ ]not followed by a space',
      '```md',
      '- [ ] inside a fence',
      '~~~',
      '- [ ] still inside: a tilde fence does not close a backtick one',
      '```',
      '+ [ ] After the fence',
    ].join('\n');
    assert.deepEqual(taskItems(text), [
      { line: 2, ticked: false, text: 'Write the parser' },
      { line: 3, ticked: true, text: 'Nested and done' },
      { line: 4, ticked: true, text: 'Numbered, capital X' },
      { line: 5, ticked: false, text: '' },
      { line: 13, ticked: false, text: 'After the fence' },
    ]);
  });

  it('ticks and unticks a step, keeping the rest of the line, and leaves other lines alone', () => {
    assert.equal(toggleTaskItem('  - [ ] Add tests [ ] for this'), '  - [x] Add tests [ ] for this');
    assert.equal(toggleTaskItem('3. [X] Done'), '3. [ ] Done');
    assert.equal(toggleTaskItem(toggleTaskItem('- [ ] Round trip')!), '- [ ] Round trip');
    assert.equal(toggleTaskItem('Just text [ ]'), undefined);
    assert.equal(toggleTaskItem('- plain item'), undefined);
  });

  it('reads the box the Markdown preview sees at the start of a list item', () => {
    assert.deepEqual(leadingBox('[ ] Write it'), { ticked: false, rest: 'Write it' });
    assert.deepEqual(leadingBox('[x]'), { ticked: true, rest: '' });
    assert.equal(leadingBox('[x]y'), undefined);
    assert.equal(leadingBox('text [ ]'), undefined);
  });
});
