/**
 * Key-shaped but fake credentials, assembled at run time so that no key-like
 * literal sits in the repository. `tag` makes each one distinctive, so a test
 * can search files and pages for exactly the keys it planted.
 */
const part = (...pieces: string[]) => pieces.join('');

/** Deterministic filler of `length` characters from `alphabet`, seeded by `tag`. */
function filler(tag: string, length: number, alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'): string {
  let seed = 0;
  for (const char of tag) seed = (seed * 31 + char.charCodeAt(0)) >>> 0;
  let text = '';
  for (let i = 0; i < length; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    text += alphabet[seed % alphabet.length];
  }
  return text;
}

const UPPER_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export const fakeKeys = {
  openai: (tag: string) => part('sk', '-', 'proj', '-', tag, filler(tag, 40)),
  anthropic: (tag: string) => part('sk', '-', 'ant', '-', 'api03', '-', tag, filler(tag, 80)),
  awsAccessKeyId: (tag: string) => part('AK', 'IA', filler(tag, 16, UPPER_DIGITS)),
  awsTemporaryKeyId: (tag: string) => part('AS', 'IA', filler(tag, 16, UPPER_DIGITS)),
  awsSecretAccessKey: (tag: string) => filler(tag, 40, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+'),
  github: (tag: string, kind: 'p' | 'o' | 'u' | 's' | 'r' = 'p') => part('gh', kind, '_', filler(tag, 36)),
  githubFineGrained: (tag: string) => part('github', '_pat_', filler(tag, 22), '_', filler(`${tag}2`, 59)),
  google: (tag: string) => part('AI', 'za', 'Sy', filler(tag, 33, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-')),
  slack: (tag: string, kind: 'b' | 'a' | 'p' | 'r' | 's' = 'b') => part('xo', 'x', kind, '-', filler(tag, 12, '0123456789'), '-', filler(tag, 24)),
  stripe: (tag: string) => part('sk', '_', 'live', '_', filler(tag, 24)),
  bearer: (tag: string) => part('eyJ', filler(tag, 20), '.', filler(`${tag}b`, 30), '.', filler(`${tag}c`, 20)),
  privateKeyBlock: (tag: string, lines = 8) =>
    [
      part('-----BEGIN ', 'RSA PRIVATE', ' KEY-----'),
      ...Array.from({ length: lines }, (_, i) => filler(`${tag}${i}`, 64, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/')),
      part('-----END ', 'RSA PRIVATE', ' KEY-----'),
    ].join('\n'),
};
