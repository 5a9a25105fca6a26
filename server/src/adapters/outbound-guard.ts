import dns from 'node:dns';
import type { LookupFunction } from 'node:net';
import { describeRefusal, parseAllowList, refuseAddress } from '../../../core/outbound-address.js';

/** One address a name resolved to. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** A connection Firebreak will not make; its message is what the admin reads. */
export class OutboundRefusedError extends Error {
  override name = 'OutboundRefusedError';
}

/**
 * The gate every connection made on an admin's say-so goes through (built-in checks, webhooks).
 * A name is resolved once; every address it resolves to is checked (core/outbound-address.ts);
 * the connection is then made to a checked address — the `lookup` handed to the socket answers
 * from that one resolution — so a name that resolves to an internet address when checked and to
 * 127.0.0.1 a moment later (DNS rebinding) still reaches only what was checked. The host name
 * stays the name: TLS still verifies the certificate for it and sends it as SNI.
 */
export interface OutboundGuard {
  /** Resolves and checks; throws OutboundRefusedError when any address is refused, or the lookup's error. */
  resolve(host: string): Promise<ResolvedAddress[]>;
  /**
   * At configuration time: the refusal sentence for a host that is a refused address or resolves
   * to one, else null. A name that does not resolve (yet) is not refused here: the probe or
   * delivery will say so, and is checked again then.
   */
  refusalFor(host: string): Promise<string | null>;
}

export type Resolver = (host: string) => Promise<ResolvedAddress[]>;

const systemResolver: Resolver = async (host) =>
  (await dns.promises.lookup(host, { all: true, verbatim: true })).map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));

/** How long a configuration-time check waits for DNS before letting the probe decide. */
const CONFIG_LOOKUP_MS = 5_000;

/** `allow`: FIREBREAK_ALLOW_PRIVATE_TARGETS's entries (addresses and CIDR ranges), already validated by config. */
export function createOutboundGuard(options: { allow: readonly string[]; resolver?: Resolver }): OutboundGuard {
  const { allowed, problems } = parseAllowList(options.allow.join(','));
  if (problems.length > 0) throw new Error(`FIREBREAK_ALLOW_PRIVATE_TARGETS: ${problems.join('; ')}`);
  const resolver = options.resolver ?? systemResolver;
  const resolve = async (host: string) => {
    const bare = host.replace(/^\[(.*)\]$/, '$1');
    const addresses = await resolver(bare);
    for (const { address } of addresses) {
      const refusal = refuseAddress(address, allowed);
      if (refusal) throw new OutboundRefusedError(describeRefusal(bare, refusal));
    }
    if (addresses.length === 0) throw Object.assign(new Error(`${bare} has no address`), { code: 'ENOTFOUND' });
    return addresses;
  };
  return {
    resolve,
    async refusalFor(host) {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          resolve(host),
          new Promise((resolved) => {
            timer = setTimeout(resolved, CONFIG_LOOKUP_MS);
          }),
        ]);
        return null;
      } catch (err) {
        if (err instanceof OutboundRefusedError) return err.message;
        return null; // does not resolve: not refused here; the probe or delivery reports it
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/**
 * A socket `lookup` that answers from addresses already resolved and checked: the connection
 * goes where the guard looked, whatever DNS says by then. Honours `family` and `all` (Node asks
 * for all addresses when it races IPv4 and IPv6).
 */
export function pinnedLookup(addresses: readonly ResolvedAddress[]): LookupFunction {
  return (hostname, options, callback) => {
    const wanted = options.family === 4 || options.family === 'IPv4' ? 4 : options.family === 6 || options.family === 'IPv6' ? 6 : 0;
    const usable = wanted ? addresses.filter((a) => a.family === wanted) : addresses;
    if (usable.length === 0) {
      const err: NodeJS.ErrnoException = Object.assign(new Error(`${hostname} has no IPv${wanted} address`), { code: 'ENOTFOUND' });
      callback(err, '', 0);
      return;
    }
    if (options.all)
      callback(
        null,
        usable.map((a) => ({ address: a.address, family: a.family })),
      );
    else callback(null, usable[0].address, usable[0].family);
  };
}

/** Runs `work` with a deadline; `onTimeout` names what took too long. Used for DNS, which has no timeout of its own. */
export async function withDeadline<T>(work: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(onTimeout()), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
