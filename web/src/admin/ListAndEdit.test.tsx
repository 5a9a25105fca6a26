// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ListAndEdit } from './ListAndEdit';
import { RecordList } from './RecordList';
import { RecordTable } from './RecordTable';
import { useRecordEditor } from './useRecordEditor';

afterEach(cleanup);

const teams = [
  { id: 't1', name: 'Network' },
  { id: 't2', name: 'Database' },
];

function Page({ pending = false }: { pending?: boolean }) {
  return (
    <ListAndEdit
      title="Teams"
      newLabel="New team"
      what="teams"
      pending={pending}
      items={teams}
      columns={['Team']}
      cells={(t) => <td>{t.name}</td>}
      form={(team, onDone) => (
        <form aria-label="Team form">
          <p>{team ? `Editing ${team.name}` : 'A new team'}</p>
          <button type="button" onClick={onDone}>
            Cancel
          </button>
        </form>
      )}
    />
  );
}

describe('the admin list-and-edit pattern', () => {
  it('lists the records, each with its own Edit button, and no form until asked', () => {
    render(<Page />);
    expect(screen.getAllByRole('row').map((r) => r.textContent)).toEqual(['TeamActions', 'NetworkEdit Network', 'DatabaseEdit Database']);
    expect(screen.queryByRole('form', { name: 'Team form' })).toBeNull();
  });

  it('opens one form for a new record or the one chosen, and closes it when the form is done', () => {
    render(<Page />);
    fireEvent.click(screen.getByRole('button', { name: 'New team' }));
    expect(screen.getByRole('form', { name: 'Team form' }).textContent).toContain('A new team');
    fireEvent.click(screen.getByRole('button', { name: 'Edit Database' }));
    expect(screen.getAllByRole('form', { name: 'Team form' })).toHaveLength(1);
    expect(screen.getByRole('form', { name: 'Team form' }).textContent).toContain('Editing Database');
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('form', { name: 'Team form' })).toBeNull();
  });

  it('says what it is loading instead of an empty table', () => {
    render(<Page pending />);
    expect(screen.getByRole('status').textContent).toBe('Loading teams…');
    expect(screen.queryByRole('table')).toBeNull();
  });

  it('names a record without a name by what the page says, and puts its other actions after Edit', () => {
    const policies = [{ id: 'p1', priority: 'P1' }];
    render(
      <ListAndEdit
        title="SLA policies"
        newLabel="New policy"
        what="policies"
        pending={false}
        items={policies}
        columns={['Priority']}
        cells={(p) => <td>{p.priority}</td>}
        nameOf={(p) => `the ${p.priority} policy`}
        actions={(p) => <button type="button">Delete {p.priority}</button>}
        form={() => null}
      />,
    );
    expect(screen.getByRole('button', { name: 'Edit the P1 policy' })).toBeTruthy();
    expect(screen.getAllByRole('row')[1]?.textContent).toBe('P1Edit the P1 policyDelete P1');
  });
});

describe('the admin record table', () => {
  it('has no actions column when the page has no row actions', () => {
    render(<RecordTable items={teams} columns={['Team']} cells={(t) => <td>{t.name}</td>} />);
    expect(screen.getAllByRole('row').map((r) => r.textContent)).toEqual(['Team', 'Network', 'Database']);
  });
});

describe('a page with two lists', () => {
  function TwoLists() {
    const teamEditor = useRecordEditor<(typeof teams)[number]>();
    const otherEditor = useRecordEditor<(typeof teams)[number]>();
    return (
      <>
        <button type="button" onClick={otherEditor.startNew}>
          New other
        </button>
        {teamEditor.form((team, onDone) => (
          <form aria-label="Team form">
            <p>{team ? `Editing ${team.name}` : 'A new team'}</p>
            <button type="button" onClick={onDone}>
              Cancel
            </button>
          </form>
        ))}
        {otherEditor.form(() => (
          <form aria-label="Other form" />
        ))}
        <RecordList items={teams} summary={(t) => `${t.id} summary`} onEdit={teamEditor.edit} />
      </>
    );
  }

  it('lists each record with its summary and Edit button, and opens the form of the list it is in', () => {
    render(<TwoLists />);
    expect(screen.getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      'Networkt1 summaryEdit Network',
      'Databaset2 summaryEdit Database',
    ]);
    fireEvent.click(screen.getByRole('button', { name: 'Edit Network' }));
    expect(screen.getByRole('form', { name: 'Team form' }).textContent).toContain('Editing Network');
    expect(screen.queryByRole('form', { name: 'Other form' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'New other' }));
    expect(screen.getByRole('form', { name: 'Other form' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('form', { name: 'Team form' })).toBeNull();
  });
});
