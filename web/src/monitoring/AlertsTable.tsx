import type { AlertT } from '../api/types';
import { When } from '../ui/kit';

/** Deduplicated alerts: one row per fingerprint, with how often it fired. */
export function AlertsTable({ alerts, showTicket = true }: { alerts: AlertT[]; showTicket?: boolean }) {
  return (
    <table className="data">
      <thead>
        <tr>
          <th scope="col">Alert</th>
          <th scope="col">State</th>
          <th scope="col">Severity</th>
          <th scope="col">Count</th>
          <th scope="col">Last seen</th>
          {showTicket && <th scope="col">Ticket</th>}
        </tr>
      </thead>
      <tbody>
        {alerts.map((a) => (
          <tr key={a.id}>
            <td>
              {a.summary}
              <div className="muted mono" style={{ fontSize: '.8rem' }}>
                {Object.entries(a.labels)
                  .slice(0, 4)
                  .map(([k, v]) => `${k}=${v}`)
                  .join(' ')}
              </div>
            </td>
            <td>
              <span className={`badge ${a.status === 'firing' ? 'sla-breached' : 'sla-met'}`}>{a.status}</span>
            </td>
            <td>{a.severity}</td>
            <td>{a.count}</td>
            <td>
              <When at={a.lastSeenAt} />
            </td>
            {showTicket && (
              <td>
                {a.ticketId ? <a href={`/tickets/${a.ticketId}`}>{a.ticketNumber ?? 'open'}</a> : <span className="muted">{a.action}</span>}
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
