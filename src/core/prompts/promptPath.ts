/**
 * How a file outside the workspace is named to a model (and on its chip): a path under the user's home
 * as `~/…`, since the absolute one carries the user's account name (`/home/alice/…`, `C:\Users\alice\…`)
 * to a third party for no gain in the answer. Paths elsewhere (`/tmp/…`, `/etc/…`) name no one and stay.
 */
export function pathForPrompt(absolute: string, home: string, separator: string): string {
  if (!home) return absolute;
  const trimmedHome = home.endsWith(separator) ? home.slice(0, -separator.length) : home;
  // Windows paths compare without regard to case, as the file system does.
  const same = (a: string, b: string) => (separator === '\\' ? a.toLowerCase() === b.toLowerCase() : a === b);
  if (same(absolute, trimmedHome)) return '~';
  const head = absolute.slice(0, trimmedHome.length + separator.length);
  return same(head, trimmedHome + separator) ? `~${separator}${absolute.slice(head.length)}` : absolute;
}
