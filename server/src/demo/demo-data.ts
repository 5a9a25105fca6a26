import type { ServiceDeps } from '../services/deps.js';

/** Placeholder replaced by the demo data set loader. */
export async function loadDemoData(_deps: ServiceDeps): Promise<string> {
  throw new Error('demo data is not built yet');
}
