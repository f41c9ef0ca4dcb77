import assert from 'node:assert/strict';
import { redactSecrets } from '../../src/core/redact';
import { redactUrl } from '../../src/core/redactUrl';

describe('redactUrl', () => {
  const cases: Array<[string, string, string]> = [
    ['a password in the userinfo', 'https://user:s3cret@gw.example/v1', 'https://user:***@gw.example/v1'],
    ['a password holding an @', 'https://user:p@ss@gw.example/v1', 'https://user:***@gw.example/v1'],
    ['a user name standing alone that reads as a token', 'https://ghtok3n0123456789abcdef@gw.example/v1', 'https://***@gw.example/v1'],
    ['a password that starts with $', 'https://user:$ecret9@gw.example/v1', 'https://user:***@gw.example/v1'],
    ['a proxy with credentials and a port', 'http://me:pw@proxy.corp:3128', 'http://me:***@proxy.corp:3128'],
    ['a key in the query', 'https://gw.example/v1?key=abc123', 'https://gw.example/v1?key=***'],
    ['api-key, token and access_token among other parameters', 'https://gw.example/v1?api-key=a1&region=eu&token=t2&access_token=t3', 'https://gw.example/v1?api-key=***&region=eu&token=***&access_token=***'],
    ['api_key, apikey and a signature', 'https://gw.example/v1?api_key=a&apikey=b&sig=c', 'https://gw.example/v1?api_key=***&apikey=***&sig=***'],
    ['a percent-encoded name', 'https://gw.example/v1?api%2Dkey=a', 'https://gw.example/v1?api%2Dkey=***'],
    ['a token in the fragment', 'https://gw.example/cb#access_token=xyz&state=1', 'https://gw.example/cb#access_token=***&state=1'],
    ['both at once', 'https://u:p@gw.example/v1?key=k', 'https://u:***@gw.example/v1?key=***'],
  ];
  for (const [what, url, shown] of cases) {
    it(`masks ${what}`, () => assert.equal(redactUrl(url), shown));
  }

  it('leaves a URL without credentials as written (no trailing slash added, no case changed), and text that is no URL', () => {
    for (const url of ['http://localhost:11434', 'https://API.example.com/v1?api-version=2024-10-21&model=x', 'https://gw.example/v1?key=', 'not a url', '(invalid)']) {
      assert.equal(redactUrl(url), url);
    }
  });

  it('masks a credential named by a word of the parameter (X-Amz-Signature, X-Amz-Security-Token, accessToken, client_secret), not a name that only holds one', () => {
    assert.equal(
      redactUrl('https://b.example/o?X-Amz-Credential=AK&X-Amz-Signature=s1&X-Amz-Security-Token=t1&accessToken=t2&client_secret=c1&password=p1'),
      'https://b.example/o?X-Amz-Credential=***&X-Amz-Signature=***&X-Amz-Security-Token=***&accessToken=***&client_secret=***&password=***',
    );
    // redactSecrets also cleans the code sent to a model: these parameters must reach it as written.
    for (const url of ['https://blog.example/posts?author=ann&design=dark&monkey=1&keyword=x&signal=on&tokens_used=3&passage=2']) {
      assert.equal(redactUrl(url), url);
    }
  });

  it("leaves what stands for a credential in code as written: a template's ${…}, a variable, a format directive, an account's user name", () => {
    // redactSecrets cleans the code sent to a model: `?key=***{apiKey}` would be code the model reads and may copy back.
    const code = [
      'const url = `https://maps.example.com/api?key=${apiKey}&q=${query}`;',
      'curl "https://maps.example.com/api?key=$MAPS_API_KEY" -u "https://admin:$DB_PASSWORD@db.example"',
      'url = "https://x.example/v1?token=%s" % token; other = "https://x.example/v1?api_key=%(key)s"',
      '"dep": "git+ssh://git@github.com/org/repo.git", "db": "postgres://postgres@localhost:5432/app"',
    ].join('\n');
    assert.equal(redactSecrets(code), code);
  });

  it('is idempotent', () => {
    const once = redactUrl('https://u:p@gw.example/v1?token=t');
    assert.equal(redactUrl(once), once);
  });
});

describe('redactSecrets on URLs in a text', () => {
  it("masks every URL's credentials in an SDK's message, leaving the rest of it", () => {
    const message = 'request to https://gwuser:hunter2pw@gw.example/v1/chat/completions?key=qk-123&v=2 failed, reason: connect ECONNREFUSED; proxy "http://me:pw9@proxy:3128" refused';
    assert.equal(
      redactSecrets(message),
      'request to https://gwuser:***@gw.example/v1/chat/completions?key=***&v=2 failed, reason: connect ECONNREFUSED; proxy "http://me:***@proxy:3128" refused',
    );
  });

  it('leaves URLs without credentials alone', () => {
    const text = 'see https://platform.openai.com/account/api-keys and http://localhost:11434/v1 (Ollama)';
    assert.equal(redactSecrets(text), text);
  });
});
