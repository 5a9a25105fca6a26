import { describe, expect, it } from 'vitest';
import { redactUrl } from './log-redaction.js';

describe('redactUrl', () => {
  it('replaces the values of secret query parameters, whatever their case or encoding, and keeps the rest', () => {
    expect(redactUrl('/api/v1/schedules/1/calendar.ics?token=s3cr3t')).toBe('/api/v1/schedules/1/calendar.ics?token=[redacted]');
    expect(redactUrl('/x?a=1&TOKEN=s&b=2')).toBe('/x?a=1&TOKEN=[redacted]&b=2');
    expect(redactUrl('/x?to%6Ben=s3cr3t')).toBe('/x?to%6Ben=[redacted]');
    expect(redactUrl('/x?token=a&token=b')).toBe('/x?token=[redacted]&token=[redacted]');
    expect(redactUrl('/x?%E0%A4%A=1&secret=z')).toBe('/x?%E0%A4%A=1&secret=[redacted]');
    expect(redactUrl('/api/v1/tickets?cursor=abc&limit=5')).toBe('/api/v1/tickets?cursor=abc&limit=5');
    expect(redactUrl('/api/v1/tickets')).toBe('/api/v1/tickets');
  });
});
