import { BlockList, isIP } from 'node:net';

/**
 * Which URLs the API stores for something else to fetch later (resources):
 * what a worker follows must not lead it to the cloud metadata service, a
 * loopback port or the private network (SSRF). Checked on the URL as given,
 * before anything is written; nothing is resolved through DNS here, so a
 * public name that resolves to a private address is the fetcher's to refuse.
 */
export interface UrlPolicyConfig {
  /** Schemes besides `https:` (e.g. `s3:`, `gs:`), each accepted only towards `hosts`. */
  readonly extraSchemes: readonly string[];
  /** The object stores (bucket or endpoint host names) that the extra schemes may name. */
  readonly hosts: readonly string[];
}

export const URL_MAX_LENGTH = 2_048;

export type UrlProblem = 'length' | 'syntax' | 'credentials' | 'scheme' | 'host';

/** Loopback, link-local, private, shared (CGNAT), unspecified, multicast and reserved ranges. */
const NOT_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  NOT_PUBLIC.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  // ::, ::1 and the deprecated IPv4-compatible ::a.b.c.d (IPv4-mapped ::ffff:a.b.c.d is matched against the IPv4 rules by BlockList itself).
  ['::', 96],
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  NOT_PUBLIC.addSubnet(network, prefix, 'ipv6');
}

/** Names that mean this machine or the local network by convention (`metadata.google.internal` among them). */
const LOCAL_NAME = /(^|\.)(localhost|local|internal)$/;

/**
 * True for a host that is obviously not a public one: a local name, or an IP
 * literal in any spelling the WHATWG parser normalises (2130706433, 0x7f.1,
 * 0177.0.0.1 and 127.1 are all 127.0.0.1).
 */
export function isNonPublicHost(host: string): boolean {
  const name = host.toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
  if (name === '' || LOCAL_NAME.test(name)) return true;
  const version = isIP(name);
  if (version !== 0) return NOT_PUBLIC.check(name, version === 4 ? 'ipv4' : 'ipv6');
  // Hosts of non-special schemes (s3:, gs:) are left as written: parse them as an http host would be.
  const normalised = httpHostname(name);
  return normalised !== undefined && normalised !== name && isNonPublicHost(normalised);
}

function httpHostname(host: string): string | undefined {
  try {
    return new URL(`http://${host}/`).hostname;
  } catch {
    return undefined;
  }
}

/** What is wrong with the URL under the policy, or undefined when it may be stored. */
export function urlProblem(raw: string, policy: UrlPolicyConfig): UrlProblem | undefined {
  if (raw.length > URL_MAX_LENGTH) return 'length';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'syntax';
  }
  // Credentials would be served to every reader of the resource.
  if (url.username !== '' || url.password !== '') return 'credentials';
  if (url.protocol === 'https:') return isNonPublicHost(url.hostname) ? 'host' : undefined;
  if (!policy.extraSchemes.includes(url.protocol)) return 'scheme';
  const host = url.hostname.toLowerCase();
  return policy.hosts.includes(host) && !isNonPublicHost(host) ? undefined : 'host';
}

const DESCRIPTIONS: Record<UrlProblem, string> = {
  length: `must be at most ${URL_MAX_LENGTH} characters`,
  syntax: 'must be an absolute URL',
  credentials: 'must not carry a user name or password',
  scheme: 'must be an https: URL (or use a scheme the server allows)',
  host: 'must name a public host (or an object store the server allows), never a local, loopback or private address',
};

export function describeUrlProblem(problem: UrlProblem): string {
  return DESCRIPTIONS[problem];
}
