import { type FormEvent, useState } from 'react';
import { useNavigate } from 'react-router';
import { ApiError, humanMessage } from '../api/client';
import { useFollow, useKnownIssues, useServices } from '../api/hooks';
import { useCreateTicketWithFiles } from '../api/ticket-hooks';
import type { TicketT } from '../api/types';
import { useNarrow } from '../knowledge/useNarrow';
import { ACCEPT_FILES, checkChosenFiles, FILES_HINT } from '../ui/Attachments';
import { Banner, Button, ChoiceGroup, Field, PageHeader } from '../ui/kit';
import { IMPACT_CHOICES, URGENCY_CHOICES } from '../ui/labels';
import { KnownIssueItem } from './KnownIssues';
import { ServicePicker } from './ServicePicker';
import { SuggestedArticles } from './SuggestedArticles';

/**
 * "Report a problem": which service, what happened, and two plain questions that set impact
 * and urgency. Before it is sent, the page shows what is already known about that service.
 */
export function ReportProblem() {
  const navigate = useNavigate();
  // Beside the form on a wide screen; on a phone right under the description, where the eye is.
  const narrow = useNarrow();
  const follow = useFollow();
  const services = useServices();
  const [serviceId, setServiceId] = useState('');
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [impact, setImpact] = useState<TicketT['impact'] | undefined>();
  const [urgency, setUrgency] = useState<TicketT['urgency'] | undefined>();
  const [reportAnyway, setReportAnyway] = useState(false);
  const [files, setFiles] = useState<File[]>([]);
  // Files refused by name when chosen (the same rule as the server's): said before the report is sent.
  const [refusedFiles, setRefusedFiles] = useState<string[]>([]);
  const report = useCreateTicketWithFiles(files);
  const error = report.error ?? follow.error;
  const known = useKnownIssues(serviceId || undefined);
  const knownItems = serviceId ? (known.data?.items ?? []) : [];

  // Both questions must be answered: an unanswered one would silently make the report the lowest priority.
  const [unanswered, setUnanswered] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (impact === undefined || urgency === undefined) {
      setUnanswered(true);
      return;
    }
    follow.reset();
    const reported = await report.run({ kind: 'incident', title, description, serviceId: serviceId || null, impact, urgency });
    if (reported) navigate(`/portal/tickets/${reported.ticket.id}`, { state: { justReported: true, uploadError: reported.uploadError } });
  };

  const apiError = error instanceof ApiError ? error : null;
  return (
    <div className="kb-report">
      <PageHeader title="Report a problem" />
      {error && !apiError?.fieldErrors.length ? <Banner tone="danger">{humanMessage(error)}</Banner> : null}
      {apiError?.fieldErrors.length ? (
        <Banner tone="danger" title="Please check the form">
          {humanMessage(apiError)}
        </Banner>
      ) : null}
      <div className="kb-report-grid">
        <form className="card" onSubmit={submit} noValidate>
          <ServicePicker
            services={services.data?.items ?? []}
            value={serviceId}
            onChange={setServiceId}
            error={apiError?.field('serviceId')}
          />
          {knownItems.length > 0 && !reportAnyway && (
            <Banner tone="warning" title="This is already known — follow it instead">
              <p>The service desk is working on {knownItems.length === 1 ? 'a problem' : 'problems'} that may be yours:</p>
              <ul className="plain-list">
                {knownItems.map((i) => (
                  <KnownIssueItem key={i.id} issue={i} />
                ))}
              </ul>
              <div className="form-actions">
                <Button
                  tone="primary"
                  busy={follow.isPending}
                  onClick={async () => {
                    const [issue] = knownItems;
                    report.reset();
                    // 204: a follow answers null; only a failure answers undefined.
                    if ((await follow.run({ ticketId: issue.id, follow: true })) !== undefined)
                      navigate('/portal', { state: { following: issue.number } });
                  }}
                >
                  That’s my problem — I’ll follow it
                </Button>
                <Button onClick={() => setReportAnyway(true)}>Mine is different — report it</Button>
              </div>
            </Banner>
          )}
          <Field label="What happened?" hint="One line, e.g. “VPN disconnects every few minutes”." error={apiError?.field('title')}>
            {(p) => <input {...p} value={title} onChange={(e) => setTitle(e.target.value)} maxLength={200} required />}
          </Field>
          <Field
            label="Details"
            hint="What you were doing, what you saw, since when. Error messages help."
            error={apiError?.field('description')}
          >
            {(p) => <textarea {...p} value={description} onChange={(e) => setDescription(e.target.value)} maxLength={20000} />}
          </Field>
          {narrow ? <SuggestedArticles text={`${title} ${description}`} serviceId={serviceId || undefined} /> : null}
          <Field
            label="Attach files (optional)"
            hint={FILES_HINT}
            error={
              refusedFiles.length > 0 ? `${refusedFiles.join('. ')}.${files.length > 0 ? ' The other files will be sent.' : ''}` : undefined
            }
          >
            {(p) => (
              <input
                {...p}
                type="file"
                multiple
                accept={ACCEPT_FILES}
                onChange={(e) => {
                  const { accepted, refused } = checkChosenFiles(e.target.files ?? []);
                  setFiles(accepted);
                  setRefusedFiles(refused);
                }}
              />
            )}
          </Field>
          <ChoiceGroup
            legend="Who is affected?"
            name="impact"
            value={impact}
            choices={IMPACT_CHOICES}
            onChange={setImpact}
            error={apiError?.field('impact') ?? (unanswered && impact === undefined ? 'Please choose who is affected.' : undefined)}
          />
          <ChoiceGroup
            legend="Can you work?"
            name="urgency"
            value={urgency}
            choices={URGENCY_CHOICES}
            onChange={setUrgency}
            error={apiError?.field('urgency') ?? (unanswered && urgency === undefined ? 'Please say whether you can work.' : undefined)}
          />
          <div className="form-actions">
            <Button tone="primary" type="submit" busy={report.busy}>
              Send report
            </Button>
          </div>
        </form>
        {narrow ? null : <SuggestedArticles text={`${title} ${description}`} serviceId={serviceId || undefined} />}
      </div>
    </div>
  );
}
