import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dependentsOf, findDependencyCycle, serviceImpact, servicesThatCanBreak } from './service-graph.js';

const edges = [
  { serviceId: 'email', dependsOnId: 'sso' },
  { serviceId: 'sso', dependsOnId: 'network' },
  { serviceId: 'vpn', dependsOnId: 'network' },
  { serviceId: 'payroll', dependsOnId: 'sso' },
];

describe('service dependencies', () => {
  it('finds a cycle that a new dependency would close', () => {
    expect(findDependencyCycle(edges, 'network', ['email'])).toEqual(['network', 'email', 'sso', 'network']);
    expect(findDependencyCycle(edges, 'network', ['network'])).toEqual(['network', 'network']);
  });

  it('accepts a dependency that keeps the graph acyclic', () => {
    expect(findDependencyCycle(edges, 'payroll', ['network', 'sso'])).toBeNull();
  });

  it('lists everyone who feels an outage, directly or through others', () => {
    expect(dependentsOf(edges, 'network').sort()).toEqual(['email', 'payroll', 'sso', 'vpn']);
    expect(dependentsOf(edges, 'email')).toEqual([]);
  });
});

describe('what can break a service ("is it just me?")', () => {
  // Payroll depends on the database cluster, which depends on storage; VPN is unrelated.
  const edges = [
    { serviceId: 'payroll', dependsOnId: 'db' },
    { serviceId: 'db', dependsOnId: 'storage' },
  ];
  const services = [
    { id: 'payroll', parentId: null },
    { id: 'payroll-export', parentId: 'payroll' },
    { id: 'db', parentId: null },
    { id: 'storage', parentId: null },
    { id: 'san-a', parentId: 'storage' },
    { id: 'vpn', parentId: null },
  ];

  it('includes the service, its components, and what it depends on, transitively', () => {
    expect(servicesThatCanBreak(edges, services, 'payroll').sort()).toEqual(['db', 'payroll', 'payroll-export', 'san-a', 'storage']);
  });

  it('does not include services that depend on it, or unrelated ones', () => {
    expect(servicesThatCanBreak(edges, services, 'storage').sort()).toEqual(['san-a', 'storage']);
    expect(servicesThatCanBreak(edges, services, 'vpn')).toEqual(['vpn']);
  });
});

describe('service impact ("what else is affected", issue 17)', () => {
  it('lists the dependents of a service, nearest first, with the service they feel it through', () => {
    expect(serviceImpact(edges, 'network')).toEqual([
      { serviceId: 'sso', depth: 1, viaId: 'network' },
      { serviceId: 'vpn', depth: 1, viaId: 'network' },
      { serviceId: 'email', depth: 2, viaId: 'sso' },
      { serviceId: 'payroll', depth: 2, viaId: 'sso' },
    ]);
    expect(serviceImpact(edges, 'email')).toEqual([]);
  });

  it('names each service once, never the service itself, exactly the transitive dependents (property)', () => {
    const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    // Only acyclic graphs exist (findDependencyCycle refuses the rest): edges go from a later name to an earlier one.
    const graph = fc
      .array(fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 })), { maxLength: 20 })
      .map((pairs) =>
        pairs.filter(([x, y]) => x > y).map(([x, y]) => ({ serviceId: names[x] as string, dependsOnId: names[y] as string })),
      );
    fc.assert(
      fc.property(graph, fc.constantFrom(...names), (g, start) => {
        const impact = serviceImpact(g, start);
        const ids = impact.map((s) => s.serviceId);
        expect(new Set(ids).size).toBe(ids.length);
        expect(ids).not.toContain(start);
        expect([...ids].sort()).toEqual([...dependentsOf(g, start)].sort());
        for (const s of impact) {
          // It truly depends on what it is said to feel the outage through, one step nearer.
          expect(g.some((e) => e.serviceId === s.serviceId && e.dependsOnId === s.viaId)).toBe(true);
          if (s.depth > 1) expect(impact.find((o) => o.serviceId === s.viaId)?.depth).toBe(s.depth - 1);
          else expect(s.viaId).toBe(start);
        }
      }),
    );
  });
});
