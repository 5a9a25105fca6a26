import { useMemo, useState } from 'react';
import type { ServiceT } from '../api/types';
import { Field } from '../ui/kit';

/** Pick a service by typing part of its name; components are shown under their service. */
export function ServicePicker({
  services,
  value,
  onChange,
  error,
  label = 'Which service?',
}: {
  services: ServiceT[];
  value: string;
  onChange: (id: string) => void;
  error?: string;
  label?: string;
}) {
  const [filter, setFilter] = useState('');
  const options = useMemo(() => {
    const byId = new Map(services.map((s) => [s.id, s]));
    const named = services.map((s) => ({ id: s.id, name: s.parentId ? `${byId.get(s.parentId)?.name ?? '?'} › ${s.name}` : s.name }));
    named.sort((a, b) => a.name.localeCompare(b.name));
    const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
    return named.filter((o) => o.id === value || words.every((w) => o.name.toLowerCase().includes(w)));
  }, [services, filter, value]);
  return (
    <div className="service-picker">
      <Field label="Find a service" hint="Type part of its name, e.g. VPN, payroll, e-mail.">
        {(p) => <input {...p} type="search" value={filter} onChange={(e) => setFilter(e.target.value)} autoComplete="off" />}
      </Field>
      <Field label={label} error={error}>
        {(p) => (
          <select {...p} value={value} onChange={(e) => onChange(e.target.value)}>
            <option value="">I don’t know / something else</option>
            {options.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        )}
      </Field>
    </div>
  );
}
