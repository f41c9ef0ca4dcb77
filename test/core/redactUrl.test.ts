import assert from 'node:assert/strict';
import { redactSecrets } from '../../src/core/redact';
import { redactUrl, redactUrlsInText, urlsIn } from '../../src/core/redactUrl';

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

  it("masks a token used as a user name, standing alone or before a password, 16 characters or fewer too; keeps an account's name", () => {
    const masked: Array<[string, string]> = [
      ['https://aK3xP9qL2mN8vB4c@gw.example/v1', 'https://***@gw.example/v1'],
      ['https://k3x9q2m8v4c7p1z6@gw.example/v1', 'https://***@gw.example/v1'],
      ['https://sk9Tq2@gw.example/v1', 'https://***@gw.example/v1'],
      // Stripe's key with an empty password, GitHub's token before its dummy password.
      ['https://rk7Lq2mW9xA3bZ:@api.stripe.com/v1', 'https://***:***@api.stripe.com/v1'],
      ['https://0123456789abcdef0123456789abcdef01234567:x-oauth-basic@github.com/o/r.git', 'https://***:***@github.com/o/r.git'],
    ];
    for (const [url, shown] of masked) assert.equal(redactUrl(url), shown, url);
    for (const url of ['https://abc123@gw.example', 'https://deploy-bot@gw.example', 'https://x-access-token:***@github.com', 'https://john.doe:***@proxy:3128', 'https://deployBot@h', 'https://$GITHUB_TOKEN:***@github.com', 'redis://:***@cache:6379']) {
      assert.equal(redactUrl(url), url, url);
    }
  });

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

describe('URLs found in a text (urlsIn)', () => {
  /** What redactUrlsInText did before its one-pass scan, the reference for where URLs start and end. */
  const URL_PATTERN = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`()[\]{}]+/gi;
  const byPattern = (text: string) => text.replace(URL_PATTERN, (url) => redactUrl(url));

  it('finds the URLs the pattern finds and masks what redactUrl masks, on random text made of the characters that matter', () => {
    // A small seeded generator, so a failure names a text that can be replayed.
    let seed = 12345;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const pieces = ['a', 'Z', '7', '_', '.', '-', '+', ':', '/', '://', ' ', '\n', '"', '(', '@', '?', 'key=', '&', 'u:p@', 'é', 'http', 'x://', '#', '=', 'page=', 'to%6Ben=', 'p_w_d=', 'Sig=', '\u212Aey='];
    for (let i = 0; i < 20_000; i++) {
      let text = '';
      const length = 1 + Math.floor(random() * 40);
      for (let j = 0; j < length; j++) text += pieces[Math.floor(random() * pieces.length)];
      assert.equal(redactUrlsInText(text), byPattern(text), JSON.stringify(text));
    }
  });

  it('finds them in text around real URLs: word starts, an underscore before a scheme, a URL right after another', () => {
    for (const text of [
      'x_http://u:p@h/?key=1 and .git+ssh://me:pw@host/r then 9http://a:b@c',
      'a.b-c+http://u:p@h https://k@h?token=t,https://u:p@h2',
      'https://a://b:c@d ://x http:// "http://u:p@h" (http://u:p@h)',
    ]) {
      assert.equal(redactUrlsInText(text), byPattern(text));
    }
  });

  it('reads each character of a long run of scheme characters a few times, not once per word start in it', () => {
    // One line of `a.b-c+…` (60,000 characters: what the snippet collector reads of a file) and a URL after it:
    // the pattern read the rest of the run from each of its 30,000 word starts.
    for (const run of ['a.'.repeat(30_000), '1.5-2.'.repeat(10_000), 'a-'.repeat(30_000), 'x'.repeat(60_000)]) {
      for (const text of [`${run} see https://u:p@h/x?key=1`, `${run}_://x ${run} http://h`, `${run}://${run}`]) {
        const reads = { characters: 0 };
        urlsIn(text, reads);
        assert.ok(reads.characters <= 3 * text.length, `${reads.characters} characters read for a text of ${text.length}`);
      }
    }
  });

  it('reads text full of URLs a few times over at most', () => {
    const text = Array.from({ length: 5000 }, (_, i) => `  'postgres://app:pw${i}@db${i}.example.com:5432/orders?sslmode=require&password=p${i}',`).join('\n');
    const reads = { characters: 0 };
    assert.equal(urlsIn(text, reads).length, 5000);
    assert.ok(reads.characters <= 3 * text.length, `${reads.characters} characters read for a text of ${text.length}`);
  });
});
