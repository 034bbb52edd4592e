/** DNS-rebinding protection: Host and Origin must name this server (loopback by default). */
export interface GuardOptions {
  readonly host: string;
  readonly allowedHosts: readonly string[];
  readonly allowedOrigins: readonly string[];
}

const loopback = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);
const wildcard = new Set(['0.0.0.0', '::', '[::]']);

export function hostnameOf(hostHeader: string): string {
  if (hostHeader.startsWith('[')) return hostHeader.slice(0, hostHeader.indexOf(']') + 1).toLowerCase();
  const colon = hostHeader.lastIndexOf(':');
  return (colon === -1 ? hostHeader : hostHeader.slice(0, colon)).toLowerCase();
}

export function createGuard(options: GuardOptions) {
  const hosts = new Set([...loopback, ...options.allowedHosts.map((h) => h.toLowerCase())]);
  if (!wildcard.has(options.host)) hosts.add(options.host.toLowerCase());
  const anyHost = hosts.has('*');
  const origins = new Set(options.allowedOrigins.map((o) => o.toLowerCase().replace(/\/$/, '')));
  const anyOrigin = origins.has('*');
  return {
    /** Undefined when allowed, else the reason. */
    check(hostHeader: string | undefined, origin: string | undefined): string | undefined {
      if (!anyHost && (hostHeader === undefined || !hosts.has(hostnameOf(hostHeader)))) return `Host ${JSON.stringify(hostHeader ?? '')} is not allowed`;
      if (origin === undefined || anyOrigin) return undefined;
      const normalised = origin.toLowerCase().replace(/\/$/, '');
      if (origins.has(normalised)) return undefined;
      let url: URL;
      try {
        url = new URL(normalised);
      } catch {
        return `Origin ${JSON.stringify(origin)} is not allowed`;
      }
      const hostname = url.hostname.startsWith('[') ? url.hostname : url.hostname;
      if ((url.protocol === 'http:' || url.protocol === 'https:') && (loopback.has(hostname) || (!anyHost && hosts.has(hostname)))) return undefined;
      return `Origin ${JSON.stringify(origin)} is not allowed`;
    }
  };
}
