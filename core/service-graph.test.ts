import { describe, expect, it } from 'vitest';
import { dependentsOf, findDependencyCycle, servicesThatCanBreak } from './service-graph.js';

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
