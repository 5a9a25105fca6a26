import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cleanText,
  decideAttachments,
  decideIntake,
  detectAutomatedMail,
  envelopeOfStoredMail,
  extractMessageIds,
  htmlToText,
  isAllowedRecipient,
  isPlausibleAddress,
  readHeaderBlock,
  safeFilename,
  threadHints,
  titleFromSubject,
  trimQuotedText,
} from './email-intake.js';

const none = { headers: {}, envelopeFrom: 'pat@example.test', fromAddress: 'pat@example.test', ownAddresses: ['support@firebreak.test'] };

describe('loop and auto-reply detection', () => {
  it('lets a person’s mail through, including Auto-Submitted: no', () => {
    expect(detectAutomatedMail(none)).toBeNull();
    expect(detectAutomatedMail({ ...none, headers: { 'auto-submitted': 'no' } })).toBeNull();
    expect(detectAutomatedMail({ ...none, headers: { precedence: 'first-class' } })).toBeNull();
  });

  it.each([
    [{ envelopeFrom: '' }, 'null_sender'],
    [{ headers: { 'return-path': '<>' } }, 'null_sender'],
    [{ envelopeFrom: 'MAILER-DAEMON@mx.example.test' }, 'mailer_daemon'],
    [{ fromAddress: 'postmaster@example.test' }, 'mailer_daemon'],
    [{ headers: { 'auto-submitted': 'auto-replied' } }, 'auto_submitted'],
    [{ headers: { 'auto-submitted': 'auto-generated; owner-email="x@y"' } }, 'auto_submitted'],
    [{ headers: { precedence: 'Bulk' } }, 'precedence'],
    [{ headers: { precedence: 'junk' } }, 'precedence'],
    [{ headers: { precedence: 'list' } }, 'precedence'],
    [{ headers: { 'x-autoreply': 'yes' } }, 'autoreply_header'],
    [{ headers: { 'x-autorespond': '' } }, 'autoreply_header'],
    [{ headers: { 'list-id': '<news.example.test>' } }, 'mailing_list'],
    [{ headers: { 'list-unsubscribe': '<mailto:x@y>' } }, 'mailing_list'],
    [{ headers: { 'content-type': 'multipart/report; report-type=delivery-status; boundary=x' } }, 'delivery_report'],
    [{ headers: { 'content-type': 'message/disposition-notification' } }, 'delivery_report'],
    [{ fromAddress: 'Support@Firebreak.test' }, 'own_address'],
  ] as const)('%j is machine mail: %s', (change, reason) => {
    expect(detectAutomatedMail({ ...none, ...change })?.reason).toBe(reason);
  });

  it('never throws on arbitrary headers', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), fc.string()),
        fc.option(fc.string()),
        fc.option(fc.string()),
        (headers, envelopeFrom, fromAddress) => {
          detectAutomatedMail({ headers, envelopeFrom, fromAddress, ownAddresses: [] });
        },
      ),
    );
  });
});

describe('thread detection', () => {
  const ticketId = '0b6a4a5e-7c1d-4f57-9d3e-1f2a3b4c5d6e';
  const notificationId = '9f8e7d6c-5b4a-4c3d-8e2f-1a0b9c8d7e6f';

  it('finds our ticket reference, our notification Message-IDs and the subject tag', () => {
    const hints = threadHints({
      inReplyTo: `<${notificationId}@firebreak.test>`,
      references: `<ticket-${ticketId}@firebreak.test> <${notificationId}@firebreak.test> <abc@gmail.example>`,
      subject: 'Re: [inc0000123] Printer',
      messageIdDomain: 'Firebreak.test',
    });
    expect(hints.ticketIds).toEqual([ticketId]);
    expect(hints.notificationIds).toEqual([notificationId]);
    expect(hints.messageIds[0]).toBe(`${notificationId}@firebreak.test`);
    expect(hints.ticketNumber).toBe('INC0000123');
  });

  it('ignores references to other domains and ids that are not ours', () => {
    const hints = threadHints({
      inReplyTo: `<${notificationId}@elsewhere.test>`,
      references: `<ticket-${ticketId}@elsewhere.test> <ticket-nope@firebreak.test>`,
      subject: 'INC0000123 without brackets, [XYZ0000001]',
      messageIdDomain: 'firebreak.test',
    });
    expect(hints).toMatchObject({ ticketIds: [], notificationIds: [], ticketNumber: null });
    expect(hints.messageIds).toHaveLength(3);
  });

  it('finds a ticket reference hidden among any other references, and a tag in any subject', () => {
    fc.assert(
      fc.property(
        fc.uuid(),
        fc.array(fc.stringMatching(/^[a-z0-9.]{1,20}@[a-z]{1,10}\.test$/), { maxLength: 10 }),
        fc.nat({ max: 10 }),
        fc.string(),
        fc.string(),
        fc.integer({ min: 1, max: 9_999_999 }),
        (uuid, others, at, before, after, n) => {
          const ids = others.map((o) => `<${o}>`);
          ids.splice(Math.min(at, ids.length), 0, `<ticket-${uuid}@firebreak.test>`);
          const number = `REQ${String(n).padStart(7, '0')}`;
          const hints = threadHints({
            inReplyTo: null,
            references: ids.join(' '),
            subject: `${before.replace(/[[\]]/g, '')} [${number}] ${after}`,
            messageIdDomain: 'firebreak.test',
          });
          expect(hints.ticketIds).toContain(uuid.toLowerCase());
          expect(hints.ticketNumber).toBe(number);
        },
      ),
    );
  });

  it('never throws on arbitrary header text', () => {
    fc.assert(
      fc.property(fc.option(fc.string()), fc.option(fc.string()), fc.string(), (inReplyTo, references, subject) => {
        const hints = threadHints({ inReplyTo, references, subject, messageIdDomain: 'firebreak.test' });
        expect(hints.messageIds.length).toBeLessThanOrEqual(50);
      }),
    );
  });

  it('reads Message-ID lists with or without brackets', () => {
    expect(extractMessageIds('<a@b> <c@d>')).toEqual(['a@b', 'c@d']);
    expect(extractMessageIds('a@b, c@d')).toEqual(['a@b', 'c@d']);
    expect(extractMessageIds('')).toEqual([]);
  });
});

describe('trimming quoted history and signatures', () => {
  it.each([
    ['Gmail', 'Thanks, that worked.\n\nOn Mon, 4 May 2026 at 10:02, Desk <desk@firebreak.test> wrote:\n> Try restarting.\n>\n> Desk'],
    [
      'Gmail, wrapped',
      'Thanks, that worked.\n\nOn Mon, 4 May 2026 at 10:02, Service Desk of the company\n<desk@firebreak.test> wrote:\n> Try restarting.',
    ],
    [
      'Outlook',
      'Thanks, that worked.\n\n________________________________\nFrom: Desk <desk@firebreak.test>\nSent: Monday, May 4, 2026 10:02\nTo: Pat\nSubject: RE: VPN\n\nTry restarting.',
    ],
    [
      'Outlook without a rule',
      'Thanks, that worked.\n\nFrom: Desk <desk@firebreak.test>\nSent: Monday, May 4, 2026 10:02\nTo: Pat\n\nTry restarting.',
    ],
    ['Original Message', 'Thanks, that worked.\n-----Original Message-----\nFrom: Desk\nTry restarting.'],
    ['German', 'Thanks, that worked.\n\nAm 04.05.2026 um 10:02 schrieb Desk <desk@firebreak.test>:\n> Try restarting.'],
    ['signature', 'Thanks, that worked.\n\n-- \nPat Doe\nLogistics, floor 3'],
    ['interleaved quotes', '> Did a restart help?\nThanks, that worked.\n> Anything else?'],
    ['CRLF', 'Thanks, that worked.\r\n\r\nOn Mon, 4 May 2026, Desk wrote:\r\n> Try restarting.\r\n'],
  ])('%s', (_name, text) => {
    expect(trimQuotedText(text)).toBe('Thanks, that worked.');
  });

  it('keeps the whole text when everything would be trimmed', () => {
    expect(trimQuotedText('> only a quote')).toBe('> only a quote');
  });

  it('leaves what the person wrote, whatever quote block follows, and never keeps a quoted line', () => {
    const replyLine = fc
      .stringMatching(/^[A-Za-z0-9 ,.!?]{1,60}$/)
      .filter((l) => l.trim() !== '' && !/^\s*(On|Am|Le|El|Op|From)\b/i.test(l));
    const quoteStart = fc.constantFrom(
      'On Tue, 5 May 2026 at 09:00, Someone <s@example.test> wrote:',
      '-----Original Message-----',
      '-- ',
      'Am 05.05.2026 um 09:00 schrieb Someone:',
    );
    fc.assert(
      fc.property(
        fc.array(replyLine, { minLength: 1, maxLength: 8 }),
        quoteStart,
        fc.array(fc.string(), { maxLength: 5 }),
        (reply, start, rest) => {
          const expected = reply
            .join('\n')
            .replace(/[ \t]+$/gm, '')
            .trim();
          fc.pre(expected !== '');
          const out = trimQuotedText([...reply, start, ...rest.map((r) => `> ${r}`)].join('\n'));
          expect(out).toBe(expected);
        },
      ),
    );
  });

  it('never throws, and never returns control characters or broken UTF-16', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const out = trimQuotedText(text);
        // biome-ignore lint/suspicious/noControlCharactersInRegex: that is what is checked
        expect(out).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
        expect(Buffer.from(out, 'utf8').toString('utf8')).toBe(out);
      }),
    );
  });
});

describe('subjects, text and HTML', () => {
  it.each([
    ['Re: RE: AW: Fwd: [INC0000042] VPN down', 'VPN down'],
    ['  ', '(no subject)'],
    ['Printer\u0000 jams', 'Printer jams'],
    ['x'.repeat(300), `${'x'.repeat(199)}…`],
  ])('title of %j is %j', (subject, title) => {
    expect(titleFromSubject(subject)).toBe(title);
  });

  it('makes a title of any subject: never empty, at most 200 characters, valid UTF-16', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (subject) => {
        const title = titleFromSubject(subject);
        expect(title.length).toBeGreaterThan(0);
        expect(title.length).toBeLessThanOrEqual(200);
        expect(Buffer.from(title, 'utf8').toString('utf8')).toBe(title);
      }),
    );
  });

  it('drops scripts, styles and images from HTML and keeps the words and link targets', () => {
    const text = htmlToText(
      '<style>p{}</style><script>steal()</script><p>Hello <b>desk</b>,</p><img src=x onerror=alert(1)><p><a href="https://x.test/a">the report</a></p>',
    );
    expect(text).toBe('Hello desk,\n\nthe report [https://x.test/a]');
  });

  it('turns any HTML into text without throwing', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (html) => {
        expect(typeof htmlToText(`<div>${html}</div>`)).toBe('string');
      }),
      { numRuns: 200 },
    );
  });

  it('cleans NUL, controls and lone surrogates', () => {
    expect(cleanText('a\u0000b\u0007c\r\nd\ud800e')).toBe('abc\nde');
    expect(cleanText('emoji 😀 stays')).toBe('emoji 😀 stays');
  });

  it('reads header blocks leniently, folded lines joined', () => {
    expect(readHeaderBlock('Subject: one\r\n two\r\nX-Thing: a\r\nX-Thing: b\r\ngarbage line\r\n\r\nBody: no')).toEqual({
      subject: 'one two',
      'x-thing': 'a, b',
    });
    fc.assert(fc.property(fc.string(), (raw) => void readHeaderBlock(raw)));
  });
});

describe('attachments', () => {
  const limits = { maxBytes: 1000, maxCount: 2 };

  const bytes = (text: string) => new TextEncoder().encode(text);
  const pdf = bytes('%PDF-1.7 a tiny document');

  it('keeps what is within the limits and says why the rest is not kept', () => {
    expect(
      decideAttachments(
        [
          { filename: 'a.pdf', contentType: 'application/pdf', content: pdf, sniffed: 'pdf' },
          { filename: 'setup.EXE', contentType: 'application/octet-stream', content: bytes('MZ'), sniffed: 'exe' },
          { filename: 'page.html', contentType: 'text/html', content: bytes('<p>hi</p>'), sniffed: undefined },
          { filename: 'big.zip', contentType: 'application/zip', content: new Uint8Array(1001), sniffed: 'zip' },
          { filename: null, contentType: 'image/png', content: bytes('\x89PNG'), sniffed: 'png' },
          { filename: 'c.txt', contentType: 'text/plain', content: bytes('hello'), sniffed: undefined },
        ],
        limits,
      ).map((d) => [d.filename, d.keep, d.reason ?? null]),
    ).toEqual([
      ['a.pdf', true, null],
      ['setup.EXE', false, 'setup.EXE is a program; programs are not accepted'],
      ['page.html', false, 'page.html is a web page; pages are not accepted'],
      ['big.zip', false, 'big.zip is larger than 1000 bytes'],
      ['attachment-5.png', true, null],
      ['c.txt', false, 'c.txt: more than 2 attachments'],
    ]);
  });

  it('keeps an attachment only when its bytes are what its name says, stored with the type’s own Content-Type', () => {
    const [disguised, kept] = decideAttachments(
      [
        { filename: 'invoice.pdf', contentType: 'application/pdf', content: bytes('MZ\x90'), sniffed: 'exe' },
        { filename: 'invoice.pdf', contentType: 'text/html', content: pdf, sniffed: 'pdf' },
      ],
      limits,
    );
    expect(disguised).toMatchObject({ keep: false, reason: 'invoice.pdf is named a PDF document but its content is a .exe file' });
    expect(kept).toMatchObject({ keep: true, contentType: 'application/pdf' });
  });

  it('never keeps more than the limits allow, and never a path in a file name', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            filename: fc.option(fc.string()),
            contentType: fc.string(),
            content: fc.uint8Array({ maxLength: 1500 }),
            sniffed: fc.option(fc.constantFrom('pdf', 'png', 'zip', 'exe'), { nil: undefined }),
          }),
          { maxLength: 10 },
        ),
        (list) => {
          const decisions = decideAttachments(list, limits);
          const kept = decisions.filter((d, i) => d.keep && list[i].content.length <= limits.maxBytes);
          expect(kept.length).toBe(decisions.filter((d) => d.keep).length);
          expect(kept.length).toBeLessThanOrEqual(limits.maxCount);
          for (const d of decisions) {
            expect(d.filename).not.toMatch(/[/\\\n"]/);
            expect(d.filename.length).toBeGreaterThan(0);
            expect(d.filename.length).toBeLessThanOrEqual(200);
          }
        },
      ),
    );
  });

  it('strips directories from file names', () => {
    expect(safeFilename('..\\..\\windows\\evil.txt', 0)).toBe('evil.txt');
    expect(safeFilename('/etc/passwd', 0)).toBe('passwd');
    expect(safeFilename('...', 3)).toBe('attachment-4');
  });
});

describe('what a mail does', () => {
  const pat = { id: 'pat', role: 'requester' as const, active: true };
  const open = { id: 't1', number: 'INC0000001', state: 'in_progress' as const, requesterId: 'pat', reportedById: 'pat' };

  it.each([
    ['a reply from the requester', { sender: pat, thread: open }, { action: 'comment', ticketId: 't1', reopen: false }],
    [
      'a reply from an agent',
      { sender: { id: 'a', role: 'agent' as const, active: true }, thread: open },
      { action: 'comment', ticketId: 't1', reopen: false },
    ],
    [
      'a reply from the requester to a resolved ticket',
      { sender: pat, thread: { ...open, state: 'resolved' as const } },
      { action: 'comment', ticketId: 't1', reopen: true },
    ],
    [
      'a reply from an agent to a resolved ticket',
      { sender: { id: 'a', role: 'agent' as const, active: true }, thread: { ...open, state: 'resolved' as const } },
      { action: 'comment', ticketId: 't1', reopen: false },
    ],
    ['a reply from someone else', { sender: { ...pat, id: 'mallory' }, thread: open }, { action: 'new_ticket', followUpOf: null }],
    [
      'a reply to a closed ticket',
      { sender: pat, thread: { ...open, state: 'closed' as const } },
      { action: 'new_ticket', followUpOf: 'INC0000001' },
    ],
    ['a new mail', { sender: pat, thread: null }, { action: 'new_ticket', followUpOf: null }],
    ['a deactivated sender', { sender: { ...pat, active: false }, thread: open }, { action: 'ignore' }],
    ['no sender', { sender: null, thread: null }, { action: 'ignore' }],
  ])('%s', (_name, input, expected) => {
    expect(decideIntake({ automated: null, ...input })).toMatchObject(expected);
  });

  it('machine mail is ignored even when it threads into a ticket', () => {
    expect(decideIntake({ automated: { reason: 'auto_submitted', detail: 'x' }, sender: pat, thread: open }).action).toBe('ignore');
  });
});

describe('the envelope of a mail read from a mailbox', () => {
  it('takes the sender from Return-Path and the recipients from Delivered-To and X-Original-To', () => {
    expect(
      envelopeOfStoredMail({
        'return-path': '<Pat@Example.test>',
        'delivered-to': 'support@firebreak.test',
        'x-original-to': '<support@firebreak.test>, help@firebreak.test',
      }),
    ).toEqual({ mailFrom: 'Pat@Example.test', rcptTo: ['support@firebreak.test', 'help@firebreak.test'] });
  });

  it('reads <> as the null sender, and a missing Return-Path as unknown', () => {
    expect(envelopeOfStoredMail({ 'return-path': '<>' }).mailFrom).toBe('');
    expect(envelopeOfStoredMail({}).mailFrom).toBeNull();
    expect(envelopeOfStoredMail({}).rcptTo).toEqual([]);
  });
});

describe('addresses', () => {
  it('accepts mail for the configured addresses and domains only', () => {
    const allowed = ['support@firebreak.test', 'help.example.test', '@desk.example.test'];
    expect(isAllowedRecipient('Support@Firebreak.test', allowed)).toBe(true);
    expect(isAllowedRecipient('anyone@help.example.test', allowed)).toBe(true);
    expect(isAllowedRecipient('x@desk.example.test', allowed)).toBe(true);
    expect(isAllowedRecipient('other@firebreak.test', allowed)).toBe(false);
    expect(isAllowedRecipient('x@sub.help.example.test', allowed)).toBe(false);
    expect(isAllowedRecipient('help.example.test', allowed)).toBe(false);
  });

  it('creates requesters only for plausible addresses', () => {
    expect(isPlausibleAddress('pat.doe+vpn@example.co.uk')).toBe(true);
    for (const bad of ['', 'pat', 'pat@', '@example.test', 'a b@example.test', 'pat@localhost', '<pat@example.test>']) {
      expect(isPlausibleAddress(bad), bad).toBe(false);
    }
  });
});
