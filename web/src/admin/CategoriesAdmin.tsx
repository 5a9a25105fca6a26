import { type FormEvent, useState } from 'react';
import * as catalogApi from '../api/endpoints/catalog';
import { useCategories, useTeams } from '../api/hooks';
import { keys } from '../api/keys';
import type { CategoryT } from '../api/types';
import { Field, FormActions } from '../ui/kit';
import { ErrorNote } from './ErrorNote';
import { ListAndEdit } from './ListAndEdit';
import { useSaveRecord } from './useSaveRecord';

export function CategoriesAdmin() {
  const categories = useCategories();
  const teams = useTeams();
  const all = categories.data?.items ?? [];
  const teamName = new Map((teams.data?.items ?? []).map((t) => [t.id, t.name]));
  const roots = all.filter((c) => !c.parentId).sort((a, b) => a.name.localeCompare(b.name));
  // Each category under its parent, one level deep.
  const rows = roots.flatMap((r) => [
    { ...r, depth: 0 },
    ...all
      .filter((c) => c.parentId === r.id)
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((c) => ({ ...c, depth: 1 })),
  ]);
  return (
    <ListAndEdit<CategoryT & { depth: number }>
      title="Categories"
      newLabel="New category"
      what="categories"
      pending={categories.isPending}
      items={rows}
      columns={['Category', 'Default team']}
      cells={(c) => (
        <>
          <td style={{ paddingLeft: `${0.6 + c.depth * 1.5}rem` }}>{c.depth ? `└ ${c.name}` : <strong>{c.name}</strong>}</td>
          <td>
            {c.defaultTeamId ? (
              teamName.get(c.defaultTeamId)
            ) : (
              <span className="muted">{c.depth ? 'from its category' : 'from the service'}</span>
            )}
          </td>
        </>
      )}
      form={(category, onDone) => <CategoryForm category={category} roots={roots} onDone={onDone} />}
    />
  );
}

function CategoryForm({ category, roots, onDone }: { category: CategoryT | null; roots: CategoryT[]; onDone: () => void }) {
  const teams = useTeams();
  const save = useSaveRecord(category, { create: catalogApi.createCategory, update: catalogApi.updateCategory }, [keys.categories]);
  const [form, setForm] = useState({
    name: category?.name ?? '',
    parentId: category?.parentId ?? '',
    defaultTeamId: category?.defaultTeamId ?? '',
  });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const body = { name: form.name, parentId: form.parentId || null, defaultTeamId: form.defaultTeamId || null };
    if (await save.run(body)) onDone();
  };
  return (
    <form className="card" onSubmit={submit} noValidate>
      <h2>{category ? `Edit ${category.name}` : 'New category'}</h2>
      <ErrorNote error={save.error} />
      <Field label="Name" error={save.fieldError('name')}>
        {(p) => <input {...p} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />}
      </Field>
      <Field label="Under" error={save.fieldError('parentId')}>
        {(p) => (
          <select {...p} value={form.parentId} onChange={(e) => setForm({ ...form, parentId: e.target.value })}>
            <option value="">Top level</option>
            {roots
              .filter((r) => r.id !== category?.id)
              .map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name}
                </option>
              ))}
          </select>
        )}
      </Field>
      <Field label="Default team" hint="New tickets in this category go to this team." error={save.fieldError('defaultTeamId')}>
        {(p) => (
          <select {...p} value={form.defaultTeamId} onChange={(e) => setForm({ ...form, defaultTeamId: e.target.value })}>
            <option value="">None</option>
            {(teams.data?.items ?? []).map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <FormActions busy={save.busy} submit="Save" onCancel={onDone} />
    </form>
  );
}
