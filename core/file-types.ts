/**
 * What files people may attach (issue 11, finding 9): one allow-list, shared by uploads, e-mail
 * attachments and the web forms (which check a chosen file's name before sending it). A file is
 * kept only when its name, normalised, ends in an accepted type AND its bytes are that type:
 * binary types by their signature (detected by the server with `file-type`, passed in here as
 * `sniffed`), text types by being text. Pure: no I/O, so the browser runs the same name rule.
 */

export type FileGroup = 'image' | 'document' | 'text' | 'archive' | 'mail' | 'capture';

export interface AcceptedFileType {
  /** The extension, lower case, without the dot. */
  extension: string;
  /** "a PNG image": how the type is named in a sentence. */
  label: string;
  group: FileGroup;
  /** The Content-Type it is stored and served with, whatever the sender claimed. */
  mime: string;
  /**
   * How the bytes must look: `text` (no NUL, valid UTF-8 or 8-bit text without control
   * characters), a list of `file-type` extensions one of which the content must be detected as,
   * or leading magic bytes for a type `file-type` does not know.
   */
  content: 'text' | readonly string[] | { magic: readonly number[] };
}

const T = (extension: string, label: string, group: FileGroup, mime: string, content: AcceptedFileType['content']): AcceptedFileType => ({
  extension,
  label,
  group,
  mime,
  content,
});

/**
 * The allow-list. Left out on purpose: web pages and SVG (they run script when opened), legacy
 * Office (.doc/.xls/.ppt: macros cannot be told apart from the bytes' signature) and macro-enabled
 * Office, programs, scripts, shortcuts, help files and disk images. XML is text and kept, as a
 * download only (every file is served as an attachment with nosniff and a sandboxing CSP).
 */
const ACCEPTED: readonly AcceptedFileType[] = [
  T('png', 'a PNG image', 'image', 'image/png', ['png', 'apng']),
  T('jpg', 'a JPEG image', 'image', 'image/jpeg', ['jpg']),
  T('jpeg', 'a JPEG image', 'image', 'image/jpeg', ['jpg']),
  T('gif', 'a GIF image', 'image', 'image/gif', ['gif']),
  T('webp', 'a WebP image', 'image', 'image/webp', ['webp']),
  T('heic', 'a HEIC photo', 'image', 'image/heic', ['heic']),
  T('heif', 'a HEIF photo', 'image', 'image/heif', ['heic']),
  T('bmp', 'a BMP image', 'image', 'image/bmp', ['bmp']),
  T('tif', 'a TIFF image', 'image', 'image/tiff', ['tif']),
  T('tiff', 'a TIFF image', 'image', 'image/tiff', ['tif']),
  T('pdf', 'a PDF document', 'document', 'application/pdf', ['pdf']),
  T('docx', 'a Word document', 'document', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', ['docx']),
  T('xlsx', 'an Excel workbook', 'document', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', ['xlsx']),
  T('pptx', 'a PowerPoint presentation', 'document', 'application/vnd.openxmlformats-officedocument.presentationml.presentation', ['pptx']),
  T('odt', 'an OpenDocument text', 'document', 'application/vnd.oasis.opendocument.text', ['odt']),
  T('ods', 'an OpenDocument spreadsheet', 'document', 'application/vnd.oasis.opendocument.spreadsheet', ['ods']),
  T('odp', 'an OpenDocument presentation', 'document', 'application/vnd.oasis.opendocument.presentation', ['odp']),
  T('rtf', 'an RTF document', 'document', 'application/rtf', ['rtf']),
  T('txt', 'a text file', 'text', 'text/plain; charset=utf-8', 'text'),
  T('log', 'a log file', 'text', 'text/plain; charset=utf-8', 'text'),
  T('csv', 'a CSV file', 'text', 'text/csv; charset=utf-8', 'text'),
  T('tsv', 'a TSV file', 'text', 'text/tab-separated-values; charset=utf-8', 'text'),
  T('md', 'a Markdown file', 'text', 'text/markdown; charset=utf-8', 'text'),
  T('json', 'a JSON file', 'text', 'application/json', 'text'),
  T('har', 'a browser network log (HAR)', 'text', 'application/json', 'text'),
  T('xml', 'an XML file', 'text', 'application/xml', 'text'),
  T('yaml', 'a YAML file', 'text', 'text/plain; charset=utf-8', 'text'),
  T('yml', 'a YAML file', 'text', 'text/plain; charset=utf-8', 'text'),
  T('eml', 'an e-mail', 'mail', 'message/rfc822', 'text'),
  T('msg', 'an Outlook message', 'mail', 'application/vnd.ms-outlook', ['cfb']),
  T('zip', 'a ZIP archive', 'archive', 'application/zip', ['zip']),
  T('gz', 'a gzip archive', 'archive', 'application/gzip', ['gz', 'tar.gz']),
  T('tgz', 'a gzip archive', 'archive', 'application/gzip', ['gz', 'tar.gz']),
  T('tar', 'a tar archive', 'archive', 'application/x-tar', ['tar']),
  T('7z', 'a 7-Zip archive', 'archive', 'application/x-7z-compressed', ['7z']),
  T('pcap', 'a network capture', 'capture', 'application/vnd.tcpdump.pcap', ['pcap']),
  T('pcapng', 'a network capture', 'capture', 'application/x-pcapng', { magic: [0x0a, 0x0d, 0x0d, 0x0a] }),
];

const BY_EXTENSION = new Map(ACCEPTED.map((t) => [t.extension, t]));

/** For the file picker's `accept` attribute and the help text: every accepted extension. */
export const ACCEPTED_EXTENSIONS: readonly string[] = ACCEPTED.map((t) => t.extension);

/** In words, for hints and refusals. */
export const ACCEPTED_FILES_IN_WORDS =
  'images (PNG, JPEG, GIF, WebP, HEIC, BMP, TIFF), PDF, text and logs (TXT, LOG, CSV, JSON, XML, YAML, HAR), Word, Excel and PowerPoint documents without macros (DOCX, XLSX, PPTX), OpenDocument and RTF, archives (ZIP, GZ, TAR, 7Z), e-mails (EML, MSG) and network captures (PCAP, PCAPNG)';

// biome-ignore format: lists read best packed
const REFUSED_KINDS: readonly [readonly string[], string][] = [
  [['html', 'htm', 'xhtml', 'xht', 'shtml', 'shtm', 'mhtml', 'mht', 'svg', 'svgz', 'xsl', 'xslt', 'hta'], 'is a web page; pages are not accepted'],
  [['docm', 'dotm', 'xlsm', 'xltm', 'xlam', 'xlsb', 'pptm', 'potm', 'ppsm', 'ppam', 'sldm'], 'is an Office document with macros; save it without macros (as .docx, .xlsx or .pptx) and attach that'],
  [['doc', 'dot', 'xls', 'xlt', 'ppt', 'pot', 'pps'], 'is an old Office format that can hide macros; save it as .docx, .xlsx or .pptx and attach that'],
  [['exe', 'com', 'bat', 'cmd', 'scr', 'pif', 'msi', 'msp', 'msix', 'msixbundle', 'appx', 'appxbundle', 'cpl', 'dll', 'sys', 'ocx', 'jar', 'app', 'apk', 'deb', 'rpm', 'dmg', 'pkg', 'elf', 'gadget'], 'is a program; programs are not accepted'],
  [['js', 'jse', 'mjs', 'vbs', 'vbe', 'wsf', 'wsh', 'ps1', 'psm1', 'psd1', 'ps1xml', 'ps2', 'ps2xml', 'psc1', 'psc2', 'py', 'pyw', 'pyc', 'pl', 'rb', 'sh', 'bash', 'zsh', 'php', 'lua', 'scpt', 'applescript', 'reg', 'inf', 'scf'], 'is a script; scripts are not accepted'],
  [['lnk', 'url', 'website', 'webloc', 'desktop', 'chm', 'hlp', 'iqy', 'slk', 'settingcontent-ms', 'library-ms', 'search-ms', 'application', 'appref-ms'], 'is a shortcut or help file that can start programs; it is not accepted'],
  [['iso', 'img', 'vhd', 'vhdx', 'udf'], 'is a disk image; disk images are not accepted'],
];

/** Characters that change how a name looks without being seen: bidi overrides, zero-width marks. */
const INVISIBLE = /[\u00ad\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\u3164\ufeff\uffa0]/g;

/**
 * A file name as it is stored, shown and checked: Unicode-normalised (NFKC: a full-width `．ｈｔｍｌ`
 * is `.html`), invisible and bidi characters removed (so `evil\u202Efdp.exe` cannot pose as a PDF),
 * no path, no control characters, no characters Windows refuses, and no trailing dots or spaces
 * (Windows drops them, so `evil.html.` opens as `evil.html`). Bounded to 200 characters. `fallback`
 * names a file that has no usable name.
 */
export function normaliseFilename(name: string | null | undefined, fallback: string): string {
  const base = (name ?? '')
    .normalize('NFKC')
    .replace(INVISIBLE, '')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ')
    .replace(/[\ud800-\udfff]/g, (c, i, s: string) => {
      const code = c.charCodeAt(0);
      if (code < 0xdc00) return i + 1 < s.length && /[\udc00-\udfff]/.test(s[i + 1]) ? c : '';
      return i > 0 && /[\ud800-\udbff]/.test(s[i - 1]) ? c : '';
    })
    .split(/[\\/]/)
    .pop()
    ?.replace(/["<>:|?*]/g, '_')
    .replace(/^[.\s]+/, '')
    .replace(/[.\s]+$/, '')
    .replace(/\s+/g, ' ');
  if (!base) return fallback;
  if (base.length <= 200) return base;
  // Keep the extension when shortening, so the type that was checked is the type that is stored.
  const dot = base.lastIndexOf('.');
  const extension = dot > 0 && base.length - dot <= 12 ? base.slice(dot) : '';
  let cut = base.slice(0, 199 - extension.length);
  if (/[\ud800-\udbff]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}…${extension}`;
}

/** The extension of a normalised name, lower case, or null when it has none. */
export function fileExtension(filename: string): string | null {
  const dot = filename.lastIndexOf('.');
  return dot > 0 && dot < filename.length - 1 ? filename.slice(dot + 1).toLowerCase() : null;
}

export type FileNameCheck = { ok: true; filename: string; type: AcceptedFileType } | { ok: false; filename: string; reason: string };

/**
 * Whether a file's NAME is of an accepted type (the browser checks this when a file is chosen;
 * the server checks it again, with the content). `reason` is a sentence naming the file.
 */
export function checkFileName(name: string | null | undefined, fallback = 'file'): FileNameCheck {
  const filename = normaliseFilename(name, fallback);
  const extension = fileExtension(filename);
  const type = extension ? BY_EXTENSION.get(extension) : undefined;
  if (type) return { ok: true, filename, type };
  if (!extension) {
    return {
      ok: false,
      filename,
      reason: `${filename} has no type in its name (such as .png or .pdf); accepted are ${ACCEPTED_FILES_IN_WORDS}`,
    };
  }
  const known = REFUSED_KINDS.find(([list]) => list.includes(extension));
  if (known) return { ok: false, filename, reason: `${filename} ${known[1]}` };
  return { ok: false, filename, reason: `${filename}: .${extension} files are not accepted; accepted are ${ACCEPTED_FILES_IN_WORDS}` };
}

/** The accepted type whose stored Content-Type is `mime` (for a mail attachment without a name). */
export function acceptedTypeOfMime(mime: string): AcceptedFileType | undefined {
  const bare = mime.split(';')[0].trim().toLowerCase();
  return ACCEPTED.find((t) => t.mime.split(';')[0] === bare);
}

/**
 * Whether the bytes are what the name says. `sniffed` is the `file-type` extension detected
 * from the content (undefined when it recognised none). Returns why not, in words, or null.
 */
export function checkFileContent(
  filename: string,
  type: AcceptedFileType,
  content: Uint8Array,
  sniffed: string | undefined,
): string | null {
  const expected = type.content;
  if (expected === 'text') {
    const why = whyNotText(content);
    if (why) return `${filename} is named ${type.label} but ${why}`;
    if (looksLikeWebPage(content)) return `${filename} is a web page; pages are not accepted`;
    return null;
  }
  if (Array.isArray(expected)) {
    if (sniffed && expected.includes(sniffed)) return null;
    const found = sniffed ? `its content is a .${sniffed} file` : 'its content is not';
    return sniffed ? `${filename} is named ${type.label} but ${found}` : `${filename} is named ${type.label} but ${found} one`;
  }
  const { magic } = expected as { magic: readonly number[] };
  if (magic.every((byte, i) => content[i] === byte)) return null;
  return `${filename} is named ${type.label} but its content is not one`;
}

/**
 * Text is text: UTF-16 with a byte-order mark, valid UTF-8, or 8-bit text (Latin-1 and the like)
 * without control characters other than tab, line ends, form feed and escape (coloured logs).
 */
function whyNotText(content: Uint8Array): string | null {
  if (content.length >= 2 && ((content[0] === 0xff && content[1] === 0xfe) || (content[0] === 0xfe && content[1] === 0xff))) {
    return content.length % 2 === 0 ? null : 'its content is not text';
  }
  if (content.includes(0)) return 'its content is binary, not text';
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(content);
    return null;
  } catch {
    // An indexed loop over a lookup table: 10 MiB in tens of milliseconds, not hundreds.
    for (let i = 0; i < content.length; i++) if (CONTROL_BYTES[content[i]] === 1) return 'its content is binary, not text';
    return null;
  }
}

/** Bytes that do not occur in 8-bit text: C0 controls other than tab, line ends, form feed, escape; and DEL. */
const CONTROL_BYTES = (() => {
  const table = new Uint8Array(256);
  for (let b = 0; b < 0x20; b++) if (![0x09, 0x0a, 0x0c, 0x0d, 0x1b].includes(b)) table[b] = 1;
  table[0x7f] = 1;
  return table;
})();

/** A text file whose start is HTML or SVG is a page, whatever it is called. */
function looksLikeWebPage(content: Uint8Array): boolean {
  const head = new TextDecoder('utf-8').decode(content.subarray(0, 1024)).replace(/^\ufeff/, '');
  return /^\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*<(!doctype\s+(html|svg)|html|svg|script|head|body|iframe)\b/i.test(head);
}

export type FileRefusal = 'type' | 'size';

export type FileDecision =
  | { keep: true; filename: string; contentType: string }
  | { keep: false; filename: string; refusal: FileRefusal; reason: string };

/**
 * One file, by the same rule wherever it comes from: an accepted type by name, its bytes that
 * type, not empty, within the size limit. Refused files say why, naming the file.
 */
export function decideFile(
  file: { filename: string | null | undefined; content: Uint8Array; sniffed: string | undefined },
  maxBytes: number,
  fallback = 'file',
): FileDecision {
  const named = checkFileName(file.filename, fallback);
  if (!named.ok) return { keep: false, filename: named.filename, refusal: 'type', reason: named.reason };
  if (file.content.length > maxBytes) {
    return { keep: false, filename: named.filename, refusal: 'size', reason: `${named.filename} is larger than ${maxBytes} bytes` };
  }
  const mismatch = checkFileContent(named.filename, named.type, file.content, file.sniffed);
  if (mismatch) return { keep: false, filename: named.filename, refusal: 'type', reason: mismatch };
  return { keep: true, filename: named.filename, contentType: named.type.mime };
}
