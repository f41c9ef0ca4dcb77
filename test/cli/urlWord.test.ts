import assert from 'node:assert/strict';
import { urlWord } from '../../src/cli/urlWord';

/** A server's URL in a line the CLI prints to paste into sh, cmd or PowerShell. */
describe('switchboard: a URL in a line to paste', () => {
  it('is bare when no shell reads anything in it, and in double quotes when one would', () => {
    assert.equal(urlWord('http://localhost:11434/v1'), 'http://localhost:11434/v1');
    assert.equal(urlWord('http://gpu-box:8000/v1?a=1&b=2'), '"http://gpu-box:8000/v1?a=1&b=2"');
    assert.equal(urlWord("http://host/v1?name=it's"), '"http://host/v1?name=it\'s"');
  });

  it('is not given for a URL holding %, which cmd expands in quotes or not', () => {
    assert.equal(urlWord('http://127.0.0.1:8080/%PATH%/v1'), undefined);
    assert.equal(urlWord('http://host/v1?x=%20'), undefined);
  });
});
