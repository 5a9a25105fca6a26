import { type FormEvent, useMemo, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { humanMessage } from '../api/client';
import * as ticketApi from '../api/endpoints/tickets';
import { useCategories, useServices } from '../api/hooks';
import { keys } from '../api/keys';
import { useApiMutation } from '../api/mutation';
import type { CreateTicketIn } from '../api/types';
import { Banner, Button, Field, PageHeader } from '../ui/kit';
import { ServicePicker } from './ServicePicker';

/** "I need…": a service request, of a type from the category tree. */
export function RequestSomething() {
  const navigate = useNavigate();
  const services = useServices();
  const categories = useCategories();
  const [serviceId, setServiceId] = useState('');
  const [categoryId, setCategoryId] = useState('');
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const idempotencyKey = useRef(crypto.randomUUID());
  const request = useApiMutation({
    mutationFn: (body: CreateTicketIn) => ticketApi.create(body, idempotencyKey.current),
    invalidates: [keys.tickets.all],
  });

  const types = useMemo(() => {
    const all = categories.data?.items ?? [];
    const byId = new Map(all.map((c) => [c.id, c]));
    return all
      .map((c) => ({ id: c.id, name: c.parentId ? `${byId.get(c.parentId)?.name ?? '?'} › ${c.name}` : c.name }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }, [categories.data]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const ticket = await request.run({
      kind: 'service_request',
      title,
      description,
      serviceId: serviceId || null,
      categoryId: categoryId || null,
    });
    if (ticket) navigate(`/portal/tickets/${ticket.id}`, { state: { justReported: true } });
  };
  const { error } = request;
  return (
    <div className="narrow">
      <PageHeader title="Request something" />
      {error ? <Banner tone="danger">{humanMessage(error)}</Banner> : null}
      <form className="card" onSubmit={submit} noValidate>
        <Field label="What kind of request?" error={request.fieldError('categoryId')}>
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
          error={request.fieldError('serviceId')}
        />
        <Field label="I need…" hint="One line, e.g. “access to the finance share”." error={request.fieldError('title')}>
          {(p) => <input {...p} value={title} onChange={(e) => setTitle(e.target.value)} maxLength={200} required />}
        </Field>
        <Field label="Details" hint="For whom, by when, and anything the desk needs to know." error={request.fieldError('description')}>
          {(p) => <textarea {...p} value={description} onChange={(e) => setDescription(e.target.value)} maxLength={20000} />}
        </Field>
        <Button tone="primary" type="submit" busy={request.busy}>
          Send request
        </Button>
      </form>
    </div>
  );
}
