import { useState } from 'react';
import type { CheckState } from '../../../core/vocabulary';
import { ErrorNote } from '../admin/ErrorNote';
import * as monitoringApi from '../api/endpoints/monitoring';
import { keys } from '../api/keys';
import { useCheckResults } from '../api/monitoring-hooks';
import { useApiMutation } from '../api/mutation';
import type { CheckT } from '../api/types';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { count } from '../ui/format';
import { Button, EditButton, When } from '../ui/kit';
import { LatencyChart } from './LatencyChart';

const STATE: Record<CheckState, { label: string; tone: string }> = {
  pending: { label: 'Waiting for its first probe', tone: 'sla-running' },
  up: { label: 'Up', tone: 'sla-met' },
  failing: { label: 'Failing', tone: 'sla-warning' },
  down: { label: 'Down', tone: 'sla-breached' },
  paused: { label: 'Paused', tone: 'sla-paused' },
};

const percent = (p: number) => `${p < 1 && p > 0 ? p.toFixed(1) : Math.round(p)} %`;

/**
 * One check: its state, last probe, recent failures and any drift in plain words, its
 * response-time chart, and what the person may do (check now; admins also edit, pause, delete).
 */
export function CheckItem({ check, isAdmin, onEdit }: { check: CheckT; isAdmin: boolean; onEdit: () => void }) {
  const results = useCheckResults(check);
  // What the person does to the check, with one error shown for all of it.
  const save = useApiMutation({
    mutationFn: (act: 'run' | 'toggle' | 'delete') =>
      act === 'run'
        ? monitoringApi.runCheck(check.id)
        : act === 'toggle'
          ? monitoringApi.updateCheck(check.id, { active: !check.active })
          : monitoringApi.removeCheck(check.id),
    invalidates: [keys.monitoring.checks],
  });
  const [confirmDelete, setConfirmDelete] = useState(false);
  const items = [...(results.data?.items ?? [])].sort((a, b) => a.at.localeCompare(b.at)).slice(-120);
  const failed = items.filter((r) => !r.ok).length;
  const state = STATE[check.state];
  return (
    <li className="sla-item check-item" aria-labelledby={`check-${check.id}`}>
      <div className="row">
        <h3 id={`check-${check.id}`} className="check-name">
          {check.name}
        </h3>
        <span className="muted mono">{check.target}</span>
        <span className={`badge ${state.tone}`}>{state.label}</span>
        {check.baseline.drifting && <span className="badge sla-warning">Latency drift: slower than usual</span>}
        {check.errorRate.drifting && <span className="badge sla-warning">Error-rate drift: failing more often than usual</span>}
      </div>
      <p className="muted">
        {check.lastRunAt ? (
          <>
            Last probe <When at={check.lastRunAt} />
          </>
        ) : (
          'Not probed yet'
        )}{' '}
        · every {check.intervalSeconds} s
        {check.state === 'failing' &&
          ` · ${check.consecutiveFailures} of ${check.failuresBeforeDown} failures in a row before it counts as down`}
        {check.state === 'down' && ` · ${count(check.consecutiveFailures, 'failure')} in a row`}
      </p>
      {items.length > 0 && (
        <p className="muted">
          Failed {failed} of the last {count(items.length, 'probe')} ({percent((failed / items.length) * 100)})
          {/* Usual values only once the baselines have learnt enough to be judged against (20 probes each). */}
          {check.errorRate.baselineProbes >= 20 && `; usually ${percent(check.errorRate.usualPercent)}`}
          {check.baseline.samples >= 20 && ` · usual response time ${Math.round(check.baseline.meanMs)} ms`}
        </p>
      )}
      <LatencyChart results={items} meanMs={check.baseline.meanMs} baselineReady={check.baseline.samples >= 20} name={check.name} />
      <ErrorNote error={save.error} />
      <div className="row check-actions">
        {check.active && (
          <Button busy={save.busy} onClick={() => save.run('run')}>
            Check now<span className="visually-hidden"> {check.name}</span>
          </Button>
        )}
        {isAdmin && (
          <>
            <EditButton name={check.name} onClick={onEdit} />
            <Button busy={save.busy} onClick={() => save.run('toggle')}>
              {check.active ? 'Pause' : 'Resume'}
              <span className="visually-hidden"> {check.name}</span>
            </Button>
            <Button tone="danger" onClick={() => setConfirmDelete(true)}>
              Delete<span className="visually-hidden"> {check.name}</span>
            </Button>
          </>
        )}
      </div>
      <ConfirmDialog
        open={confirmDelete}
        title={`Delete ${check.name}?`}
        confirmLabel="Delete check"
        error={<ErrorNote error={save.error} />}
        onCancel={() => setConfirmDelete(false)}
        // A failure keeps the dialog open, with its error.
        onConfirm={async () => (await save.run('delete')) !== undefined}
      >
        <p>Its probe history is deleted too. The alerts and tickets it raised stay as they are. This cannot be undone.</p>
      </ConfirmDialog>
    </li>
  );
}
