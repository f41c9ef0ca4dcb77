import assert from 'node:assert/strict';
import { containsSecret, REDACTED, redactKnownSecret, redactSecrets } from '../../src/core/redact';
import { fakeKeys } from '../fakes/fakeKeys';

describe('redactSecrets', () => {
  const shapes: Array<[string, string]> = [
    ['an OpenAI project key', fakeKeys.openai('t1')],
    ['an Anthropic key', fakeKeys.anthropic('t2')],
    ['an AWS access key id', fakeKeys.awsAccessKeyId('t3')],
    ['an AWS temporary access key id', fakeKeys.awsTemporaryKeyId('t4')],
    ['a GitHub personal token', fakeKeys.github('t5')],
    ['a GitHub OAuth token', fakeKeys.github('t6', 'o')],
    ['a GitHub user-to-server token', fakeKeys.github('t7', 'u')],
    ['a GitHub server-to-server token', fakeKeys.github('t8', 's')],
    ['a GitHub refresh token', fakeKeys.github('t9', 'r')],
    ['a GitHub fine-grained token', fakeKeys.githubFineGrained('t10')],
    ['a Google API key', fakeKeys.google('t11')],
    ['a Slack bot token', fakeKeys.slack('t12')],
    ['a Slack user token', fakeKeys.slack('t13', 'p')],
    ['a Stripe secret key', fakeKeys.stripe('t14')],
  ];

  for (const [what, key] of shapes) {
    it(`masks ${what} wherever it stands`, () => {
      for (const text of [key, `const key = "${key}";`, `KEY=${key}\n`, `(${key})`, `'${key}',`]) {
        const redacted = redactSecrets(text);
        assert.ok(!redacted.includes(key), `${what} survived in ${JSON.stringify(redacted)}`);
        assert.ok(redacted.includes(REDACTED));
        assert.ok(containsSecret(text));
      }
    });
  }

  it('masks a long key even without a digit in it', () => {
    const key = ['sk', 'proj', 'abcdefghijklmnopqrstuvwx'].join('-');
    assert.equal(redactSecrets(`key: ${key}`), `key: ${REDACTED}`);
  });

  it('keeps the words around a key', () => {
    const key = fakeKeys.openai('around');
    assert.equal(redactSecrets(`const client = new OpenAI({ apiKey: "${key}" });`), `const client = new OpenAI({ apiKey: "${REDACTED}" });`);
  });

  it('masks the value of an AWS secret access key assignment, in any spelling, and keeps the name', () => {
    const secret = fakeKeys.awsSecretAccessKey('aws');
    for (const [text, kept] of [
      [`aws_secret_access_key = ${secret}`, 'aws_secret_access_key = '],
      [`AWS_SECRET_ACCESS_KEY="${secret}"`, 'AWS_SECRET_ACCESS_KEY="'],
      [`{"SecretAccessKey": "${secret}"}`, '{"SecretAccessKey": "'],
      [`secretAccessKey: '${secret}'`, "secretAccessKey: '"],
    ] as const) {
      const redacted = redactSecrets(text);
      assert.ok(!redacted.includes(secret), redacted);
      assert.ok(redacted.startsWith(`${kept}${REDACTED}`), redacted);
    }
  });

  it('masks a bearer token and keeps the word Bearer', () => {
    const token = fakeKeys.bearer('bearer');
    assert.equal(redactSecrets(`Authorization: Bearer ${token}`), `Authorization: Bearer ${REDACTED}`);
    assert.equal(redactSecrets(`headers: { authorization: 'bearer ${token}' }`), `headers: { authorization: 'bearer ${REDACTED}' }`);
  });

  it('masks a whole private-key block, and the part of one that a window cut off', () => {
    const block = fakeKeys.privateKeyBlock('pem');
    const lines = block.split('\n');
    const whole = redactSecrets(`const pem = \`\n${block}\n\`;\nexport default pem;`);
    assert.equal(whole, `const pem = \`\n${REDACTED}\n\`;\nexport default pem;`);
    // A window that starts inside the block, and one that ends inside it.
    const tail = redactSecrets(`${lines.slice(3).join('\n')}\n\`;\nexport default pem;`);
    assert.equal(tail, `${REDACTED}\n\`;\nexport default pem;`);
    const head = redactSecrets(`const pem = \`\n${lines.slice(0, 4).join('\n')}`);
    assert.equal(head, `const pem = \`\n${REDACTED}`);
    for (const line of lines.slice(1, -1)) assert.ok(!whole.includes(line) && !tail.includes(line));
  });

  it('masks keys a provider echoed back half-masked or shortened', () => {
    const masked = ['sk', 'te***st'].join('-');
    assert.equal(redactSecrets(`Incorrect API key provided: ${masked}.`), `Incorrect API key provided: ${REDACTED}.`);
    const short = ['sk', 'abc123456789'].join('-');
    assert.equal(redactSecrets(`(key ${short} used)`), `(key ${REDACTED} used)`);
  });

  it('leaves ordinary code and prose alone', () => {
    const text = [
      'const task-list = ["risk-free", "disk-usage"];',
      '.sk-button-primary { color: red; }',
      'Bearer authentication sends a token in a header.',
      'function askQuestion(key: string) { return key.length; }',
      'const AKIRA = "hello"; // AIza too short',
      'aws_secret_access_key = ${process.env.SECRET}',
    ].join('\n');
    assert.equal(redactSecrets(text), text);
    assert.equal(containsSecret(text), false);
  });

  it('replaces an exact known secret of any shape', () => {
    assert.equal(redactKnownSecret('denied for local-key-42, try again', 'local-key-42'), `denied for ${REDACTED}, try again`);
    assert.equal(redactKnownSecret('nothing here', undefined), 'nothing here');
  });

  it('masks every key in a long file and nothing else', () => {
    const code = Array.from({ length: 1500 }, (_, i) => `  const value${i} = compute(${i}, "${i % 100 === 0 ? fakeKeys.openai(`k${i}`) : 'text'}");`).join('\n');
    const redacted = redactSecrets(code);
    assert.equal(redacted.split(REDACTED).length - 1, 15);
  });
});
