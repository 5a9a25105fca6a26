import { TICKET_NUMBER_PREFIX, type TicketKind } from './vocabulary.js';

const DIGITS = 7;

/** INC0000042. Sequences past 9,999,999 simply grow a digit rather than wrapping. */
export function formatTicketNumber(kind: TicketKind, sequence: number): string {
  return `${TICKET_NUMBER_PREFIX[kind]}${String(sequence).padStart(DIGITS, '0')}`;
}

const NUMBER_PATTERN = /^(INC|REQ|DST|PRB|CHG)(\d{7,})$/;

export function parseTicketNumber(text: string): { kind: TicketKind; sequence: number } | null {
  const match = NUMBER_PATTERN.exec(text.toUpperCase());
  if (!match) return null;
  const kind = (Object.keys(TICKET_NUMBER_PREFIX) as TicketKind[]).find((k) => TICKET_NUMBER_PREFIX[k] === match[1]);
  return kind ? { kind, sequence: Number(match[2]) } : null;
}
