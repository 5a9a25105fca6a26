import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import { hostNameOf } from '../../core/host-name.js';
import { parseAllowList } from '../../core/outbound-address.js';
import { parseRoleMap, type SingleSignOnPolicy } from '../../core/single-sign-on.js';
import { ROLES } from '../../core/vocabulary.js';

/** More processes than this on one machine only queue on its cores and the database's connections. */
export const MAX_WORKERS = 64;

/**
 * Configuration is read once, here, from the environment into a typed object that is passed
 * in to whatever needs it. Nothing else reads process.env. Each variable is documented in the
 * README's configuration table.
 */
const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  FIREBREAK_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  FIREBREAK_ADMIN_EMAIL: z.email().optional(),
  FIREBREAK_ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
  FIREBREAK_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  FIREBREAK_SESSION_HOURS: z.coerce.number().positive().default(12),
  /** Cookies get `Secure`; unset, that follows FIREBREAK_PUBLIC_URL (https → on). */
  FIREBREAK_SECURE_COOKIES: z.enum(['true', 'false']).optional(),
  /** Host names the server answers to (against DNS rebinding); `*` for any. */
  FIREBREAK_ALLOWED_HOSTS: z.string().trim().min(1).optional(),
  FIREBREAK_BODY_LIMIT_BYTES: z.coerce.number().int().positive().default(1_048_576),
  FIREBREAK_TRUST_PROXY: z.string().trim().default('false'),
  FIREBREAK_DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(20),
  /** Server processes on this machine (a primary forks them; they share the HTTP and SMTP ports). */
  FIREBREAK_WORKERS: z
    .string()
    .trim()
    .default('1')
    .refine((v) => /^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= MAX_WORKERS, {
      error: `must be a whole number of server processes from 1 to ${MAX_WORKERS} (FIREBREAK_WORKERS or start --workers), e.g. 2`,
    })
    .transform(Number),
  FIREBREAK_SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL, e.g. smtp://user:password@mail.example.com:587')
    .optional(),
  FIREBREAK_MAIL_FROM: z.string().min(3).default('Firebreak <firebreak@localhost>'),
  FIREBREAK_WEB_UI: z.enum(['on', 'off'], { error: 'must be "on" or "off"' }).default('on'),
  FIREBREAK_PUBLIC_URL: z.url({ error: 'must be the address people open Firebreak at, e.g. https://help.example.com' }).optional(),
  FIREBREAK_SUPPORT_ADDRESS: z.email({ error: 'must be the e-mail address people write to, e.g. support@example.com' }).optional(),
  FIREBREAK_SMTP_LISTEN_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  FIREBREAK_SMTP_LISTEN_HOST: z.string().min(1).default('127.0.0.1'),
  FIREBREAK_SMTP_LISTEN_RECIPIENTS: z.string().optional(),
  FIREBREAK_SMTP_LISTEN_USERNAME: z.string().min(1).optional(),
  FIREBREAK_SMTP_LISTEN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
  FIREBREAK_SMTP_LISTEN_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(100 * 1024 * 1024)
    .default(10 * 1024 * 1024),
  FIREBREAK_SMTP_LISTEN_MAX_RECIPIENTS: z.coerce.number().int().min(1).max(1000).default(50),
  FIREBREAK_SMTP_LISTEN_TLS_CERT: z.string().min(1).optional(),
  FIREBREAK_SMTP_LISTEN_TLS_KEY: z.string().min(1).optional(),
  FIREBREAK_IMAP_URL: z
    .string()
    .regex(/^imaps?:\/\/[^/?#]+/, 'must be an imap:// or imaps:// URL, e.g. imaps://support%40example.com:password@mail.example.com/INBOX')
    .optional(),
  FIREBREAK_IMAP_POLL_SECONDS: z.coerce.number().min(1).max(86_400).default(60),
  FIREBREAK_IMAP_MARK_SEEN: z.enum(['true', 'false'], { error: 'must be "true" or "false"' }).default('true'),
  FIREBREAK_IMAP_MOVE_TO: z.string().trim().min(1).max(200).optional(),
  FIREBREAK_ATTACHMENT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .default(10 * 1024 * 1024),
  FIREBREAK_ATTACHMENT_MAX_COUNT: z.coerce.number().int().min(0).max(1000).default(20),
  FIREBREAK_ALLOW_PRIVATE_TARGETS: z.string().optional(),
  /** Comma-separated RFC 8601 authserv-ids whose Authentication-Results (dmarc/dkim/spf pass) are believed. */
  FIREBREAK_MAIL_TRUSTED_AUTHSERV_IDS: z
    .string()
    .refine((v) => v.split(',').every((id) => id.trim() === '' || /^[^\s;()"=]+$/.test(id.trim())), {
      error:
        'must be comma-separated authserv-ids (the names your mail server writes first in Authentication-Results), e.g. mx.example.com,mx2.example.com',
    })
    .optional(),
  /** Serves GET /metrics to `Authorization: Bearer <this>`; unset, /metrics answers 404. */
  FIREBREAK_METRICS_TOKEN: z.string().trim().min(16, 'must be at least 16 characters (a long random secret)').optional(),
  /** Single sign-on (OpenID Connect): set the issuer and client id to offer "Sign in with …". */
  FIREBREAK_OIDC_ISSUER: z
    .url({ error: "must be the identity provider's issuer URL, e.g. https://login.example.com/realms/staff" })
    .optional(),
  FIREBREAK_OIDC_CLIENT_ID: z.string().trim().min(1).optional(),
  FIREBREAK_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  FIREBREAK_OIDC_NAME: z.string().trim().min(1).max(60).default('single sign-on'),
  FIREBREAK_OIDC_REDIRECT_BASE: z
    .url({ error: 'must be the address the browser reaches Firebreak at, e.g. https://help.example.com' })
    .optional(),
  FIREBREAK_OIDC_SCOPES: z.string().trim().min(1).default('openid email profile'),
  FIREBREAK_OIDC_ALLOWED_DOMAINS: z.string().default(''),
  FIREBREAK_OIDC_ROLE_CLAIM: z.string().trim().min(1).optional(),
  FIREBREAK_OIDC_ROLE_MAP: z.string().default(''),
  FIREBREAK_OIDC_DEFAULT_ROLE: z.enum([...ROLES, 'none'], { error: `must be one of ${ROLES.join(', ')} or none` }).default('requester'),
  FIREBREAK_OIDC_AUTO_PROVISION: z.enum(['on', 'off'], { error: 'must be "on" or "off"' }).default('off'),
  /** "off": only the break-glass admin may sign in with a password (everyone else uses single sign-on). */
  FIREBREAK_LOCAL_PASSWORDS: z.enum(['on', 'off'], { error: 'must be "on" or "off"' }).default('on'),
  FIREBREAK_BREAK_GLASS_EMAIL: z.email().optional(),
  /** Browser tests only: admins may move the server's clock forward (POST /api/v1/test-clock/advance). */
  FIREBREAK_TEST_CLOCK: z.enum(['on', 'off'], { error: 'must be "on" or "off"' }).default('off'),
  /** Read only to refuse the test clock in production. */
  NODE_ENV: z.string().optional(),
});

/**
 * Which proxies in front of Firebreak are believed about the client's address (X-Forwarded-For):
 * none (false), the last N hops, or the hops from these addresses / CIDR ranges. Never "every hop":
 * the left-most X-Forwarded-For entry is whatever the client wrote.
 */
export type TrustProxy = false | number | string[];

function readTrustProxy(value: string, problems: string[]): TrustProxy {
  if (value === '' || value === 'false' || value === '0') return false;
  if (value === 'true') {
    problems.push(
      'FIREBREAK_TRUST_PROXY: "true" would believe every X-Forwarded-For hop, so a client could choose its own address. Write how many proxies stand in front of Firebreak (e.g. 1) or their addresses and ranges (e.g. 10.0.0.0/8,192.168.1.5)',
    );
    return false;
  }
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops > 10) problems.push(`FIREBREAK_TRUST_PROXY: ${hops} proxies in a row is not plausible; write the number of proxies (e.g. 1)`);
    return hops;
  }
  const entries = value.split(',').map((part) => part.trim());
  for (const entry of entries) {
    const [address, prefix, ...rest] = entry.split('/');
    const version = isIP(address ?? '');
    const prefixOk = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 6 ? 128 : 32));
    if (!version || !prefixOk || rest.length > 0) {
      problems.push(
        `FIREBREAK_TRUST_PROXY: "${entry}" is neither a number of proxies nor an address or range (e.g. 1, or 10.0.0.0/8,192.168.1.5)`,
      );
    }
  }
  return entries;
}

/** The built-in SMTP listener (e-mail in); null when FIREBREAK_SMTP_LISTEN_PORT is not set. */
export interface SmtpListenConfig {
  port: number;
  host: string;
  /** Addresses and domains mail is accepted for. */
  recipients: string[];
  auth: { username: string; password: string } | null;
  maxBytes: number;
  maxRecipients: number;
  /** PEM files; STARTTLS is offered only when both are set. */
  tls: { certPath: string; keyPath: string } | null;
}

/** IMAP polling of a mailbox (e-mail in); null when FIREBREAK_IMAP_URL is not set. */
export interface ImapPollConfig {
  host: string;
  port: number;
  /** imaps:// (TLS from the start); imap:// upgrades with STARTTLS when the server offers it. */
  secure: boolean;
  user: string;
  password: string;
  mailbox: string;
  pollIntervalMs: number;
  /** What happens to a mail once it is committed: flagged \Seen, and/or moved to this folder. */
  markSeen: boolean;
  moveTo: string | null;
  /** Largest message taken in (the same limit as the SMTP listener's); larger ones are refused and recorded. */
  maxBytes: number;
}

/** OpenID Connect sign-in; null when FIREBREAK_OIDC_ISSUER is not set. */
export interface SingleSignOnConfig extends SingleSignOnPolicy {
  issuer: string;
  clientId: string;
  /** Absent: a public client (PKCE alone). */
  clientSecret: string | null;
  /** Shown as "Sign in with <name>". */
  name: string;
  /** Where the provider sends the browser back: `<redirect base>/api/v1/auth/sso/callback`. */
  redirectUri: string;
  /** Where it sends the browser after the provider's own sign-out. */
  signedOutUri: string;
  scopes: string;
  /** Plain http to the provider: allowed only for a provider on this machine (loopback). */
  allowHttp: boolean;
}

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  bootstrapAdmin: { email: string | undefined; password: string | undefined };
  logLevel: z.infer<typeof EnvSchema>['FIREBREAK_LOG_LEVEL'];
  sessionHours: number;
  secureCookies: boolean;
  /** Host names (lower case, no port) requests may name; null answers any. */
  allowedHosts: string[] | null;
  bodyLimitBytes: number;
  trustProxy: TrustProxy;
  databasePoolSize: number;
  /** Server processes to run on this machine (FIREBREAK_WORKERS or `start --workers N`); more than 1 needs PostgreSQL. */
  workers: number;
  mail: {
    smtpUrl: string | undefined;
    from: string;
    /** Where people write to (Reply-To of outgoing mail), e.g. support@example.com. */
    supportAddress: string | undefined;
    /** The domain of the Message-IDs we send: replies that name them thread back. */
    messageIdDomain: string;
  };
  emailIntake: {
    listen: SmtpListenConfig | null;
    imap: ImapPollConfig | null;
    attachments: { maxBytes: number; maxCount: number };
    /** Receiving servers whose Authentication-Results are believed (mail from staff acts as staff). */
    trustedAuthservIds: string[];
  };
  /** Where people open Firebreak; links in e-mails point here. */
  publicUrl: string;
  /** Serve the web UI at `/` (built from web/ at start when its sources changed). */
  webUi: boolean;
  /** Private addresses and CIDR ranges that checks and webhooks may reach anyway (all others are refused). */
  allowPrivateTargets: string[];
  /** The bearer token Prometheus scrapes /metrics with; null: /metrics is not served (404). */
  metricsToken: string | null;
  singleSignOn: SingleSignOnConfig | null;
  /** Password sign-in: for everyone, or (off) for the break-glass admin alone. */
  localPasswords: { enabled: boolean; breakGlassEmail: string | null };
  /** FIREBREAK_TEST_CLOCK=on: the clock admins may move forward, for browser tests; refused with NODE_ENV=production. */
  testClock: boolean;
}

export class ConfigError extends Error {}

export function readConfig(env: Record<string, string | undefined>): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Firebreak cannot start: the environment has invalid settings:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const problems: string[] = [];
  if (!!e.FIREBREAK_SMTP_LISTEN_USERNAME !== !!e.FIREBREAK_SMTP_LISTEN_PASSWORD) {
    problems.push('FIREBREAK_SMTP_LISTEN_USERNAME and FIREBREAK_SMTP_LISTEN_PASSWORD: set both (to require AUTH) or neither');
  }
  if (!!e.FIREBREAK_SMTP_LISTEN_TLS_CERT !== !!e.FIREBREAK_SMTP_LISTEN_TLS_KEY) {
    problems.push('FIREBREAK_SMTP_LISTEN_TLS_CERT and FIREBREAK_SMTP_LISTEN_TLS_KEY: set both (to offer STARTTLS) or neither');
  }
  const recipients = (e.FIREBREAK_SMTP_LISTEN_RECIPIENTS ?? e.FIREBREAK_SUPPORT_ADDRESS ?? '')
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  if (e.FIREBREAK_SMTP_LISTEN_PORT !== undefined && recipients.length === 0) {
    problems.push(
      'FIREBREAK_SMTP_LISTEN_RECIPIENTS: the SMTP listener needs the addresses or domains to accept mail for (or set FIREBREAK_SUPPORT_ADDRESS)',
    );
  }
  for (const r of recipients) {
    if (!/^(@?[a-z0-9.-]+\.[a-z]{2,}|[^\s@]+@[a-z0-9.-]+)$/i.test(r)) {
      problems.push(`FIREBREAK_SMTP_LISTEN_RECIPIENTS: "${r}" is neither an address (support@example.com) nor a domain (example.com)`);
    }
  }
  const trustProxy = readTrustProxy(e.FIREBREAK_TRUST_PROXY, problems);
  const imap = e.FIREBREAK_IMAP_URL ? readImapUrl(e.FIREBREAK_IMAP_URL, problems) : null;
  if (imap && e.FIREBREAK_IMAP_MARK_SEEN === 'false' && !e.FIREBREAK_IMAP_MOVE_TO) {
    problems.push('FIREBREAK_IMAP_MARK_SEEN: with "false", set FIREBREAK_IMAP_MOVE_TO too, or every poll would read the same mail again');
  }
  const allowList = parseAllowList(e.FIREBREAK_ALLOW_PRIVATE_TARGETS);
  for (const p of allowList.problems) problems.push(`FIREBREAK_ALLOW_PRIVATE_TARGETS: ${p}`);
  // A clock anyone with an admin account can move would let them fire every timer early (SLA
  // breaches, escalations, auto-close): a production server refuses to start with it.
  if (e.FIREBREAK_TEST_CLOCK === 'on' && e.NODE_ENV === 'production') {
    problems.push(
      'FIREBREAK_TEST_CLOCK: "on" lets admins move the server\'s clock and is for tests only; it is refused with NODE_ENV=production. Remove it (or set it to "off")',
    );
  }
  const singleSignOn = readSingleSignOn(e, problems);
  if (e.FIREBREAK_LOCAL_PASSWORDS === 'off' && !singleSignOn) {
    problems.push(
      'FIREBREAK_LOCAL_PASSWORDS: "off" needs single sign-on (FIREBREAK_OIDC_ISSUER and FIREBREAK_OIDC_CLIENT_ID), or nobody could sign in',
    );
  }
  if (e.FIREBREAK_LOCAL_PASSWORDS === 'off' && !e.FIREBREAK_BREAK_GLASS_EMAIL) {
    problems.push(
      'FIREBREAK_BREAK_GLASS_EMAIL: with FIREBREAK_LOCAL_PASSWORDS=off, name the admin who may still sign in with a password when the identity provider is down',
    );
  }
  // PGlite is a database inside one process (its data folder is locked to it): several processes
  // need a database server they can all reach.
  if (e.FIREBREAK_WORKERS > 1 && !e.DATABASE_URL) {
    problems.push(
      `FIREBREAK_WORKERS: ${e.FIREBREAK_WORKERS} server processes need PostgreSQL (DATABASE_URL); the embedded database serves one process. Set DATABASE_URL, or run one process`,
    );
  }
  if (problems.length > 0) {
    throw new ConfigError(`Firebreak cannot start: the environment has invalid settings:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.FIREBREAK_DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    bootstrapAdmin: { email: e.FIREBREAK_ADMIN_EMAIL, password: e.FIREBREAK_ADMIN_PASSWORD },
    logLevel: e.FIREBREAK_LOG_LEVEL,
    sessionHours: e.FIREBREAK_SESSION_HOURS,
    secureCookies: e.FIREBREAK_SECURE_COOKIES
      ? e.FIREBREAK_SECURE_COOKIES === 'true'
      : e.FIREBREAK_PUBLIC_URL?.startsWith('https:') === true,
    allowedHosts: allowedHostsOf(e.FIREBREAK_ALLOWED_HOSTS, e.FIREBREAK_PUBLIC_URL, e.HOST),
    bodyLimitBytes: e.FIREBREAK_BODY_LIMIT_BYTES,
    trustProxy,
    databasePoolSize: e.FIREBREAK_DATABASE_POOL_SIZE,
    workers: e.FIREBREAK_WORKERS,
    mail: {
      smtpUrl: e.FIREBREAK_SMTP_URL,
      from: e.FIREBREAK_MAIL_FROM,
      supportAddress: e.FIREBREAK_SUPPORT_ADDRESS,
      messageIdDomain: /@([^>\s]+)/.exec(e.FIREBREAK_MAIL_FROM)?.[1] ?? 'firebreak.local',
    },
    emailIntake: {
      listen:
        e.FIREBREAK_SMTP_LISTEN_PORT === undefined
          ? null
          : {
              port: e.FIREBREAK_SMTP_LISTEN_PORT,
              host: e.FIREBREAK_SMTP_LISTEN_HOST,
              recipients,
              auth:
                e.FIREBREAK_SMTP_LISTEN_USERNAME && e.FIREBREAK_SMTP_LISTEN_PASSWORD
                  ? { username: e.FIREBREAK_SMTP_LISTEN_USERNAME, password: e.FIREBREAK_SMTP_LISTEN_PASSWORD }
                  : null,
              maxBytes: e.FIREBREAK_SMTP_LISTEN_MAX_BYTES,
              maxRecipients: e.FIREBREAK_SMTP_LISTEN_MAX_RECIPIENTS,
              tls:
                e.FIREBREAK_SMTP_LISTEN_TLS_CERT && e.FIREBREAK_SMTP_LISTEN_TLS_KEY
                  ? { certPath: e.FIREBREAK_SMTP_LISTEN_TLS_CERT, keyPath: e.FIREBREAK_SMTP_LISTEN_TLS_KEY }
                  : null,
            },
      imap: imap
        ? {
            ...imap,
            pollIntervalMs: e.FIREBREAK_IMAP_POLL_SECONDS * 1000,
            markSeen: e.FIREBREAK_IMAP_MARK_SEEN === 'true',
            moveTo: e.FIREBREAK_IMAP_MOVE_TO ?? null,
            maxBytes: e.FIREBREAK_SMTP_LISTEN_MAX_BYTES,
          }
        : null,
      attachments: { maxBytes: e.FIREBREAK_ATTACHMENT_MAX_BYTES, maxCount: e.FIREBREAK_ATTACHMENT_MAX_COUNT },
      trustedAuthservIds: (e.FIREBREAK_MAIL_TRUSTED_AUTHSERV_IDS ?? '')
        .split(',')
        .map((id) => id.trim().toLowerCase())
        .filter(Boolean),
    },
    publicUrl: (e.FIREBREAK_PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    webUi: e.FIREBREAK_WEB_UI === 'on',
    allowPrivateTargets: allowList.allowed.map((a) => a.text),
    metricsToken: e.FIREBREAK_METRICS_TOKEN ?? null,
    singleSignOn,
    localPasswords: {
      enabled: e.FIREBREAK_LOCAL_PASSWORDS === 'on',
      breakGlassEmail: e.FIREBREAK_BREAK_GLASS_EMAIL?.toLowerCase() ?? null,
    },
    testClock: e.FIREBREAK_TEST_CLOCK === 'on',
  };
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

function readSingleSignOn(e: z.infer<typeof EnvSchema>, problems: string[]): SingleSignOnConfig | null {
  if (!e.FIREBREAK_OIDC_ISSUER && !e.FIREBREAK_OIDC_CLIENT_ID) return null;
  if (!e.FIREBREAK_OIDC_ISSUER || !e.FIREBREAK_OIDC_CLIENT_ID) {
    problems.push('FIREBREAK_OIDC_ISSUER and FIREBREAK_OIDC_CLIENT_ID: set both (to offer single sign-on) or neither');
    return null;
  }
  const issuer = new URL(e.FIREBREAK_OIDC_ISSUER);
  const allowHttp = issuer.protocol === 'http:' && LOOPBACK_HOSTS.has(issuer.hostname);
  if (issuer.protocol !== 'https:' && !allowHttp) {
    problems.push(
      'FIREBREAK_OIDC_ISSUER: must be an https:// URL (plain http only for a provider on this machine, e.g. http://127.0.0.1:9000)',
    );
  }
  const roleMap = parseRoleMap(e.FIREBREAK_OIDC_ROLE_MAP);
  for (const p of roleMap.problems) problems.push(`FIREBREAK_OIDC_ROLE_MAP: ${p}`);
  if (e.FIREBREAK_OIDC_ROLE_CLAIM && roleMap.map.size === 0) {
    problems.push(
      'FIREBREAK_OIDC_ROLE_MAP: FIREBREAK_OIDC_ROLE_CLAIM is set, so say which claim values give which role, e.g. service-desk=agent,firebreak-admins=admin',
    );
  }
  const allowedDomains = e.FIREBREAK_OIDC_ALLOWED_DOMAINS.split(',')
    .map((d) => d.trim().toLowerCase().replace(/^@/, ''))
    .filter(Boolean);
  for (const d of allowedDomains) {
    if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(d)) problems.push(`FIREBREAK_OIDC_ALLOWED_DOMAINS: "${d}" is not a domain (e.g. example.com)`);
  }
  const base = (e.FIREBREAK_OIDC_REDIRECT_BASE ?? e.FIREBREAK_PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, '');
  return {
    issuer: e.FIREBREAK_OIDC_ISSUER,
    clientId: e.FIREBREAK_OIDC_CLIENT_ID,
    clientSecret: e.FIREBREAK_OIDC_CLIENT_SECRET ?? null,
    name: e.FIREBREAK_OIDC_NAME,
    redirectUri: `${base}/api/v1/auth/sso/callback`,
    signedOutUri: `${base}/sign-in`,
    scopes: e.FIREBREAK_OIDC_SCOPES.split(/\s+/).includes('openid') ? e.FIREBREAK_OIDC_SCOPES : `openid ${e.FIREBREAK_OIDC_SCOPES}`,
    allowHttp,
    allowedDomains,
    roleClaim: e.FIREBREAK_OIDC_ROLE_CLAIM ?? null,
    roleMap: roleMap.map,
    defaultRole: e.FIREBREAK_OIDC_DEFAULT_ROLE === 'none' ? null : e.FIREBREAK_OIDC_DEFAULT_ROLE,
    autoProvision: e.FIREBREAK_OIDC_AUTO_PROVISION === 'on',
  };
}

const LOCAL_NAMES = ['localhost', '127.0.0.1', '[::1]'];

/**
 * The Host names requests may carry (DNS rebinding: a page on the attacker's name that resolves
 * to us must not be answered). Listed explicitly, or FIREBREAK_PUBLIC_URL's host plus the local
 * names; without either, the local names when listening on loopback only (the local default),
 * and any name when serving a network with no public URL to go by.
 */
function allowedHostsOf(listed: string | undefined, publicUrl: string | undefined, host: string): string[] | null {
  if (listed === '*') return null;
  if (listed) {
    return listed
      .split(',')
      .map((h) => h.trim())
      .filter(Boolean)
      .map(hostNameOf);
  }
  if (publicUrl) return [new URL(publicUrl).hostname.toLowerCase(), ...LOCAL_NAMES];
  return ['127.0.0.1', 'localhost', '::1'].includes(host) ? LOCAL_NAMES : null;
}

/**
 * imap[s]://user:password@host[:port][/mailbox]: user and password percent-encoded (an address
 * as user name is `support%40example.com`), the mailbox INBOX unless named.
 */
function readImapUrl(
  value: string,
  problems: string[],
): Pick<ImapPollConfig, 'host' | 'port' | 'secure' | 'user' | 'password' | 'mailbox'> | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    problems.push('FIREBREAK_IMAP_URL: is not a URL, e.g. imaps://support%40example.com:password@mail.example.com/INBOX');
    return null;
  }
  const secure = url.protocol === 'imaps:';
  const decode = (part: string, what: string) => {
    try {
      return decodeURIComponent(part);
    } catch {
      problems.push(`FIREBREAK_IMAP_URL: the ${what} is not percent-encoded correctly`);
      return '';
    }
  };
  const user = decode(url.username, 'user name');
  const password = decode(url.password, 'password');
  if (!url.hostname) problems.push('FIREBREAK_IMAP_URL: names no host');
  if (!user || !password) problems.push('FIREBREAK_IMAP_URL: needs the mailbox user and password, imaps://user:password@host');
  const mailbox = decode(url.pathname.replace(/^\//, ''), 'mailbox') || 'INBOX';
  // URL keeps the brackets of an IPv6 literal; the socket wants the address alone.
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return { host, port: url.port ? Number(url.port) : secure ? 993 : 143, secure, user, password, mailbox };
}
