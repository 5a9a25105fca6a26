// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { IdSelect, LevelSelect } from './kit';

afterEach(cleanup);

const optionTexts = (select: HTMLElement) => [...(select as HTMLSelectElement).options].map((o) => o.textContent);

function Level({ choose, error, start = '' }: { choose?: string; error?: string; start?: string }) {
  const [value, setValue] = useState(start);
  return (
    <>
      <LevelSelect of="urgency" value={value} onChange={(e) => setValue(e.target.value)} choose={choose} error={error} />
      <output>{value || 'nothing'}</output>
    </>
  );
}

describe('LevelSelect (impact and urgency, in the kit)', () => {
  it('offers the three levels in words, labelled, and gives back the level chosen', () => {
    render(<Level start="2" />);
    const select = screen.getByLabelText('Urgency');
    expect(optionTexts(select)).toEqual(['High (cannot work)', 'Medium (degraded)', 'Low (can work)']);
    expect((select as HTMLSelectElement).required).toBe(false);
    fireEvent.change(select, { target: { value: '1' } });
    expect(screen.getByText('1')).toBeTruthy();
    expect((select as HTMLSelectElement).value).toBe('1');
  });

  it('starts empty with its prompt and must be chosen when asked to (a new ticket)', () => {
    render(<Level choose="Choose…" />);
    const select = screen.getByLabelText('Urgency') as HTMLSelectElement;
    expect(optionTexts(select)).toEqual(['Choose…', 'High (cannot work)', 'Medium (degraded)', 'Low (can work)']);
    expect(select.value).toBe('');
    expect(select.required).toBe(true);
    expect(screen.getByText('nothing')).toBeTruthy();
  });

  it('names impact by its own words, and shows an error read out with the field', () => {
    render(<LevelSelect of="impact" value="3" onChange={() => {}} error="Choose how many people are affected." />);
    const select = screen.getByLabelText('Impact');
    expect(optionTexts(select)).toEqual(['High (many)', 'Medium (a team)', 'Low (one person)']);
    const error = screen.getByRole('alert');
    expect(error.textContent).toBe('Choose how many people are affected.');
    expect(select.getAttribute('aria-describedby')).toContain(error.id);
    expect(select.getAttribute('aria-invalid')).toBe('true');
  });
});

describe('IdSelect (a team, a person, or none)', () => {
  const teams = [
    { id: 't1', name: 'Network' },
    { id: 't2', name: 'Service Desk' },
  ];

  function Picker() {
    const [value, setValue] = useState('');
    return (
      <>
        <IdSelect label="To team" value={value} onChange={(e) => setValue(e.target.value)} options={teams} none="Choose a team" />
        <output>{value || 'none'}</output>
      </>
    );
  }

  it('lists the records by name after what "none" means here, and gives back the id chosen', () => {
    render(<Picker />);
    const select = screen.getByLabelText('To team');
    expect(optionTexts(select)).toEqual(['Choose a team', 'Network', 'Service Desk']);
    fireEvent.change(select, { target: { value: 't2' } });
    expect(screen.getByText('t2')).toBeTruthy();
    fireEvent.change(select, { target: { value: '' } });
    expect(screen.getByText('none')).toBeTruthy();
  });
});
