import { type FormEvent, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { humanMessage } from '../api/client';
import { useCategories, useServices, useStaff, useTeams } from '../api/hooks';
import { useCreateTicketWithFiles } from '../api/ticket-hooks';
import type { TicketT } from '../api/types';
import { Banner, Button, Field, IdSelect, LevelSelect, PageHeader } from '../ui/kit';
import { CHANNEL_LABEL } from '../ui/labels';
import { type Person, PersonPicker } from './PersonPicker';

/** What a caller can reach the desk by; portal, API and monitoring tickets log themselves. */
const DESK_CHANNELS = ['phone', 'walk_in', 'chat', 'email'] as const;

/**
 * The desk logs a ticket for someone else — a caller, a visitor at the desk, a chat: who it is
 * for (found, or added on the spot), how it came in, and the routing a requester cannot set.
 * It returns to the desk on the new ticket.
 */
export default function NewTicket() {
  const navigate = useNavigate();
  const services = useServices();
  const categories = useCategories();
  const teams = useTeams();
  const staff = useStaff();
  const [requester, setRequester] = useState<Person | null>(null);
  const [form, setForm] = useState({
    kind: 'incident' as 'incident' | 'service_request',
    channel: 'phone' as (typeof DESK_CHANNELS)[number],
    title: '',
    description: '',
    serviceId: '',
    categoryId: '',
    impact: '',
    urgency: '',
    teamId: '',
    assigneeId: '',
  });
  const [files, setFiles] = useState<File[]>([]);
  const [missing, setMissing] = useState<Record<string, string>>({});
  const log = useCreateTicketWithFiles(files);
  // A field's "missing" message goes as soon as the person fills it in.
  const settle = (k: string) => setMissing(({ [k]: _gone, ...rest }) => rest);
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => {
    setForm({ ...form, [k]: e.target.value });
    settle(k);
  };

  const categoryList = categories.data?.items ?? [];
  const categoryName = (id: string | null) => categoryList.find((c) => c.id === id)?.name ?? '';
  const categoryOptions = categoryList
    .map((c) => ({ id: c.id, parentId: c.parentId, name: c.parentId ? `${categoryName(c.parentId)} › ${c.name}` : c.name }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const team = teams.data?.items.find((t) => t.id === form.teamId);
  const people = staff.data?.items ?? [];
  const assignable = team ? people.filter((u) => team.memberIds.includes(u.id)) : people;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    // What the server would refuse anyway, said next to the field before anything is sent.
    const gaps: Record<string, string> = {};
    if (!requester) gaps.requesterId = 'Choose who this ticket is for, or add them as a new requester.';
    if (!form.title.trim()) gaps.title = 'Say in one line what the caller reports.';
    if (!form.impact) gaps.impact = 'Choose how many people are affected.';
    if (!form.urgency) gaps.urgency = 'Choose how badly their work is stopped.';
    setMissing(gaps);
    if (Object.keys(gaps).length > 0 || !requester) return;
    const chosenCategory = categoryOptions.find((c) => c.id === form.categoryId);
    const logged = await log.run({
      kind: form.kind,
      channel: form.channel,
      requesterId: requester.id,
      title: form.title,
      description: form.description,
      serviceId: form.serviceId || null,
      // A subcategory is sent with its parent, as the API keeps both.
      categoryId: chosenCategory ? (chosenCategory.parentId ?? chosenCategory.id) : null,
      subcategoryId: chosenCategory?.parentId ? chosenCategory.id : null,
      impact: Number(form.impact) as TicketT['impact'],
      urgency: Number(form.urgency) as TicketT['urgency'],
      teamId: form.teamId || null,
      assigneeId: form.assigneeId || null,
    });
    if (logged) navigate(`/desk/tickets/${logged.ticket.id}`, { state: { uploadError: logged.uploadError } });
  };

  const fieldError = (name: string) => missing[name] ?? log.fieldError(name);
  const select = (label: string, key: keyof typeof form, options: { id: string; name: string }[], none: string) => (
    <IdSelect label={label} value={form[key]} onChange={set(key)} options={options} none={none} error={fieldError(key)} />
  );

  return (
    <div className="narrow desk-new">
      <p>
        <Link to="/desk">← Queues</Link>
      </p>
      <PageHeader title="Log a ticket for someone" />
      {log.error && !log.hasFieldErrors ? <Banner tone="danger">{humanMessage(log.error)}</Banner> : null}
      {log.hasFieldErrors ? (
        <Banner tone="danger" title="Please check the form">
          {humanMessage(log.error)}
        </Banner>
      ) : null}
      <form className="card" onSubmit={submit} noValidate aria-label="Log a ticket">
        <PersonPicker
          label="Requester"
          value={requester}
          onChange={(person) => {
            setRequester(person);
            settle('requesterId');
          }}
          allowCreate
          error={fieldError('requesterId')}
        />
        <div className="form-grid">
          <Field label="How did they contact us?" error={fieldError('channel')}>
            {(p) => (
              <select {...p} value={form.channel} onChange={set('channel')}>
                {DESK_CHANNELS.map((c) => (
                  <option key={c} value={c}>
                    {CHANNEL_LABEL[c][0].toUpperCase() + CHANNEL_LABEL[c].slice(1)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Type" error={fieldError('kind')}>
            {(p) => (
              <select {...p} value={form.kind} onChange={set('kind')}>
                <option value="incident">Incident (something is broken)</option>
                <option value="service_request">Service request (they need something)</option>
              </select>
            )}
          </Field>
        </div>
        <Field label="Summary" hint="One line, e.g. “Cannot print from the 3rd floor”." error={fieldError('title')}>
          {(p) => <input {...p} value={form.title} onChange={set('title')} maxLength={200} required />}
        </Field>
        <Field label="Details" hint="What they told you: what happened, since when, error messages." error={fieldError('description')}>
          {(p) => <textarea {...p} value={form.description} onChange={set('description')} maxLength={20000} />}
        </Field>
        <div className="form-grid">
          {select('Service', 'serviceId', services.data?.items ?? [], 'Not known yet')}
          {select('Category', 'categoryId', categoryOptions, 'Not known yet')}
          <LevelSelect of="impact" value={form.impact} onChange={set('impact')} choose="Choose…" error={fieldError('impact')} />
          <LevelSelect of="urgency" value={form.urgency} onChange={set('urgency')} choose="Choose…" error={fieldError('urgency')} />
          {select('Team', 'teamId', teams.data?.items ?? [], 'From the category or service')}
          {select('Assignee', 'assigneeId', assignable, 'Unassigned')}
        </div>
        <Field label="Attach files (optional)" hint="Screenshots or logs they sent, up to 10 MB each.">
          {(p) => <input {...p} type="file" multiple onChange={(e) => setFiles([...(e.target.files ?? [])])} />}
        </Field>
        <div className="form-actions">
          <Button tone="primary" type="submit" busy={log.busy}>
            Log ticket
          </Button>
          <Link className="btn btn-secondary" to="/desk">
            Cancel
          </Link>
        </div>
      </form>
    </div>
  );
}
