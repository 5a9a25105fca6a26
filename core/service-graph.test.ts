import { describe, expect, it } from 'vitest';
import { dependentsOf, findDependencyCycle } from './service-graph.js';

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
