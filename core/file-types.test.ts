import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ACCEPTED_EXTENSIONS, checkFileName, decideFile, normaliseFilename } from './file-types.js';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('file names', () => {
  it.each([
    ['evil.html.', 'evil.html is a web page; pages are not accepted'],
    ['evil.html . . ', 'evil.html is a web page; pages are not accepted'],
    ['EVIL.HTM', 'EVIL.HTM is a web page; pages are not accepted'],
    ['page.shtml', 'page.shtml is a web page; pages are not accepted'],
    ['page.xht', 'page.xht is a web page; pages are not accepted'],
    ['saved.mhtml', 'saved.mhtml is a web page; pages are not accepted'],
    ['logo.svgz', 'logo.svgz is a web page; pages are not accepted'],
    ['help.chm', 'help.chm is a shortcut or help file that can start programs; it is not accepted'],
    ['tool.py', 'tool.py is a script; scripts are not accepted'],
    ['login.url', 'login.url is a shortcut or help file that can start programs; it is not accepted'],
    ['report.docm', 'report.docm is an Office document with macros; save it without macros (as .docx, .xlsx or .pptx) and attach that'],
    ['setup.msix', 'setup.msix is a program; programs are not accepted'],
    ['types.ps1xml', 'types.ps1xml is a script; scripts are not accepted'],
    ['budget.xls', 'budget.xls is an old Office format that can hide macros; save it as .docx, .xlsx or .pptx and attach that'],
  ])('refuses %s, saying why in words', (name, reason) => {
    expect(checkFileName(name)).toEqual({ ok: false, filename: expect.any(String), reason });
  });

  it('sees through Unicode tricks: full-width letters, bidi overrides and zero-width characters', () => {
    // "evil‮lmth.pdf" shows as "evilfdp.html" in a right-to-left override; NFKC turns ．ｈｔｍｌ into .html.
    expect(normaliseFilename('evil\uff0e\uff48\uff54\uff4d\uff4c', 'f')).toBe('evil.html');
    expect(checkFileName('evil\uff0e\uff48\uff54\uff4d\uff4c').ok).toBe(false);
    expect(checkFileName('invoice\u202Efdp.exe')).toMatchObject({ ok: false, filename: 'invoicefdp.exe' });
    expect(checkFileName('notes.ht\u200Bml')).toMatchObject({ ok: false, filename: 'notes.html' });
    expect(checkFileName('notes.txt\u200B\u200E ')).toMatchObject({ ok: true, filename: 'notes.txt' });
    expect(checkFileName('C:\\Users\\me\\Screen Shot.PNG')).toMatchObject({ ok: true, filename: 'Screen Shot.PNG' });
  });

  it('refuses a name with no type or an unknown one, listing what is accepted', () => {
    expect(checkFileName('README')).toMatchObject({ ok: false, reason: expect.stringContaining('has no type in its name') });
    expect(checkFileName('data.xyz')).toMatchObject({
      ok: false,
      reason: expect.stringContaining('.xyz files are not accepted; accepted are images'),
    });
  });

  it('accepts every type on the allow-list, and keeps the extension of a long name', () => {
    for (const extension of ACCEPTED_EXTENSIONS) expect(checkFileName(`file.${extension}`).ok, extension).toBe(true);
    const long = checkFileName(`${'a'.repeat(300)}.pdf`);
    expect(long).toMatchObject({ ok: true });
    expect(long.filename.length).toBeLessThanOrEqual(200);
    expect(long.filename.endsWith('.pdf')).toBe(true);
  });

  it('never leaves a path, a control character or an invisible character in a name', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (name) => {
        const normal = normaliseFilename(name, 'file');
        expect(normal.length).toBeGreaterThan(0);
        expect(normal.length).toBeLessThanOrEqual(200);
        // biome-ignore lint/suspicious/noControlCharactersInRegex: the point
        expect(normal).not.toMatch(/[/\\\u0000-\u001f\u202a-\u202e\u2066-\u2069\u200b-\u200f]/);
        expect(normal).not.toMatch(/[.\s]$/);
      }),
    );
  });
});

describe('file content must agree with the name', () => {
  const decide = (filename: string, content: Uint8Array, sniffed?: string) => decideFile({ filename, content, sniffed }, 1000);

  it('takes binary types by their detected signature', () => {
    expect(decide('shot.png', bytes('\x89PNG'), 'png')).toMatchObject({ keep: true, contentType: 'image/png' });
    expect(decide('shot.png', bytes('<svg onload=alert(1)>'))).toMatchObject({
      keep: false,
      refusal: 'type',
      reason: 'shot.png is named a PNG image but its content is not one',
    });
    expect(decide('report.docx', bytes('PK'), 'docm')).toMatchObject({
      keep: false,
      reason: 'report.docx is named a Word document but its content is a .docm file',
    });
    expect(decide('trace.pcapng', Uint8Array.from([0x0a, 0x0d, 0x0d, 0x0a, 1, 2]))).toMatchObject({ keep: true });
    expect(decide('trace.pcapng', bytes('MZ'))).toMatchObject({ keep: false });
  });

  it('takes text types when the bytes are text: UTF-8, UTF-16 with a BOM, or 8-bit text', () => {
    expect(decide('app.log', bytes('2026-12-05 ERROR \x1b[31mdisk full\x1b[0m\n'))).toMatchObject({ keep: true });
    expect(decide('data.csv', Uint8Array.from([0x4d, 0xfc, 0x6c, 0x6c, 0x65, 0x72, 0x0a]))).toMatchObject({ keep: true }); // "Müller" in Latin-1
    expect(decide('notes.txt', Uint8Array.from([0xff, 0xfe, 0x68, 0x00, 0x69, 0x00]))).toMatchObject({ keep: true });
    expect(decide('notes.txt', Uint8Array.from([0x4d, 0x5a, 0x00, 0x01]))).toMatchObject({
      keep: false,
      reason: 'notes.txt is named a text file but its content is binary, not text',
    });
  });

  it('refuses a web page whatever it is called', () => {
    for (const page of ['<!DOCTYPE html><p>x', '  <html><script>x</script>', '<?xml version="1.0"?><svg onload="x"/>', '\ufeff<script>']) {
      expect(decide('readme.txt', bytes(page)), page).toMatchObject({
        keep: false,
        reason: 'readme.txt is a web page; pages are not accepted',
      });
    }
    expect(decide('config.xml', bytes('<?xml version="1.0"?><config/>'))).toMatchObject({ keep: true, contentType: 'application/xml' });
  });

  it('refuses what is too large with a size refusal', () => {
    expect(decide('big.zip', new Uint8Array(1001), 'zip')).toMatchObject({
      keep: false,
      refusal: 'size',
      reason: 'big.zip is larger than 1000 bytes',
    });
  });
});
