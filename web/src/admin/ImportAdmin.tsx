import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import type { ImportReportView, ImportRunView } from '../../../core/contracts/imports';
import { GENERIC_FIELD_LABELS, guessColumns, REQUIRED_FIELDS, sampleOf } from '../../../core/import/generic-mapping';
import { ApiError } from '../api/client';
import { getImportRun, listImportRuns, uploadImport } from '../api/imports';
import { Banner, Button, ChoiceGroup, Field, PageHeader } from '../ui/kit';
import { ColumnMapping, EMPTY_MAPPING, type MappingDraft } from './ColumnMapping';

type Source = 'servicenow' | 'generic';
/** The file's beginning read in the page to offer its columns: enough for the header and a few rows. */
const SAMPLE_BYTES = 64 * 1024;

/**
 * Admin › Import (issue 16): a ServiceNow incident export (the incident table, or the event log
 * with one row per update), or any other tool's CSV or JSON lines file with its columns mapped
 * here (guessed from their names), is checked first — what would be created, and each row refused with
 * its row, column and reason — and then imported for real on the server, with a progress bar
 * read from the run every half second. The same importer as `firebreak import servicenow`.
 * The run is kept on the server: after a reload (or from another tab) the page shows the import
 * still running, or the last one if it was interrupted.
 */
export function ImportAdmin() {
  const [source, setSource] = useState<Source>('servicenow');
  const [file, setFile] = useState<File | null>(null);
  const [sample, setSample] = useState<ReturnType<typeof sampleOf> | null>(null);
  const [draft, setDraft] = useState<MappingDraft>(EMPTY_MAPPING);
  const [dateFormat, setDateFormat] = useState('');
  const [timeZone, setTimeZone] = useState('UTC');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [check, setCheck] = useState<ImportReportView | null>(null);
  const [runId, setRunId] = useState<string | null>(null);
  // Once the person moves on ("Import another file"), an earlier run is not brought back.
  const [dismissed, setDismissed] = useState(false);

  const recent = useQuery({ queryKey: ['imports', 'recent'], queryFn: listImportRuns, enabled: runId === null && !dismissed });
  useEffect(() => {
    const runs = recent.data?.runs ?? [];
    if (runId !== null || dismissed) return;
    const shown = runs.find((r) => r.state === 'running') ?? (runs[0]?.state === 'interrupted' ? runs[0] : undefined);
    if (shown) setRunId(shown.id);
  }, [recent.data, runId, dismissed]);

  const run = useQuery({
    queryKey: ['imports', runId],
    queryFn: () => getImportRun(runId as string),
    enabled: runId !== null,
    // Every half second while it runs; not once it is over, nor after the run could not be read.
    refetchInterval: (query) => (query.state.error ? false : query.state.data?.state === 'running' || !query.state.data ? 500 : false),
    retry: false,
  });

  const send = async (dryRun: boolean) => {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      const mapping =
        source === 'generic' ? { ...draft, timeZone, ...(dateFormat.trim() ? { dateFormat: dateFormat.trim() } : {}) } : undefined;
      const result = await uploadImport(file, { dryRun, dateFormat, timeZone, mapping });
      if (dryRun) setCheck(result as ImportReportView);
      else setRunId((result as ImportRunView).id);
    } catch (err) {
      setError(err instanceof ApiError ? err.detail || err.title : 'The upload failed; try again.');
    } finally {
      setBusy(false);
    }
  };

  const reset = () => {
    setCheck(null);
    setRunId(null);
    setError(null);
    setDismissed(true);
  };

  const choose = async (chosen: File | null) => {
    setFile(chosen);
    reset();
    setSample(null);
    if (!chosen) return;
    const read = sampleOf(await chosen.slice(0, SAMPLE_BYTES).text(), chosen.size <= SAMPLE_BYTES);
    setSample(read);
    setDraft({ ...EMPTY_MAPPING, columns: guessColumns(read.columns) });
  };

  // A file of another tool needs at least these columns chosen before it can be checked.
  const unchosen = source === 'generic' && sample ? REQUIRED_FIELDS.filter((f) => !draft.columns[f]) : [];

  const current = run.data;
  return (
    <div className="stack">
      <PageHeader title="Import tickets" />
      <p>
        {source === 'servicenow'
          ? 'Export the incident table (one row per incident) or its event log (one row per update) from ServiceNow as CSV.'
          : 'Export your tickets as CSV or JSON lines (one object per line; one line per ticket, or per update with an update number), then say which column holds what.'}{' '}
        The file is checked first; nothing is written until you import it. Importing the same file again changes nothing; a newer export
        updates what changed.
      </p>
      {runId === null && (
        <form
          className="form-grid"
          onSubmit={(e) => {
            e.preventDefault();
            void send(true);
          }}
        >
          <div className="field-full">
            <ChoiceGroup
              legend="Exported from"
              name="import-source"
              value={source}
              choices={[
                { value: 'servicenow', label: 'ServiceNow' },
                { value: 'generic', label: 'Other (CSV / JSON lines)' },
              ]}
              onChange={(next) => {
                setSource(next);
                reset();
              }}
            />
          </div>
          <Field
            label={source === 'servicenow' ? 'CSV file' : 'CSV or JSON lines file'}
            hint="UTF-8 or Latin-1; commas, semicolons, tabs or pipes."
          >
            {(props) => (
              <input
                {...props}
                type="file"
                accept={source === 'servicenow' ? '.csv,text/csv' : '.csv,.jsonl,.ndjson,.json,text/csv,application/x-ndjson'}
                onChange={(e) => void choose(e.target.files?.[0] ?? null)}
              />
            )}
          </Field>
          <Field label="Date format" hint="Leave empty to detect it, or e.g. D/M/YYYY HH:mm.">
            {(props) => <input {...props} value={dateFormat} onChange={(e) => setDateFormat(e.target.value)} placeholder="detect" />}
          </Field>
          <Field label="Time zone of the dates" hint="As the export wrote them, e.g. Europe/London.">
            {(props) => <input {...props} value={timeZone} onChange={(e) => setTimeZone(e.target.value)} />}
          </Field>
          {source === 'generic' && sample && (
            <div className="field-full">
              <ColumnMapping
                columns={sample.columns}
                rows={sample.rows}
                value={draft}
                onChange={(next) => {
                  setDraft(next);
                  setCheck(null);
                }}
              />
            </div>
          )}
          {unchosen.length > 0 && (
            <p className="field-full muted" role="status">
              Choose the column for {unchosen.map((f) => GENERIC_FIELD_LABELS[f]).join(', ')} to check the file.
            </p>
          )}
          <div className="form-actions">
            <Button tone={check ? 'secondary' : 'primary'} type="submit" disabled={!file || unchosen.length > 0} busy={busy && !check}>
              Check the file
            </Button>
            {check && (
              <Button tone="primary" busy={busy} onClick={() => void send(false)}>
                Import {check.incidents.toLocaleString('en')} incidents
              </Button>
            )}
          </div>
        </form>
      )}
      {error && (
        <Banner tone="danger" title="Not imported">
          {error}
        </Banner>
      )}
      {check && runId === null && <ReportView report={check} />}
      {runId !== null && run.error && (
        <Banner tone="danger" title="The import's progress cannot be read">
          {run.error instanceof ApiError ? run.error.detail || run.error.title : 'Try reloading the page.'}
        </Banner>
      )}
      {runId !== null && current && (
        <section className="stack" aria-label="Import progress">
          <label htmlFor="import-progress">
            {current.state === 'running'
              ? `${current.phase === 'checking' ? 'Checking' : 'Importing'} ${current.fileName}: ${current.percent}%`
              : current.state === 'done'
                ? `Imported ${current.fileName}`
                : current.state === 'interrupted'
                  ? `Interrupted: ${current.fileName}`
                  : `Stopped: ${current.fileName}`}
          </label>
          <progress id="import-progress" className="import-progress" max={100} value={current.percent}>
            {current.percent}%
          </progress>
          <p className="muted">
            {current.rows.toLocaleString('en')} rows, {current.incidents.toLocaleString('en')} incidents
          </p>
          {current.state === 'interrupted' && (
            <Banner tone="warning" title="The import was interrupted">
              The server or command that ran it stopped while importing {current.fileName} (started by{' '}
              {current.startedBy.name || 'an admin'}). What it wrote is kept: import the same file again to finish the job; nothing is
              doubled.
            </Banner>
          )}
          {current.state === 'failed' && (
            <Banner tone="danger" title="The import stopped">
              {current.error}
            </Banner>
          )}
          {current.state === 'done' && current.report && (
            <>
              <Banner tone="success" title="Import finished">
                <Link to="/desk/queue/open">Open the queue</Link> or <Link to="/desk/dashboard">the dashboard</Link> to see the imported
                tickets.
              </Banner>
              <ReportView report={current.report} />
            </>
          )}
          {current.state !== 'running' && (
            <div>
              <Button onClick={reset}>Import another file</Button>
            </div>
          )}
        </section>
      )}
    </div>
  );
}

function ReportView({ report: r }: { report: ImportReportView }) {
  const verb = (dry: string, done: string) => (r.dryRun ? dry : done);
  return (
    <section className="stack" aria-label={r.dryRun ? 'What the import would do' : 'What the import did'}>
      <h3>{r.dryRun ? 'What the import would do' : 'What the import did'}</h3>
      <ul className="import-counts">
        <li>
          Read {r.rows.toLocaleString('en')} rows about {r.incidents.toLocaleString('en')} incidents
          {r.encoding ? ` (${r.encoding === 'latin1' ? 'Latin-1' : 'UTF-8'})` : ''}
        </li>
        <li>
          {verb('Create', 'Created')} {r.created.toLocaleString('en')} tickets
          {r.renumbered ? `, ${r.renumbered} under a new number (the original kept as external reference)` : ''}
        </li>
        <li>
          {verb('Update', 'Updated')} {r.updated.toLocaleString('en')} from a newer export; {r.unchanged.toLocaleString('en')} unchanged
        </li>
        <li>
          {r.newPeople.toLocaleString('en')} people not known here (added deactivated, without a password); {r.newTeams} groups as teams and{' '}
          {r.newCategories} categories, made where missing
        </li>
      </ul>
      {r.refusedCount === 0 ? (
        <p>No row is refused.</p>
      ) : (
        <>
          <h4>
            {r.refusedCount.toLocaleString('en')} {r.refusedCount === 1 ? 'row is' : 'rows are'} refused
            {r.refused.length < r.refusedCount ? ` (the first ${r.refused.length} shown)` : ''}
          </h4>
          <div className="import-table-scroll">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">Row</th>
                  <th scope="col">Column</th>
                  <th scope="col">Why</th>
                </tr>
              </thead>
              <tbody>
                {r.refused.map((x) => (
                  <tr key={`${x.row}-${x.column}`}>
                    <td data-label="Row">{x.row}</td>
                    <td data-label="Column">{x.column}</td>
                    <td>{x.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
