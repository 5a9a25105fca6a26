import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import * as api from '../api/endpoints/status-page';
import { useApiMutation } from '../api/mutation';
import { Banner, Button, Field, Loading, PageHeader } from '../ui/kit';
import { ErrorNote } from './ErrorNote';

const SETTINGS_KEY = ['status-page-settings'];
const LOGO_KEY = ['status-page-logo'];

/** The file's bytes in base64, as the API takes them. */
async function base64Of(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** The public status page (issue 15): the organisation's name and logo at the top of /status. */
export function StatusPageAdmin() {
  const current = useQuery({ queryKey: SETTINGS_KEY, queryFn: api.settings });
  const logo = useQuery({ queryKey: LOGO_KEY, queryFn: api.logo });
  const [name, setName] = useState<string | null>(null);
  const [delay, setDelay] = useState('');
  const [saved, setSaved] = useState(false);
  const save = useApiMutation({
    // Not a number: sent as null, and the server names the field.
    mutationFn: () => api.saveSettings({ name: name ?? '', firstNoticeDelayMinutes: delay.trim() === '' ? undefined : Number(delay) }),
    invalidates: [SETTINGS_KEY],
    onSuccess: () => setSaved(true),
  });
  const upload = useApiMutation({ mutationFn: (file: File) => base64Of(file).then(api.saveLogo), invalidates: [LOGO_KEY] });
  const remove = useApiMutation({ mutationFn: api.removeLogo, invalidates: [LOGO_KEY] });
  useEffect(() => {
    if (current.data && name === null) {
      setName(current.data.name);
      setDelay(String(current.data.firstNoticeDelayMinutes ?? ''));
    }
  }, [current.data, name]);
  if (name === null) return <Loading what="the status page settings" />;
  const shown = logo.data?.logo;
  return (
    <div className="stack">
      <PageHeader title="Status page" />
      <form
        className="card stack"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          save.run();
        }}
      >
        <Field
          label="Organisation's name"
          hint="At the top of /status, and the logo's text for screen readers."
          error={save.fieldError('name')}
        >
          {(p) => (
            <input
              {...p}
              value={name}
              onChange={(e) => {
                setSaved(false);
                setName(e.target.value);
              }}
            />
          )}
        </Field>
        <Field
          label="Minutes before the automatic first notice"
          hint="When an incident goes public, subscribers are told “Investigating” after this wait, unless the desk has sent its own update by then (it usually has). The page shows the incident at once. 0 sends it at once."
          error={save.fieldError('firstNoticeDelayMinutes')}
        >
          {(p) => (
            <input
              {...p}
              type="number"
              min={0}
              max={60}
              step={1}
              inputMode="numeric"
              value={delay}
              onChange={(e) => {
                setSaved(false);
                setDelay(e.target.value);
              }}
            />
          )}
        </Field>
        {save.hasFieldErrors ? null : <ErrorNote error={save.error} />}
        {saved ? <Banner tone="success">Saved.</Banner> : null}
        <div className="row">
          <Button tone="primary" type="submit" busy={save.busy}>
            Save
          </Button>
        </div>
      </form>
      <section className="card stack" aria-labelledby="logo-title">
        <h2 id="logo-title">Logo</h2>
        {shown ? (
          <img className="status-logo-preview" src={shown.url} alt={name} height={40} />
        ) : (
          <p className="muted">No logo: the page shows the name.</p>
        )}
        <Field
          label="Upload a logo"
          hint="PNG, JPEG or WebP, at most 256 KB (SVG is not accepted: it can carry script)."
          error={upload.fieldError('image')}
        >
          {(p) => (
            <input
              {...p}
              type="file"
              accept="image/png,image/jpeg,image/webp"
              onChange={(e) => {
                const file = e.target.files?.[0];
                if (file) upload.run(file);
              }}
            />
          )}
        </Field>
        {upload.error && !upload.hasFieldErrors ? <ErrorNote error={upload.error} /> : null}
        {shown ? (
          <div className="row">
            <Button busy={remove.busy} onClick={() => remove.run()}>
              Remove the logo
            </Button>
          </div>
        ) : null}
      </section>
    </div>
  );
}
