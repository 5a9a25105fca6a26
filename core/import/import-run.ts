/**
 * An import's standing as Admin › Import shows it (issue 16). The run's row says `running` until
 * the import ends; an import whose process died says so forever, so a running row whose heartbeat
 * (moved with every progress write, at least once a batch) stopped longer than the import lock's
 * lease ago is an import that was interrupted — the lock is free again, and importing the same
 * file finishes the job without doubling anything.
 */
export type StoredImportState = 'running' | 'done' | 'failed';
export type ImportRunState = StoredImportState | 'interrupted';

export function importRunState(stored: StoredImportState, heartbeatAt: Date, now: Date, leaseMs: number): ImportRunState {
  if (stored !== 'running') return stored;
  return now.getTime() - heartbeatAt.getTime() > leaseMs ? 'interrupted' : 'running';
}
