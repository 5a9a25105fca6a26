// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ListAndEdit } from './ListAndEdit';

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
});
