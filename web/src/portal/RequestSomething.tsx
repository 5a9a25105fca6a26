import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useMemo, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { ApiError, api, humanMessage } from '../api/client';
import { useCategories, useServices } from '../api/hooks';
import type { TicketT } from '../api/types';
import { Banner, Button, Field, PageHeader } from '../ui/kit';
import { ServicePicker } from './ServicePicker';

/** "I need…": a service request, of a type from the category tree. */
export function RequestSomething() {
  const navigate = useNavigate();
  const client = useQueryClient();
  const services = useServices();
  const categories = useCategories();
  const [serviceId, setServiceId] = useState('');
  const [categoryId, setCategoryId] = useState('');
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const idempotencyKey = useRef(crypto.randomUUID());

  const types = useMemo(() => {
    const all = categories.data?.items ?? [];
    const byId = new Map(all.map((c) => [c.id, c]));
    return all
      .map((c) => ({ id: c.id, name: c.parentId ? `${byId.get(c.parentId)?.name ?? '?'} › ${c.name}` : c.name }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }, [categories.data]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const ticket = await api<TicketT>(
        'POST',
        '/tickets',
        { kind: 'service_request', title, description, serviceId: serviceId || null, categoryId: categoryId || null },
        { idempotencyKey: idempotencyKey.current },
      );
      client.invalidateQueries({ queryKey: ['tickets'] });
      navigate(`/portal/tickets/${ticket.id}`, { state: { justReported: true } });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const apiError = error instanceof ApiError ? error : null;
  return (
    <div className="narrow">
      <PageHeader title="Request something" />
      {error ? <Banner tone="danger">{humanMessage(error)}</Banner> : null}
      <form className="card" onSubmit={submit} noValidate>
        <Field label="What kind of request?" error={apiError?.field('categoryId')}>
          {(p) => (
            <select {...p} value={categoryId} onChange={(e) => setCategoryId(e.target.value)}>
              <option value="">Something else</option>
              {types.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <ServicePicker
          services={services.data?.items ?? []}
          value={serviceId}
          onChange={setServiceId}
          label="For which service? (optional)"
          error={apiError?.field('serviceId')}
        />
        <Field label="I need…" hint="One line, e.g. “access to the finance share”." error={apiError?.field('title')}>
          {(p) => <input {...p} value={title} onChange={(e) => setTitle(e.target.value)} maxLength={200} required />}
        </Field>
        <Field label="Details" hint="For whom, by when, and anything the desk needs to know." error={apiError?.field('description')}>
          {(p) => <textarea {...p} value={description} onChange={(e) => setDescription(e.target.value)} maxLength={20000} />}
        </Field>
        <Button tone="primary" type="submit" busy={busy}>
          Send request
        </Button>
      </form>
    </div>
  );
}
