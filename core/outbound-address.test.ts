import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeRefusal, parseAllowList, privateRangeOf, refuseAddress } from './outbound-address.js';

const allow = (text: string) => {
  const { allowed, problems } = parseAllowList(text);
  expect(problems).toEqual([]);
  return allowed;
};

const octet = fc.integer({ min: 0, max: 255 });
const v4 = (a: number, b: number, c: number, d: number) => `${a}.${b}.${c}.${d}`;
const hex = (a: number, b: number) => ((a << 8) | b).toString(16);
/** Any IPv4 address inside a.b.c.d/bits. */
const inRange = (base: [number, number, number, number], bits: number) =>
  fc.integer({ min: 0, max: 2 ** (32 - bits) - 1 }).map((offset) => {
    const n = ((base[0] << 24) | (base[1] << 16) | (base[2] << 8) | base[3]) + offset;
    return v4((n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255);
  });

/** Every IPv4 range refused by default, with what it is. */
const REFUSED_V4: [[number, number, number, number], number, string][] = [
  [[127, 0, 0, 0], 8, 'loopback'],
  [[10, 0, 0, 0], 8, 'private'],
  [[172, 16, 0, 0], 12, 'private'],
  [[192, 168, 0, 0], 16, 'private'],
  [[169, 254, 0, 0], 16, 'link_local'],
  [[0, 0, 0, 0], 8, 'unspecified'],
  [[100, 64, 0, 0], 10, 'carrier_grade_nat'],
  [[224, 0, 0, 0], 4, 'multicast'],
  [[240, 0, 0, 0], 5, 'reserved'],
];

describe('which destinations are refused by default', () => {
  it('names the well-known ones', () => {
    expect(privateRangeOf('127.0.0.1')).toBe('loopback');
    expect(privateRangeOf('169.254.169.254')).toBe('link_local');
    expect(privateRangeOf('0.0.0.0')).toBe('unspecified');
    expect(privateRangeOf('255.255.255.255')).toBe('broadcast');
    expect(privateRangeOf('::')).toBe('unspecified');
    expect(privateRangeOf('::1')).toBe('loopback');
    expect(privateRangeOf('[::1]')).toBe('loopback');
    expect(privateRangeOf('fe80::1')).toBe('link_local');
    expect(privateRangeOf('fe80::1%eth0')).toBe('link_local');
    expect(privateRangeOf('fd12:3456::1')).toBe('unique_local');
    expect(privateRangeOf('fc00::1')).toBe('unique_local');
    expect(privateRangeOf('ff02::1')).toBe('multicast');
    expect(privateRangeOf('fec0::1')).toBe('unique_local');
    // IPv4 hidden in IPv6: mapped (both spellings), translated, compatible, NAT64, 6to4.
    expect(privateRangeOf('::ffff:127.0.0.1')).toBe('loopback');
    expect(privateRangeOf('::ffff:7f00:1')).toBe('loopback');
    expect(privateRangeOf('::ffff:a9fe:a9fe')).toBe('link_local');
    expect(privateRangeOf('::ffff:0:10.0.0.1')).toBe('private');
    expect(privateRangeOf('::127.0.0.1')).toBe('loopback');
    expect(privateRangeOf('64:ff9b::10.1.2.3')).toBe('private');
    expect(privateRangeOf('2002:c0a8:0101::1')).toBe('private');
    // Not an address at all: refused rather than guessed at.
    expect(privateRangeOf('localhost')).toBe('reserved');
    expect(privateRangeOf('0x7f.1')).toBe('reserved');
  });

  it('lets ordinary internet addresses through', () => {
    for (const address of ['93.184.215.14', '8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '2a00:1450:4001:80b::200e', '::ffff:8.8.8.8']) {
      expect(privateRangeOf(address), address).toBeNull();
    }
  });

  it('refuses every address of every private IPv4 range, in every IPv6 spelling of it', () => {
    for (const [base, bits, range] of REFUSED_V4) {
      fc.assert(
        fc.property(inRange(base, bits), (address) => {
          const [a, b, c, d] = address.split('.').map(Number);
          for (const form of [
            address,
            `::ffff:${address}`,
            `::ffff:${hex(a, b)}:${hex(c, d)}`,
            `64:ff9b::${address}`,
            `2002:${hex(a, b)}:${hex(c, d)}::1`,
          ]) {
            expect(privateRangeOf(form), form).toBe(range);
            expect(refuseAddress(form, [])).toEqual({ address: form, range });
          }
        }),
      );
    }
  });

  it('classifies an IPv4 address and its IPv4-mapped IPv6 form alike', () => {
    fc.assert(
      fc.property(octet, octet, octet, octet, (a, b, c, d) => {
        expect(privateRangeOf(`::ffff:${v4(a, b, c, d)}`)).toBe(privateRangeOf(v4(a, b, c, d)));
      }),
    );
  });

  it('refuses the private IPv6 ranges whatever the rest of the address', () => {
    const group = fc.integer({ min: 0, max: 0xffff }).map((n) => n.toString(16));
    fc.assert(
      fc.property(fc.array(group, { minLength: 7, maxLength: 7 }), (rest) => {
        const tail = rest.join(':');
        expect(privateRangeOf(`fe80:${tail}`.replace(/^fe80:[^:]+/, 'fe80:0'))).toBe('link_local');
        expect(privateRangeOf(`fd${rest[0].padStart(4, '0').slice(2)}:${rest.slice(1).join(':')}:0`)).toBe('unique_local');
        expect(privateRangeOf(`ff0e:${tail}`)).toBe('multicast');
      }),
    );
  });
});

describe('the allow-list (FIREBREAK_ALLOW_PRIVATE_TARGETS)', () => {
  it('reads addresses and CIDR ranges, and names each entry it cannot read', () => {
    expect(parseAllowList('10.0.0.0/8, 127.0.0.2,fd00::/8 ,::1').allowed.map((a) => a.text)).toEqual([
      '10.0.0.0/8',
      '127.0.0.2',
      'fd00::/8',
      '::1',
    ]);
    expect(parseAllowList(undefined)).toEqual({ allowed: [], problems: [] });
    expect(parseAllowList('10.0.0.0/33,localhost,10.0.0/8,1.2.3.4/8/9,fd00::/129').problems).toEqual([
      expect.stringContaining('"10.0.0.0/33"'),
      expect.stringContaining('"localhost"'),
      expect.stringContaining('"10.0.0/8"'),
      expect.stringContaining('"1.2.3.4/8/9"'),
      expect.stringContaining('"fd00::/129"'),
    ]);
  });

  it('allows exactly what it names: inside the range yes, outside no', () => {
    const list = allow('10.0.0.0/16,127.0.0.2');
    fc.assert(
      fc.property(octet, octet, octet, octet, (a, b, c, d) => {
        const inside = v4(10, 0, c, d);
        expect(refuseAddress(inside, list)).toBeNull();
        expect(refuseAddress(`::ffff:${inside}`, list)).toBeNull();
        const other = v4(10, b === 0 ? 1 : b, c, d);
        expect(refuseAddress(other, list)).toEqual({ address: other, range: 'private' });
        // An allow-list never refuses an internet address.
        const address = v4(a, b, c, d);
        if (privateRangeOf(address) === null) expect(refuseAddress(address, list)).toBeNull();
      }),
    );
    expect(refuseAddress('127.0.0.2', list)).toBeNull();
    expect(refuseAddress('127.0.0.1', list)).toEqual({ address: '127.0.0.1', range: 'loopback' });
    expect(refuseAddress('::1', list)).toEqual({ address: '::1', range: 'loopback' });
    expect(refuseAddress('::1', allow('::1'))).toBeNull();
    expect(refuseAddress('fd00::5', allow('fd00::/8'))).toBeNull();
    // Allowing an IPv4 address allows it however IPv6 spells it, and the other way round.
    expect(refuseAddress('::ffff:7f00:2', list)).toBeNull();
    expect(refuseAddress('127.0.0.3', allow('::ffff:127.0.0.0/104'))).toBeNull();
  });
});

describe('what the admin reads', () => {
  it('names the address, where it is and the setting, never more than the host', () => {
    expect(describeRefusal('127.0.0.1', { address: '127.0.0.1', range: 'loopback' })).toBe(
      'The address 127.0.0.1 is on this machine (loopback); allow it with FIREBREAK_ALLOW_PRIVATE_TARGETS',
    );
    expect(describeRefusal('[::1]', { address: '::1', range: 'loopback' })).toBe(
      'The address ::1 is on this machine (loopback); allow it with FIREBREAK_ALLOW_PRIVATE_TARGETS',
    );
    expect(describeRefusal('metadata.internal', { address: '169.254.169.254', range: 'link_local' })).toBe(
      'metadata.internal resolves to 169.254.169.254, which is on a link-local network, where cloud metadata services answer; allow it with FIREBREAK_ALLOW_PRIVATE_TARGETS',
    );
  });
});
