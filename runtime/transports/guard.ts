/** DNS-rebinding protection: Host and Origin must name this server (loopback by default). */
export interface GuardOptions {
  readonly host: string;
  readonly allowedHosts: readonly string[];
  readonly allowedOrigins: readonly string[];
}

const loopback = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);
const wildcard = new Set(['0.0.0.0', '::', '[::]']);

/** RFC 3986 reg-name or IPv4 (letters, digits, `-._~`), or a bracketed IPv6 literal (no zone: URLs cannot carry one). */
const NAME = /^[a-z0-9._~-]{1,253}$/i;
const IPV6 = /^\[[0-9a-f:.]{2,45}\]$/i;
const PORT = /^[0-9]{1,5}$/;

/**
 * The lower-cased host name of a `Host` header (`[::1]` keeps its brackets), or undefined when the header is
 * malformed: not `name[:port]` with a port of 0-65535. Later code builds URLs from the header, so a malformed one
 * never gets past the transport (it is answered 400).
 */
export function hostnameOf(hostHeader: string): string | undefined {
  const close = hostHeader.startsWith('[') ? hostHeader.indexOf(']') : -1;
  const colon = hostHeader.indexOf(':', close + 1);
  const name = colon === -1 ? hostHeader : hostHeader.slice(0, colon);
  if (!(close === -1 ? NAME : IPV6).test(name)) return undefined;
  if (colon !== -1) {
    const port = hostHeader.slice(colon + 1);
    if (!PORT.test(port) || Number(port) > 65535) return undefined;
  }
  // The characters are right, but the WHATWG parser also refuses bad IPv4 numbers (1.2.3.999), bad IPv6
  // (`[:::]`) and bad punycode (`xn--a`); URLs are built from this header later, so it must accept it too.
  if (!URL.canParse(`http://${hostHeader}/`)) return undefined;
  return name.toLowerCase();
}

/** Distinct Host headers remembered per server: clients send the same one every time; a flood of others is not kept. */
const MAX_REMEMBERED_HOSTS = 64;
const MALFORMED = '';

export type Guard = ReturnType<typeof createGuard>;

/** Why the guard refused a request: the reason the client is told, and the setting an operator would change. */
export interface GuardRefusal {
  readonly reason: string;
  readonly setting: 'transport.allowedHosts' | 'transport.allowedOrigins';
  /** The Host or Origin header as sent ('' when absent). */
  readonly value: string;
}

const refuseHost = (host: string | undefined): GuardRefusal => ({
  reason: `Host ${JSON.stringify(host ?? '')} is not allowed`,
  setting: 'transport.allowedHosts',
  value: host ?? ''
});
const refuseOrigin = (origin: string): GuardRefusal => ({
  reason: `Origin ${JSON.stringify(origin)} is not allowed`,
  setting: 'transport.allowedOrigins',
  value: origin
});

export function createGuard(options: GuardOptions) {
  const hosts = new Set([...loopback, ...options.allowedHosts.map((h) => h.toLowerCase())]);
  if (!wildcard.has(options.host)) hosts.add(options.host.toLowerCase());
  const anyHost = hosts.has('*');
  const origins = new Set(options.allowedOrigins.map((o) => o.toLowerCase().replace(/\/$/, '')));
  const anyOrigin = origins.has('*');
  // Parsing a Host header (regexes, then the WHATWG parser) costs more than the rest of the guard: done once per value.
  const parsed = new Map<string, string>();
  const hostname = (hostHeader: string): string | undefined => {
    let name = parsed.get(hostHeader);
    if (name === undefined) {
      name = hostnameOf(hostHeader) ?? MALFORMED;
      if (parsed.size >= MAX_REMEMBERED_HOSTS) parsed.clear();
      parsed.set(hostHeader, name);
    }
    return name === MALFORMED ? undefined : name;
  };
  return {
    /** `hostnameOf`, remembered. */
    hostname,
    /** Undefined when allowed, else why not. The Host header must be well-formed (see `hostnameOf`). */
    check(hostHeader: string | undefined, origin: string | undefined): GuardRefusal | undefined {
      if (!anyHost && (hostHeader === undefined || !hosts.has(hostname(hostHeader) ?? ''))) return refuseHost(hostHeader);
      if (origin === undefined || anyOrigin) return undefined;
      const normalised = origin.toLowerCase().replace(/\/$/, '');
      if (origins.has(normalised)) return undefined;
      let url: URL;
      try {
        url = new URL(normalised);
      } catch {
        return refuseOrigin(origin);
      }
      const originHost = url.hostname;
      if ((url.protocol === 'http:' || url.protocol === 'https:') && (loopback.has(originHost) || (!anyHost && hosts.has(originHost))))
        return undefined;
      return refuseOrigin(origin);
    }
  };
}
