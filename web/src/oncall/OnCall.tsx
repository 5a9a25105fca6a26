import { isManager } from '../../../core/permissions';
import { humanMessage } from '../api/client';
import { useMe, useStaff } from '../api/hooks';
import { useOnCallNow, useRota, useSchedules } from '../api/on-call-hooks';
import type { ScheduleT as Schedule } from '../api/types';
import { Banner, EmptyState, Loading, PageHeader } from '../ui/kit';
import { Overrides } from './Overrides';

const DAYS = 14;
const PALETTE = ['#f3c6bb', '#bcd7f5', '#c9e8c8', '#f6e3a8', '#dccbf2', '#f5cbe3', '#c4ece8', '#e6d3c0'];

/** Who is on call now, and the next two weeks of each schedule as a rota (overrides hatched). */
export default function OnCallPage() {
  const schedules = useSchedules();
  if (schedules.isPending) return <Loading what="on-call schedules" />;
  if (schedules.error) return <Banner tone="danger">{humanMessage(schedules.error)}</Banner>;
  const items = schedules.data.items;
  return (
    <div className="stack">
      <PageHeader title="On-call" />
      {items.length === 0 ? (
        <EmptyState title="No on-call schedules yet">Admins and managers set them up in Admin › On-call.</EmptyState>
      ) : (
        items.map((s) => <ScheduleCard key={s.id} schedule={s} />)
      )}
    </div>
  );
}

function ScheduleCard({ schedule }: { schedule: Schedule }) {
  const users = useStaff();
  const me = useMe().data;
  const staff = users.data?.items ?? [];
  const nameOf = new Map(staff.map((u) => [u.id, u.name]));
  const from = new Date();
  from.setMinutes(0, 0, 0);
  const to = new Date(from.getTime() + DAYS * 86_400_000);
  const now = useOnCallNow(schedule.id);
  const rota = useRota(schedule.id, from, to);
  const span = to.getTime() - from.getTime();
  // Times in the person's own zone (Settings), not the browser's: a laptop abroad still shows home hours.
  const zone = me?.timeZone;
  const at = (iso: string | Date) => new Date(iso).toLocaleString(undefined, { timeZone: zone });
  const day = (d: Date) => d.toLocaleDateString(undefined, { timeZone: zone });
  const people = [...new Set((rota.data?.final ?? []).map((s) => s.userId))];
  const colour = (id: string) => PALETTE[people.indexOf(id) % PALETTE.length];
  return (
    <section className="card" aria-labelledby={`schedule-${schedule.id}`}>
      <h2 id={`schedule-${schedule.id}`}>{schedule.name}</h2>
      <p>
        On call now: <strong>{now.data?.user?.name ?? (now.isPending ? '…' : 'nobody')}</strong>
        {now.data?.source === 'override' ? ' (override)' : ''}{' '}
        <span className="muted">
          · handoffs follow {schedule.timeZone}; times here are in your time zone (
          {zone ?? Intl.DateTimeFormat().resolvedOptions().timeZone})
        </span>
      </p>
      {rota.data && (
        <div
          className="rota"
          role="img"
          aria-label={`Rota for the next ${DAYS} days: ${rota.data.final.map((s) => `${nameOf.get(s.userId) ?? 'someone'} from ${at(s.start)}`).join('; ')}`}
        >
          <div className="rota-row">
            {rota.data.final.map((s) => {
              const left = ((new Date(s.start).getTime() - from.getTime()) / span) * 100;
              const width = ((new Date(s.end).getTime() - new Date(s.start).getTime()) / span) * 100;
              return (
                <span
                  key={`${s.userId}-${s.start}`}
                  className={`rota-seg ${s.source === 'override' ? 'override' : ''}`}
                  style={{ left: `${Math.max(0, left)}%`, width: `${width}%`, background: colour(s.userId) }}
                  title={`${nameOf.get(s.userId) ?? 'someone'}: ${at(s.start)} – ${at(s.end)}`}
                >
                  {nameOf.get(s.userId) ?? '…'}
                </span>
              );
            })}
          </div>
          <div className="rota-scale" aria-hidden="true">
            <span>{day(from)}</span>
            <span>{day(new Date(from.getTime() + span / 2))}</span>
            <span>{day(to)}</span>
          </div>
        </div>
      )}
      <Overrides
        scheduleId={schedule.id}
        scheduleName={schedule.name}
        staff={staff}
        canChange={me ? isManager(me) : false}
        timeZone={zone ?? Intl.DateTimeFormat().resolvedOptions().timeZone}
      />
    </section>
  );
}
