import { lookup } from 'node:dns/promises';

/**
 * The one classification of hosts that are not the public internet, used by two policies:
 * - links in a model's answer (chat/answerLinks.ts): a link to such a host is asked about before it opens
 *   (`localTarget`, and `resolvedLocalTarget` for a name only its DNS answer shows to be local);
 * - servers that need no key (core/credentials.ts `isLocalUrl`): a server at such a host is not asked for a key at
 *   setup. That policy deliberately does not resolve names: it is decided synchronously each time settings are
 *   applied, and a wrong "local" only means a key is not demanded up front (a key that is set is still sent, by the
 *   key rule of core/keyHost.ts, which keeps its own narrower notion of "this machine").
 *
 * Where a link leads when it leads somewhere other than the public internet: a service on this computer (a dev
 * server, a database's admin page), on the local network (a router, a printer, a NAS) or at a link-local address
 * (a cloud machine's metadata service at 169.254.169.254). A link in a model's answer is untrusted (a prompt
 * injection in a file the model read can write it), and a click on it makes the browser send a GET, with the user's
 * cookies, to that service: enough for a cross-site request forgery on a dev server or a router that acts on GET.
 *
 * Hosts are judged as the browser reads them: the URL parser turns `http://2130706433/`, `http://0x7f.1/` and
 * `http://0177.0.0.1/` into 127.0.0.1, and `[::ffff:127.0.0.1]` into `[::ffff:7f00:1]`, so the parsed hostname is
 * what is classified, never the text of the link.
 */
export interface LocalTarget {
  /** The host as the browser will connect to it: "127.0.0.1", "[::1]", "router.local". */
  host: string;
  /** "a loopback address: a service on this computer", for the question the user is asked. */
  what: string;
}

const THIS_COMPUTER = 'a service on this computer';
const LOCAL_NETWORK = 'a device or service on your local network';

/** IPv4 ranges that are not the public internet: [first octets as a number, prefix length, what]. */
const IPV4_RANGES: ReadonlyArray<readonly [string, number, string]> = [
  ['0.0.0.0', 8, `an unspecified address, which reaches ${THIS_COMPUTER}`],
  ['127.0.0.0', 8, `a loopback address: ${THIS_COMPUTER}`],
  ['10.0.0.0', 8, `a private address: ${LOCAL_NETWORK}`],
  ['172.16.0.0', 12, `a private address: ${LOCAL_NETWORK}`],
  ['192.168.0.0', 16, `a private address: ${LOCAL_NETWORK}`],
  ['100.64.0.0', 10, `a shared address (carrier-grade NAT, a VPN's tailnet): ${LOCAL_NETWORK}`],
  ['169.254.0.0', 16, 'a link-local address (a cloud machine\'s metadata service answers at 169.254.169.254)'],
  ['192.0.0.0', 24, `an IETF protocol address: ${LOCAL_NETWORK}`],
  ['198.18.0.0', 15, `a benchmarking address: ${LOCAL_NETWORK}`],
  ['224.0.0.0', 4, `a multicast address: ${LOCAL_NETWORK}`],
  ['240.0.0.0', 4, `a reserved or broadcast address: ${LOCAL_NETWORK}`],
];

/**
 * Names that lead to this computer or the local network whatever the DNS says: browsers send `localhost` and
 * `*.localhost` to loopback; `.local` is multicast DNS on the local link; `home.arpa` is for home networks
 * (RFC 8375); `.internal`, `.lan`, `.intranet`, `.corp` and `.home` are private by convention.
 */
const LOCAL_SUFFIXES: ReadonlyArray<readonly [string, string]> = [
  ['localhost', `a name for ${THIS_COMPUTER}`],
  ['local', `a multicast DNS name: ${LOCAL_NETWORK}`],
  ['home.arpa', `a home network name: ${LOCAL_NETWORK}`],
  ['internal', `a private name: ${LOCAL_NETWORK}`],
  ['lan', `a private name: ${LOCAL_NETWORK}`],
  ['intranet', `a private name: ${LOCAL_NETWORK}`],
  ['corp', `a private name: ${LOCAL_NETWORK}`],
  ['home', `a private name: ${LOCAL_NETWORK}`],
];

function ipv4Number(address: string): number | undefined {
  const parts = address.split('.');
  if (parts.length !== 4 || !parts.every((part) => /^\d{1,3}$/.test(part) && Number(part) <= 255)) return undefined;
  return parts.reduce((value, part) => value * 256 + Number(part), 0);
}

/** What an IPv4 address in dotted form (as the URL parser leaves every form of one) is, or undefined when public. */
export function ipv4Kind(address: string): string | undefined {
  const value = ipv4Number(address);
  if (value === undefined) return undefined;
  for (const [base, prefix, what] of IPV4_RANGES) {
    const size = 2 ** (32 - prefix);
    const start = ipv4Number(base)!;
    if (value >= start && value < start + size) return what;
  }
  return undefined;
}

/** The eight 16-bit groups of an IPv6 address (brackets and a zone taken off; an embedded IPv4 tail read), or undefined. */
function ipv6Groups(address: string): number[] | undefined {
  let text = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '').toLowerCase();
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (tail) {
    const value = ipv4Number(tail[1]!);
    if (value === undefined) return undefined;
    text = `${text.slice(0, tail.index)}${(value >>> 16).toString(16)}:${(value & 0xffff).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const read = (half: string) => (half === '' ? [] : half.split(':').map((group) => (/^[0-9a-f]{1,4}$/.test(group) ? parseInt(group, 16) : NaN)));
  const head = read(halves[0]!);
  const rest = halves.length === 2 ? read(halves[1]!) : [];
  const missing = 8 - head.length - rest.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const groups = [...head, ...Array<number>(halves.length === 2 ? missing : 0).fill(0), ...rest];
  return groups.some(Number.isNaN) ? undefined : groups;
}

/** What an IPv6 address is, or undefined when public (or not an IPv6 address). */
export function ipv6Kind(address: string): string | undefined {
  const groups = ipv6Groups(address);
  if (!groups) return undefined;
  const [first] = groups as [number];
  const zeroUpTo = (count: number) => groups.slice(0, count).every((group) => group === 0);
  if (zeroUpTo(7) && groups[7] === 1) return `the loopback address: ${THIS_COMPUTER}`;
  if (zeroUpTo(8)) return `the unspecified address, which reaches ${THIS_COMPUTER}`;
  // An IPv4 address inside decides: IPv4-mapped (::ffff:a.b.c.d), the old IPv4-compatible form (::a.b.c.d),
  // IPv4-translated (::ffff:0:a.b.c.d) and NAT64's well-known prefix (64:ff9b::a.b.c.d, which a NAT64 gateway
  // turns into that IPv4 address, on its own network).
  const mapped = zeroUpTo(5) && (groups[5] === 0xffff || groups[5] === 0);
  const translated = zeroUpTo(4) && groups[4] === 0xffff && groups[5] === 0;
  const nat64 = first === 0x64 && groups[1] === 0xff9b && groups.slice(2, 6).every((group) => group === 0);
  if (mapped || translated || nat64) {
    const inner = `${groups[6]! >> 8}.${groups[6]! & 0xff}.${groups[7]! >> 8}.${groups[7]! & 0xff}`;
    return ipv4Kind(inner);
  }
  if ((first & 0xfe00) === 0xfc00) return `a unique local address: ${LOCAL_NETWORK}`;
  if ((first & 0xffc0) === 0xfe80) return `a link-local address: ${LOCAL_NETWORK}`;
  if ((first & 0xffc0) === 0xfec0) return `a site-local address: ${LOCAL_NETWORK}`;
  if ((first & 0xff00) === 0xff00) return `a multicast address: ${LOCAL_NETWORK}`;
  return undefined;
}

/** What a host name (no address) is by its name alone: a local suffix, or a single label the local resolver completes. */
function nameKind(name: string): string | undefined {
  for (const [suffix, what] of LOCAL_SUFFIXES) if (name === suffix || name.endsWith(`.${suffix}`)) return what;
  // `http://router/`, `http://intranet/`: a name of one label is looked up in the local search domains.
  if (!name.includes('.')) return `a name of one label, which your network's search domains complete: ${LOCAL_NETWORK}`;
  return undefined;
}

/**
 * What a URL's hostname (as the WHATWG URL parser leaves it: numeric IPv4 forms already dotted, IPv6 in brackets and
 * compressed) is, when by the host alone it is not the public internet; undefined otherwise.
 */
export function hostKind(hostname: string): string | undefined {
  // A final dot (`localhost.`) names the same host.
  const name = hostname.replace(/\.$/, '').toLowerCase();
  return hostname.startsWith('[') ? ipv6Kind(hostname) : ipv4Number(name) !== undefined ? ipv4Kind(name) : nameKind(name);
}

/** Where the http(s) URL `url` leads, when by its host alone it is not the public internet; undefined otherwise. */
export function localTarget(url: URL): LocalTarget | undefined {
  const host = url.hostname;
  const what = hostKind(host);
  return what ? { host, what } : undefined;
}

/** The addresses a name resolves to, as the system's resolver (hosts file, DNS) gives them. */
export type Resolver = (host: string) => Promise<ReadonlyArray<{ address: string; family: number }>>;
const systemResolver: Resolver = (host) => lookup(host, { all: true, verbatim: true });

/**
 * The same, for a name that only its DNS answer shows to be local (`127.0.0.1.nip.io`, `localtest.me`, a company
 * name for an internal host): looked up once, for at most `timeoutMs`. Best effort: the browser looks the name up
 * again (a DNS rebinding answers otherwise the second time), and in a remote window this machine's resolver is not
 * the browser's; undefined when the lookup fails or takes longer.
 */
export async function resolvedLocalTarget(url: URL, timeoutMs = 1_500, resolve: Resolver = systemResolver): Promise<LocalTarget | undefined> {
  const host = url.hostname;
  if (host.startsWith('[') || ipv4Number(host) !== undefined) return undefined;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => (timer = setTimeout(resolve, timeoutMs, undefined)));
  try {
    const addresses = await Promise.race([resolve(host).catch(() => undefined), late]);
    for (const { address, family } of addresses ?? []) {
      const what = family === 6 ? ipv6Kind(address) : ipv4Kind(address);
      if (what) return { host, what: `a name that resolves to ${address}, ${what}` };
    }
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}
