import { useState } from 'react';
import { humanMessage } from '../../api/client';
import * as api from '../../api/endpoints/incident-response';
import { keys } from '../../api/keys';
import { useRoleHolders, useRoster } from '../../api/major-incident-hooks';
import { useApiMutation } from '../../api/mutation';
import type { MeT, RoleHoldingT, TicketT } from '../../api/types';
import { Banner, Button, Field, Loading } from '../../ui/kit';

type Staff = { id: string; name: string }[];

/**
 * Who holds which response role, at the top of a major incident: each role of the roster with
 * its holders, and the person's own roles with their checklists ("what is my role").
 */
export function RolesPanel({ ticket, me, staff }: { ticket: TicketT; me: MeT; staff: Staff }) {
  const roster = useRoster();
  const holders = useRoleHolders(ticket.id);
  const invalidates = [keys.ticket.response(ticket.id), keys.ticket.timeline(ticket.id), keys.myIncidentRoles];
  const assign = useApiMutation({
    mutationFn: (body: Parameters<typeof api.assignRole>[1]) => api.assignRole(ticket.id, body),
    invalidates,
  });
  const release = useApiMutation({
    mutationFn: (body: Parameters<typeof api.releaseRole>[1]) => api.releaseRole(ticket.id, body),
    invalidates,
  });
  if (roster.isPending || holders.isPending) return <Loading what="the response roles" />;
  const held = holders.data?.items ?? [];
  const mine = held.filter((h) => h.holder?.id === me.id);
  const open = !['closed', 'cancelled'].includes(ticket.state);
  const problem = assign.error ?? release.error;
  return (
    <section className="card" aria-labelledby="roles-title">
      <h2 id="roles-title">Response roles</h2>
      {mine.length > 0 && (
        <div className="my-roles" data-testid="my-roles">
          {mine.map((h) => (
            <div key={h.id}>
              <p>
                <strong>Your role: {h.role.name}.</strong> {h.role.description}
              </p>
              {h.role.checklist.length > 0 && (
                <ul className="checklist">
                  {h.role.checklist.map((item) => (
                    <li key={item}>{item}</li>
                  ))}
                </ul>
              )}
            </div>
          ))}
        </div>
      )}
      {problem ? <Banner tone="danger">{humanMessage(problem)}</Banner> : null}
      <ul className="plain-list role-list">
        {(roster.data?.items ?? [])
          .filter((r) => r.active)
          .map((role) => (
            <RoleRow
              key={role.id}
              role={role}
              holders={held.filter((h) => h.role.id === role.id)}
              staff={staff}
              open={open}
              busy={assign.busy || release.busy}
              onAssign={(userId, fromUserId) => assign.run({ roleId: role.id, userId, ...(fromUserId ? { fromUserId } : {}) })}
              onRelease={(userId) => release.run({ roleId: role.id, userId })}
            />
          ))}
      </ul>
    </section>
  );
}

function RoleRow({
  role,
  holders,
  staff,
  open,
  busy,
  onAssign,
  onRelease,
}: {
  role: { id: string; name: string; singleHolder: boolean; pages: boolean };
  holders: RoleHoldingT[];
  staff: Staff;
  open: boolean;
  busy: boolean;
  onAssign: (userId: string, fromUserId?: string) => Promise<unknown>;
  onRelease: (userId: string) => Promise<unknown>;
}) {
  const [choosing, setChoosing] = useState(false);
  const [person, setPerson] = useState('');
  const handOver = role.singleHolder && holders.length > 0;
  const verb = handOver ? 'Hand over' : 'Assign';
  return (
    <li className="role-row">
      <div className="row">
        <strong>{role.name}</strong>
        {role.pages && <span className="badge badge-pages">pages</span>}
      </div>
      {holders.length === 0 && <p className="muted role-holder">Nobody yet</p>}
      {holders.map((h) => (
        <div key={h.id} className="row role-holder">
          <span>{h.holder?.name}</span>
          {open && (
            <Button
              tone="ghost"
              disabled={busy}
              onClick={() => onRelease(h.holder?.id ?? '')}
              aria-label={`Release ${role.name} from ${h.holder?.name}`}
            >
              Release
            </Button>
          )}
        </div>
      ))}
      {open && !choosing && (
        <Button tone="ghost" onClick={() => setChoosing(true)} aria-label={`${verb} ${role.name}`}>
          {verb}
        </Button>
      )}
      {choosing && (
        <div className="row role-assign">
          <Field label={handOver ? `Hand ${role.name} over to` : `Give ${role.name} to`}>
            {(p) => (
              <select {...p} value={person} onChange={(e) => setPerson(e.target.value)}>
                <option value="">Choose a person</option>
                {staff
                  .filter((s) => !holders.some((h) => h.holder?.id === s.id))
                  .map((s) => (
                    <option key={s.id} value={s.id}>
                      {s.name}
                    </option>
                  ))}
              </select>
            )}
          </Field>
          <Button
            tone="primary"
            busy={busy}
            disabled={!person}
            onClick={async () => {
              if ((await onAssign(person, handOver ? holders[0].holder?.id : undefined)) !== undefined) {
                setChoosing(false);
                setPerson('');
              }
            }}
          >
            {verb}
          </Button>
          <Button onClick={() => setChoosing(false)}>Cancel</Button>
        </div>
      )}
    </li>
  );
}
