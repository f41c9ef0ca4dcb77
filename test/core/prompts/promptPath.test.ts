import assert from 'node:assert/strict';
import { pathForPrompt } from '../../../src/core/prompts/promptPath';

describe('a path outside the workspace, as named to a model', () => {
  it('names a file under the home folder from ~, so the account name is not sent', () => {
    assert.equal(pathForPrompt('/home/alice/notes/todo.ts', '/home/alice', '/'), '~/notes/todo.ts');
    assert.equal(pathForPrompt('/home/alice/notes/todo.ts', '/home/alice/', '/'), '~/notes/todo.ts');
    assert.equal(pathForPrompt('C:\\Users\\Alice\\notes\\todo.ts', 'c:\\users\\alice', '\\'), '~\\notes\\todo.ts');
  });

  it('keeps other paths, and a sibling whose name only starts like the home folder', () => {
    assert.equal(pathForPrompt('/home/alice2/x.ts', '/home/alice', '/'), '/home/alice2/x.ts');
    assert.equal(pathForPrompt('/tmp/scratch.ts', '/home/alice', '/'), '/tmp/scratch.ts');
    assert.equal(pathForPrompt('/home/alice', '/home/alice', '/'), '~');
    assert.equal(pathForPrompt('/home/alice/x.ts', '', '/'), '/home/alice/x.ts');
  });
});
