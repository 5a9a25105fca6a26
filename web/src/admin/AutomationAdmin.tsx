import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import {
  AUTOMATION_TRIGGERS,
  CONDITION_FIELD_LABELS,
  TRIGGER_LABELS,
  WATCHED_FIELDS,
  type WatchedField,
} from '../../../core/automation/rules';
import { MAX_RULE_RECIPIENTS } from '../../../core/contracts/automation';
import { ASSIGNMENT_STRATEGIES, STRATEGY_LABELS } from '../../../core/fair-assignment';
import { CHANNELS, TICKET_KINDS } from '../../../core/vocabulary';
import { ApiError } from '../api/client';
import * as automationApi from '../api/endpoints/automation';
import { cannedRepliesKey, list as listCannedReplies } from '../api/endpoints/canned-replies';
import { policies as listEscalationPolicies } from '../api/endpoints/on-call';
import { list as listTickets } from '../api/endpoints/tickets';
import { useCalendars, useServices, useStaff, useTeams } from '../api/hooks';
import { useApiMutation } from '../api/mutation';
import { Banner, Button, EmptyState, Field, IdSelect, Loading, PageHeader } from '../ui/kit';
import { CHANNEL_LABEL, PRIORITY_LABEL } from '../ui/labels';
import { EMPTY_FORM, formFieldOf, formOf, type RuleForm, ruleOf } from './automation-form';
import { ErrorNote } from './ErrorNote';

const KIND_WORDS: Record<string, string> = {
  incident: 'Incident',
  service_request: 'Service request',
  disturbance: 'Disturbance',
  problem: 'Problem',
  change: 'Change',
};
const WATCHED_WORDS: Record<WatchedField, string> = {
  state: 'State',
  priority: 'Priority',
  impact: 'Impact',
  urgency: 'Urgency',
  teamId: 'Team',
  assigneeId: 'Assignee',
  serviceId: 'Service',
  categoryId: 'Category',
};

/**
 * Admin › Automation (issue 18 item 1): the rules in the order they run, each turned on or off
 * here; a form for the common rule (when, on which tickets, what to do); and a dry run that shows
 * which recent tickets the rule would touch and how, before it is turned on.
 */
export function AutomationAdmin() {
  const rules = useQuery({ queryKey: automationApi.automationRulesKey, queryFn: automationApi.list });
  const [editing, setEditing] = useState<{ id: string | null; version: number; form: RuleForm } | null>(null);
  const invalidates = [automationApi.automationRulesKey];
  const toggle = useApiMutation({
    // Turning a saved rule on or off changes nobody it tells: an audience confirmed on save stays confirmed.
    mutationFn: (r: automationApi.AutomationRuleT) =>
      automationApi.update(r.id, r.version, { ...ruleOf(formOf(r)), enabled: !r.enabled, confirmLargeAudience: true }),
    invalidates,
  });
  const reorder = useApiMutation({ mutationFn: automationApi.reorder, invalidates });
  const remove = useApiMutation({ mutationFn: automationApi.remove, invalidates });
  const items = rules.data?.items ?? [];
  const move = (i: number, by: -1 | 1) => {
    const ids = items.map((r) => r.id);
    [ids[i], ids[i + by]] = [ids[i + by], ids[i]];
    void reorder.run(ids);
  };
  return (
    <div className="stack">
      <PageHeader title="Automation">
        <Button tone="primary" onClick={() => setEditing({ id: null, version: 0, form: { ...EMPTY_FORM } })}>
          New rule
        </Button>
      </PageHeader>
      <p className="muted">
        Rules act on tickets as they change: when something happens to a ticket and it is as described, Firebreak does what the rule says
        and records it on the ticket's timeline as the rule's work. Rules run from the top; one that stops the list ends it.
      </p>
      <ErrorNote error={toggle.error ?? reorder.error ?? remove.error} />
      {!rules.data ? (
        <Loading what="the rules" />
      ) : items.length === 0 ? (
        <EmptyState title="No rules yet">Write one with “New rule”, try it with a dry run, then turn it on.</EmptyState>
      ) : (
        <table className="data">
          <caption>Rules, in the order they run</caption>
          <thead>
            <tr>
              <th scope="col">Rule</th>
              <th scope="col">When</th>
              <th scope="col">State</th>
              <th scope="col">Order</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((r, i) => (
              <tr key={r.id} data-rule={r.name}>
                <td>
                  {r.name}
                  {r.stopAfterMatch && <span className="muted"> · stops the list</span>}
                  {r.disabledReason && <p className="field-error">Turned off: {r.disabledReason}</p>}
                </td>
                <td>
                  {TRIGGER_LABELS[(r.trigger as { on: keyof typeof TRIGGER_LABELS }).on]}
                  {typeof r.trigger.hours === 'number' && ` (${r.trigger.hours} business hour${r.trigger.hours === 1 ? '' : 's'})`}
                </td>
                <td>
                  <strong>{r.enabled ? 'On' : 'Off'}</strong>{' '}
                  <Button
                    busy={toggle.busy}
                    onClick={() => void toggle.run(r)}
                    aria-label={r.enabled ? `Turn off “${r.name}”` : `Turn on “${r.name}”`}
                  >
                    {r.enabled ? 'Turn off' : 'Turn on'}
                  </Button>
                </td>
                <td>
                  <Button disabled={i === 0} onClick={() => move(i, -1)} aria-label={`Move “${r.name}” up`}>
                    ↑
                  </Button>
                  <Button disabled={i === items.length - 1} onClick={() => move(i, 1)} aria-label={`Move “${r.name}” down`}>
                    ↓
                  </Button>
                </td>
                <td>
                  <Button onClick={() => setEditing({ id: r.id, version: r.version, form: formOf(r) })} aria-label={`Edit “${r.name}”`}>
                    Edit
                  </Button>{' '}
                  <Button tone="danger" onClick={() => void remove.run(r.id)} aria-label={`Remove “${r.name}”`}>
                    Remove
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {editing && <RuleEditor key={editing.id ?? 'new'} editing={editing} onDone={() => setEditing(null)} />}
    </div>
  );
}

function RuleEditor({ editing, onDone }: { editing: { id: string | null; version: number; form: RuleForm }; onDone: () => void }) {
  const [form, setForm] = useState<RuleForm>(editing.form);
  const [last, setLast] = useState('100');
  const services = useServices().data?.items ?? [];
  const teams = useTeams().data?.items ?? [];
  const staff = useStaff().data?.items ?? [];
  const replies = (useQuery({ queryKey: cannedRepliesKey, queryFn: listCannedReplies }).data?.items ?? []).filter(
    (r) => r.scope === 'shared',
  );
  const calendars = useCalendars().data?.items ?? [];
  const policies = useQuery({ queryKey: ['escalation-policies'], queryFn: listEscalationPolicies }).data?.items ?? [];
  const webhooks = (useQuery({ queryKey: automationApi.webhooksKey, queryFn: automationApi.webhooks }).data?.items ?? []).filter(
    (w) => w.active,
  );
  const problems = (
    useQuery({
      queryKey: ['tickets', 'open-problems'],
      queryFn: () => listTickets({ kind: 'problem', state: 'open', limit: '100' }),
    }).data?.items ?? []
  ).map((t) => ({ id: t.id, name: `${t.number} · ${t.title}` }));
  const save = useApiMutation({
    mutationFn: (body: automationApi.SaveAutomationRuleIn) =>
      editing.id ? automationApi.update(editing.id, editing.version, body) : automationApi.create(body),
    invalidates: [automationApi.automationRulesKey],
  });
  // A rule telling more than MAX_RULE_RECIPIENTS people is saved only once the admin confirms: the server asks, naming the count.
  const asked =
    save.error instanceof ApiError && save.error.fieldErrors.some((e) => e.field === 'confirmLargeAudience') ? save.error : null;
  const audience = typeof asked?.body.audience === 'number' ? asked.body.audience : null;
  const dryRun = useApiMutation({ mutationFn: automationApi.dryRun });
  const set = <K extends keyof RuleForm>(key: K, value: RuleForm[K]) => setForm((f) => ({ ...f, [key]: value }));
  const saved = ruleOf(form);
  const problem = save.error instanceof ApiError ? save.error : dryRun.error instanceof ApiError ? dryRun.error : null;
  const errorOf = (name: string) => {
    const blamed = problem?.fieldErrors.find((e) => formFieldOf(e.field.replace(/^rule\./, ''), saved) === name);
    return blamed?.message;
  };
  const text = (key: 'name' | 'contains' | 'matches') => (e: { target: { value: string } }) => set(key, e.target.value);
  const id = (key: keyof RuleForm) => (e: { target: { value: string } }) => set(key, e.target.value as never);
  return (
    <section className="card stack" aria-labelledby="rule-editor">
      <h2 id="rule-editor">{editing.id ? `Edit “${editing.form.name}”` : 'New rule'}</h2>
      <form
        className="stack"
        onSubmit={async (e) => {
          e.preventDefault();
          if (await save.run(saved)) onDone();
        }}
      >
        <Field label="Name" error={errorOf('name') ?? save.fieldError('name')}>
          {(p) => <input {...p} value={form.name} onChange={text('name')} required maxLength={120} />}
        </Field>
        <fieldset className="stack">
          <legend>When</legend>
          <Field label="Trigger">
            {(p) => (
              <select {...p} value={form.trigger} onChange={(e) => set('trigger', e.target.value as RuleForm['trigger'])}>
                {AUTOMATION_TRIGGERS.map((t) => (
                  <option key={t} value={t}>
                    {TRIGGER_LABELS[t]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {form.trigger === 'idle' && (
            <Field
              label="Business hours without a reply or work note"
              hint="Counted in the ticket's SLA calendar (round the clock without one). The rule runs once per quiet stretch."
              error={errorOf('idleHours')}
            >
              {(p) => (
                <input
                  {...p}
                  type="number"
                  min={1}
                  max={2000}
                  value={form.idleHours}
                  onChange={(e) => set('idleHours', e.target.value)}
                  required
                />
              )}
            </Field>
          )}
          {form.trigger === 'field_changed' && (
            <Field label="Which field">
              {(p) => (
                <select {...p} value={form.watchedField} onChange={(e) => set('watchedField', e.target.value as WatchedField)}>
                  {WATCHED_FIELDS.map((f) => (
                    <option key={f} value={f}>
                      {WATCHED_WORDS[f]}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          )}
        </fieldset>
        <fieldset className="form-grid">
          <legend>Only for tickets that are (leave empty: any)</legend>
          <IdSelect
            label={CONDITION_FIELD_LABELS.service}
            value={form.serviceId}
            onChange={id('serviceId')}
            options={services}
            none="Any service"
            error={errorOf('serviceId')}
          />
          <IdSelect
            label="Kind"
            value={form.kind}
            onChange={id('kind')}
            options={TICKET_KINDS.map((k) => ({ id: k, name: KIND_WORDS[k] }))}
            none="Any kind"
          />
          <IdSelect
            label="Channel"
            value={form.channel}
            onChange={id('channel')}
            options={CHANNELS.map((c) => ({ id: c, name: CHANNEL_LABEL[c] }))}
            none="Any channel"
          />
          <IdSelect label="Team" value={form.teamIs} onChange={id('teamIs')} options={teams} none="Any team" error={errorOf('teamIs')} />
          <fieldset>
            <legend>Priority</legend>
            {[1, 2, 3, 4, 5].map((p) => (
              <label key={p} className="choice">
                <input
                  type="checkbox"
                  checked={form.priorities.includes(p)}
                  onChange={(e) => set('priorities', e.target.checked ? [...form.priorities, p] : form.priorities.filter((x) => x !== p))}
                />
                {PRIORITY_LABEL[p]}
              </label>
            ))}
          </fieldset>
          <Field label="Title or description contains" error={errorOf('contains')}>
            {(p) => <input {...p} value={form.contains} onChange={text('contains')} maxLength={200} />}
          </Field>
          <Field
            label="Title or description matches (a regular expression)"
            hint="Ignores case. Nested repetitions such as (a+)+ are refused."
            error={errorOf('matches')}
          >
            {(p) => <input {...p} value={form.matches} onChange={text('matches')} maxLength={500} />}
          </Field>
          <Field
            label={CONDITION_FIELD_LABELS.organisation}
            hint="As on the requester's profile; capitals do not matter."
            error={errorOf('organisation')}
          >
            {(p) => <input {...p} value={form.organisation} onChange={(e) => set('organisation', e.target.value)} maxLength={200} />}
          </Field>
          <IdSelect
            label="Time of day, by the working hours of"
            value={form.hoursCalendarId}
            onChange={id('hoursCalendarId')}
            options={calendars}
            none="Any time"
            error={errorOf('hoursCalendarId')}
          />
          {form.hoursCalendarId && (
            <Field label="Only when it happens">
              {(p) => (
                <select
                  {...p}
                  value={form.hoursInside ? 'inside' : 'outside'}
                  onChange={(e) => set('hoursInside', e.target.value === 'inside')}
                >
                  <option value="inside">Inside working hours</option>
                  <option value="outside">Outside working hours (evenings, weekends, holidays)</option>
                </select>
              )}
            </Field>
          )}
        </fieldset>
        <fieldset className="form-grid">
          <legend>Then</legend>
          <IdSelect
            label="Assign to team"
            value={form.assignTeamId}
            onChange={id('assignTeamId')}
            options={teams}
            none="Keep the team"
            error={errorOf('assignTeamId')}
          />
          <IdSelect
            label="Assign to"
            value={form.assignAssigneeId}
            onChange={id('assignAssigneeId')}
            options={staff}
            none="Keep the assignee"
            error={errorOf('assignAssigneeId')}
          />
          <IdSelect
            label="Reply with (a shared canned reply)"
            value={form.cannedReplyId}
            onChange={id('cannedReplyId')}
            options={replies}
            none="No reply"
            error={errorOf('cannedReplyId')}
          />
          <IdSelect
            label="Add as follower"
            value={form.followerId}
            onChange={id('followerId')}
            options={staff}
            none="Nobody"
            error={errorOf('followerId')}
          />
          <IdSelect
            label="Notify"
            value={form.notifyId}
            onChange={id('notifyId')}
            options={staff}
            none="Nobody"
            error={errorOf('notifyId')}
          />
          <IdSelect
            label="Then assign fairly within the team"
            value={form.assignFairly}
            onChange={id('assignFairly')}
            options={[
              { id: 'team', name: "The team's own way (round robin if it has none)" },
              ...ASSIGNMENT_STRATEGIES.map((s) => ({ id: s, name: STRATEGY_LABELS[s][0].toUpperCase() + STRATEGY_LABELS[s].slice(1) })),
            ]}
            none="No"
            error={errorOf('assignFairly')}
          />
          <IdSelect
            label="Link to problem"
            value={form.problemId}
            onChange={id('problemId')}
            options={problems}
            none="No problem"
            error={errorOf('problemId')}
          />
          <IdSelect
            label="Page escalation policy"
            value={form.pagePolicyId}
            onChange={id('pagePolicyId')}
            options={policies}
            none="Nobody is paged"
            error={errorOf('pagePolicyId')}
          />
          {form.pagePolicyId && (
            <Field label="Page message" error={errorOf('pageMessage')}>
              {(p) => (
                <input {...p} value={form.pageMessage} onChange={(e) => set('pageMessage', e.target.value)} required maxLength={500} />
              )}
            </Field>
          )}
          <IdSelect
            label="Send to webhook"
            value={form.webhookId}
            onChange={id('webhookId')}
            options={webhooks}
            none="No webhook"
            error={errorOf('webhookId')}
          />
        </fieldset>
        {(form.extraConditions.length > 0 || form.extraActions.length > 0) && (
          <Banner tone="info">
            This rule also has {form.extraConditions.length} condition(s) and {form.extraActions.length} action(s) written through the API;
            they are kept as they are.
          </Banner>
        )}
        <label className="choice">
          <input type="checkbox" checked={form.stopAfterMatch} onChange={(e) => set('stopAfterMatch', e.target.checked)} />
          Stop the list when this rule runs (the rules below it are not looked at)
        </label>
        <label className="choice">
          <input type="checkbox" checked={form.enabled} onChange={(e) => set('enabled', e.target.checked)} />
          Turned on
        </label>
        {asked ? (
          <Banner tone="warning">
            <p>
              This rule would tell {audience ?? `more than ${MAX_RULE_RECIPIENTS}`} people (notified or made followers) each time it runs.
              Rules usually tell at most {MAX_RULE_RECIPIENTS}. Save it anyway?
            </p>
            <Button
              tone="primary"
              busy={save.busy}
              onClick={async () => {
                if (await save.run({ ...saved, confirmLargeAudience: true })) onDone();
              }}
            >
              Yes, tell them all and save
            </Button>
          </Banner>
        ) : (
          problem && !problem.fieldErrors.some((e) => formFieldOf(e.field.replace(/^rule\./, ''), saved)) && <ErrorNote error={problem} />
        )}
        <Field label="Dry run over the newest tickets" hint="How many of the newest tickets to try the rule on (at most 1,000).">
          {(p) => <input {...p} type="number" min={1} max={1000} value={last} onChange={(e) => setLast(e.target.value)} />}
        </Field>
        <div className="form-actions">
          <Button busy={dryRun.busy} onClick={() => void dryRun.run({ rule: saved, last: Number(last) || 100 })}>
            Dry run
          </Button>
          <Button tone="primary" type="submit" busy={save.busy}>
            Save rule
          </Button>
          <Button onClick={onDone}>Cancel</Button>
        </div>
      </form>
      {dryRun.data && <DryRunResult result={dryRun.data} />}
    </section>
  );
}

function DryRunResult({ result }: { result: automationApi.DryRunT }) {
  return (
    <section className="stack" aria-labelledby="dry-run-result">
      <h3 id="dry-run-result">
        Dry run: {result.matched} of {result.examined} tickets would match
      </h3>
      <p className="muted">{result.note} Nothing was changed.</p>
      {result.items.length > 0 && (
        <table className="data">
          <caption>What the rule would do</caption>
          <thead>
            <tr>
              <th scope="col">Ticket</th>
              <th scope="col">Title</th>
              <th scope="col">Would change</th>
              <th scope="col">Would send</th>
            </tr>
          </thead>
          <tbody>
            {result.items.map((item) => (
              <tr key={item.ticket.id}>
                <td>
                  <a href={`/desk/tickets/${item.ticket.id}`}>{item.ticket.number}</a>
                </td>
                <td>{item.ticket.title}</td>
                <td>
                  {item.changes.length === 0 ? (
                    <span className="muted">No field</span>
                  ) : (
                    item.changes.map((c) => (
                      <div key={c.field}>
                        {c.label}: {c.from ?? 'none'} → {c.to ?? 'none'}
                      </div>
                    ))
                  )}
                  {item.followers.length > 0 && <div>Followers: {item.followers.join(', ')}</div>}
                  {item.notified.length > 0 && <div>Notify: {item.notified.join(', ')}</div>}
                  {item.also.map((line) => (
                    <div key={line}>{line}</div>
                  ))}
                </td>
                <td>
                  {item.replies.map((r) => (
                    <div key={r.name}>
                      {r.visibility === 'public' ? 'Reply' : 'Work note'} “{r.name}”: {r.body}
                    </div>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
