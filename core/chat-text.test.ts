import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chatText, escapeSlackText, slackMessageText } from './chat-text.js';

const readSlack = (text: string) => text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

describe('text for Slack-format chat messages', () => {
  it('escapes the three control characters as Slack asks', () => {
    expect(escapeSlackText('<!channel> A & B <https://evil.example|sign in here>')).toBe(
      '&lt;!channel&gt; A &amp; B &lt;https://evil.example|sign in here&gt;',
    );
    // An entity someone typed stays text: its & is escaped too.
    expect(escapeSlackText('&lt;!here&gt;')).toBe('&amp;lt;!here&amp;gt;');
  });

  it('never leaves markup in any text, and loses nothing of it', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('<', '>', '&', '!', '|', '@', 'a', ';', 'l', 't', 'g', ' ') }), (text) => {
        const escaped = escapeSlackText(text);
        expect(escaped).not.toMatch(/[<>]/);
        // Every & starts one of our three entities.
        expect(escaped.replace(/&(amp|lt|gt);/g, '')).not.toContain('&');
        expect(readSlack(escaped)).toBe(text);
      }),
    );
    fc.assert(
      fc.property(fc.string(), (text) => {
        expect(readSlack(escapeSlackText(text))).toBe(text);
      }),
    );
  });

  it('defuses broadcast mentions that some tools read in plain text, keeping them readable', () => {
    expect(chatText('@channel @here @ALL @everyone @channels me@example.com')).toBe(
      '@\u2060channel @\u2060here @\u2060ALL @\u2060everyone @channels me@example.com',
    );
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('@', 'channel', 'here', 'all', 'everyone', ' ', '<', '&', 'x') }), (text) => {
        const out = chatText(text);
        expect(out).not.toMatch(/@(channel|here|all|everyone)\b/i);
        expect(out).not.toMatch(/[<>]/);
        expect(readSlack(out.replaceAll('\u2060', ''))).toBe(text);
      }),
    );
  });

  it('makes a message whose only markup is its own link', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (headline, body) => {
        const text = slackMessageText({ headline, body, link: 'https://desk.example/tickets/1?a=1&b=2', linkLabel: 'Open in Firebreak' });
        expect(text.match(/<[^>]*>/g)).toEqual(['<https://desk.example/tickets/1?a=1&amp;b=2|Open in Firebreak>']);
      }),
    );
  });
});
