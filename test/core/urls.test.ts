import assert from 'node:assert/strict';
import { isHttpUrl } from '../../src/core/urls';

describe('isHttpUrl', () => {
  it('accepts absolute http and https URLs only', () => {
    for (const url of ['http://localhost:11434/v1', 'https://api.openai.com/v1', 'HTTPS://Example.com']) assert.equal(isHttpUrl(url), true, url);
    for (const value of ['javascript:alert(1)', 'file:///etc/passwd', 'data:text/html,x', 'ftp://host', '/relative', 'localhost:8080', '', undefined, 42]) {
      assert.equal(isHttpUrl(value), false, String(value));
    }
  });
});
