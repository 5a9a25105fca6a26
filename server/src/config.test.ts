import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from './config.js';
import { emailIntakeSettings } from './main.js';

describe('e-mail settings', () => {
  it('leaves the SMTP listener off unless a port is set', () => {
    expect(readConfig({}).emailIntake.listen).toBeNull();
    expect(readConfig({}).mail.supportAddress).toBeUndefined();
  });

  it('reads the listener, defaulting its recipients to the support address', () => {
    const config = readConfig({
      FIREBREAK_SUPPORT_ADDRESS: 'support@example.com',
      FIREBREAK_SMTP_LISTEN_PORT: '2525',
      FIREBREAK_MAIL_FROM: 'IT Desk <desk@example.com>',
    });
    expect(config.emailIntake.listen).toEqual({
      port: 2525,
      host: '127.0.0.1',
      recipients: ['support@example.com'],
      auth: null,
      maxBytes: 10 * 1024 * 1024,
      maxRecipients: 50,
      tls: null,
    });
    expect(config.mail.messageIdDomain).toBe('example.com');
    expect(emailIntakeSettings(config)).toEqual({
      messageIdDomain: 'example.com',
      ownAddresses: ['support@example.com', 'desk@example.com'],
      attachments: { maxBytes: 10 * 1024 * 1024, maxCount: 20 },
      trustedAuthservIds: [],
    });
  });

  it('reads the trusted authserv-ids of Authentication-Results, lower case, and refuses a malformed list', () => {
    const config = readConfig({ FIREBREAK_MAIL_TRUSTED_AUTHSERV_IDS: 'MX.example.com, mx2.example.com,' });
    expect(emailIntakeSettings(config).trustedAuthservIds).toEqual(['mx.example.com', 'mx2.example.com']);
    expect(() => readConfig({ FIREBREAK_MAIL_TRUSTED_AUTHSERV_IDS: 'mx.example.com; dmarc=pass' })).toThrow(
      /FIREBREAK_MAIL_TRUSTED_AUTHSERV_IDS/,
    );
  });

  it('takes addresses and domains, AUTH and TLS in pairs', () => {
    const config = readConfig({
      FIREBREAK_SMTP_LISTEN_PORT: '0',
      FIREBREAK_SMTP_LISTEN_RECIPIENTS: 'help@example.com, desk.example.org,@example.net',
      FIREBREAK_SMTP_LISTEN_USERNAME: 'relay',
      FIREBREAK_SMTP_LISTEN_PASSWORD: 'a long relay password',
      FIREBREAK_SMTP_LISTEN_TLS_CERT: '/etc/ssl/cert.pem',
      FIREBREAK_SMTP_LISTEN_TLS_KEY: '/etc/ssl/key.pem',
    });
    expect(config.emailIntake.listen).toMatchObject({
      recipients: ['help@example.com', 'desk.example.org', '@example.net'],
      auth: { username: 'relay', password: 'a long relay password' },
      tls: { certPath: '/etc/ssl/cert.pem', keyPath: '/etc/ssl/key.pem' },
    });
  });

  it('leaves IMAP polling off unless a URL is set, and reads one with an address as user name', () => {
    expect(readConfig({}).emailIntake.imap).toBeNull();
    const config = readConfig({
      FIREBREAK_IMAP_URL: 'imaps://Support%40example.com:p%40ss%3Aword@mail.example.com/Help%20Desk',
      FIREBREAK_IMAP_POLL_SECONDS: '30',
      FIREBREAK_IMAP_MOVE_TO: 'Firebreak/Processed',
      FIREBREAK_SMTP_LISTEN_MAX_BYTES: '2048',
    });
    expect(config.emailIntake.imap).toEqual({
      host: 'mail.example.com',
      port: 993,
      secure: true,
      user: 'Support@example.com',
      password: 'p@ss:word',
      mailbox: 'Help Desk',
      pollIntervalMs: 30_000,
      markSeen: true,
      moveTo: 'Firebreak/Processed',
      maxBytes: 2048,
    });
    // Mail from the polled mailbox's own address is a loop.
    expect(emailIntakeSettings(config).ownAddresses).toContain('support@example.com');
    expect(readConfig({ FIREBREAK_IMAP_URL: 'imap://desk:secret@[::1]:1143' }).emailIntake.imap).toMatchObject({
      host: '::1',
      port: 1143,
      secure: false,
      mailbox: 'INBOX',
      pollIntervalMs: 60_000,
    });
  });

  it.each([
    [{ FIREBREAK_IMAP_URL: 'pop3://u:p@mail.example.com' }, /FIREBREAK_IMAP_URL: must be an imap:\/\/ or imaps:\/\/ URL/],
    [{ FIREBREAK_IMAP_URL: 'imaps://mail.example.com' }, /FIREBREAK_IMAP_URL: needs the mailbox user and password/],
    [{ FIREBREAK_IMAP_URL: 'imaps://u:%E0%A4%A@mail.example.com' }, /FIREBREAK_IMAP_URL: the password is not percent-encoded correctly/],
    [{ FIREBREAK_IMAP_URL: 'imaps://u:p@mail.example.com', FIREBREAK_IMAP_MARK_SEEN: 'false' }, /set FIREBREAK_IMAP_MOVE_TO too/],
    [{ FIREBREAK_IMAP_POLL_SECONDS: '0' }, /FIREBREAK_IMAP_POLL_SECONDS/],
    [{ FIREBREAK_SMTP_LISTEN_PORT: '2525' }, /FIREBREAK_SMTP_LISTEN_RECIPIENTS: the SMTP listener needs/],
    [{ FIREBREAK_SMTP_LISTEN_PORT: '2525', FIREBREAK_SMTP_LISTEN_RECIPIENTS: 'not an address' }, /neither an address/],
    [{ FIREBREAK_SMTP_LISTEN_USERNAME: 'relay' }, /set both \(to require AUTH\)/],
    [{ FIREBREAK_SMTP_LISTEN_TLS_KEY: '/k.pem' }, /set both \(to offer STARTTLS\)/],
    [{ FIREBREAK_SMTP_LISTEN_PORT: 'smtp' }, /FIREBREAK_SMTP_LISTEN_PORT/],
    [{ FIREBREAK_SUPPORT_ADDRESS: 'support' }, /FIREBREAK_SUPPORT_ADDRESS/],
  ])('refuses %j, naming the setting', (env, message) => {
    expect(() => readConfig(env)).toThrow(ConfigError);
    expect(() => readConfig(env)).toThrow(message);
  });
});

describe('private targets of checks and webhooks', () => {
  it('allows none by default, and reads addresses and CIDR ranges', () => {
    expect(readConfig({}).allowPrivateTargets).toEqual([]);
    expect(readConfig({ FIREBREAK_ALLOW_PRIVATE_TARGETS: '10.0.0.0/8, 127.0.0.2,fd00::/8' }).allowPrivateTargets).toEqual([
      '10.0.0.0/8',
      '127.0.0.2',
      'fd00::/8',
    ]);
  });

  it('refuses an entry that is neither, naming the setting and the entry', () => {
    expect(() => readConfig({ FIREBREAK_ALLOW_PRIVATE_TARGETS: '10.0.0.0/8,intranet' })).toThrow(
      /FIREBREAK_ALLOW_PRIVATE_TARGETS: "intranet" is neither an address/,
    );
  });
});

describe('edge settings (issue 11, finding 16)', () => {
  it('makes cookies Secure whenever the public URL is https, unless told otherwise', () => {
    expect(readConfig({}).secureCookies).toBe(false);
    expect(readConfig({ FIREBREAK_PUBLIC_URL: 'http://help.example.com' }).secureCookies).toBe(false);
    expect(readConfig({ FIREBREAK_PUBLIC_URL: 'https://help.example.com' }).secureCookies).toBe(true);
    expect(readConfig({ FIREBREAK_SECURE_COOKIES: 'true' }).secureCookies).toBe(true);
    expect(readConfig({ FIREBREAK_PUBLIC_URL: 'https://help.example.com', FIREBREAK_SECURE_COOKIES: 'false' }).secureCookies).toBe(false);
  });

  it('answers the public URL’s host and the local names by default, or the listed hosts', () => {
    expect(readConfig({}).allowedHosts).toEqual(['localhost', '127.0.0.1', '[::1]']);
    expect(readConfig({ FIREBREAK_PUBLIC_URL: 'https://Help.Example.com:8443/' }).allowedHosts).toEqual([
      'help.example.com',
      'localhost',
      '127.0.0.1',
      '[::1]',
    ]);
    expect(readConfig({ FIREBREAK_ALLOWED_HOSTS: 'help.example.com, HELP2.example.com:443 ,::1' }).allowedHosts).toEqual([
      'help.example.com',
      'help2.example.com',
      '[::1]',
    ]);
    expect(readConfig({ FIREBREAK_ALLOWED_HOSTS: '*' }).allowedHosts).toBeNull();
    // Serving a network with neither setting: no name to go by, so any is answered.
    expect(readConfig({ HOST: '0.0.0.0' }).allowedHosts).toBeNull();
  });
});

describe('trusted proxies', () => {
  it('reads a hop count or the proxies addresses and ranges, and trusts no proxy by default', () => {
    expect(readConfig({}).trustProxy).toBe(false);
    expect(readConfig({ FIREBREAK_TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(readConfig({ FIREBREAK_TRUST_PROXY: '10.0.0.0/8, 192.168.1.5,::1' }).trustProxy).toEqual(['10.0.0.0/8', '192.168.1.5', '::1']);
  });

  it.each([
    ['true', /would believe every X-Forwarded-For hop.*e\.g\. 1.*10\.0\.0\.0\/8/],
    ['10.0.0.0/33', /"10.0.0.0\/33" is neither a number of proxies nor an address or range/],
    ['proxy.internal', /"proxy.internal" is neither/],
  ])('refuses FIREBREAK_TRUST_PROXY=%s, saying what to write instead', (value, message) => {
    expect(() => readConfig({ FIREBREAK_TRUST_PROXY: value })).toThrow(message);
  });
});

describe('the test clock (FIREBREAK_TEST_CLOCK)', () => {
  it('is off unless asked for, and on outside production when asked for', () => {
    expect(readConfig({}).testClock).toBe(false);
    expect(readConfig({ FIREBREAK_TEST_CLOCK: 'on' }).testClock).toBe(true);
    expect(readConfig({ FIREBREAK_TEST_CLOCK: 'on', NODE_ENV: 'test' }).testClock).toBe(true);
    expect(readConfig({ FIREBREAK_TEST_CLOCK: 'off', NODE_ENV: 'production' }).testClock).toBe(false);
  });

  it('refuses to start with it in production, and refuses a value that is neither on nor off', () => {
    expect(() => readConfig({ FIREBREAK_TEST_CLOCK: 'on', NODE_ENV: 'production' })).toThrow(
      /FIREBREAK_TEST_CLOCK: "on" lets admins move the server's clock and is for tests only; it is refused with NODE_ENV=production/,
    );
    expect(() => readConfig({ FIREBREAK_TEST_CLOCK: 'yes' })).toThrow(/FIREBREAK_TEST_CLOCK: must be "on" or "off"/);
  });
});

describe('single sign-on (FIREBREAK_OIDC_*) and passwords', () => {
  const sso = { FIREBREAK_OIDC_ISSUER: 'https://login.example.com/realms/staff', FIREBREAK_OIDC_CLIENT_ID: 'firebreak' };

  it('is off without an issuer, and passwords are on for everyone', () => {
    expect(readConfig({}).singleSignOn).toBeNull();
    expect(readConfig({}).localPasswords).toEqual({ enabled: true, breakGlassEmail: null });
  });

  it('reads the provider, the redirect address from the public URL, the domains and the role map', () => {
    const config = readConfig({
      ...sso,
      FIREBREAK_PUBLIC_URL: 'https://help.example.com/',
      FIREBREAK_OIDC_ALLOWED_DOMAINS: 'Example.com, @example.org',
      FIREBREAK_OIDC_ROLE_CLAIM: 'groups',
      FIREBREAK_OIDC_ROLE_MAP: 'desk=agent,firebreak-admins=admin',
      FIREBREAK_OIDC_SCOPES: 'email groups',
    });
    expect(config.singleSignOn).toMatchObject({
      issuer: 'https://login.example.com/realms/staff',
      clientId: 'firebreak',
      clientSecret: null,
      name: 'single sign-on',
      redirectUri: 'https://help.example.com/api/v1/auth/sso/callback',
      signedOutUri: 'https://help.example.com/sign-in',
      scopes: 'openid email groups',
      allowHttp: false,
      allowedDomains: ['example.com', 'example.org'],
      roleClaim: 'groups',
      defaultRole: 'requester',
      autoProvision: false,
    });
    expect([...(config.singleSignOn?.roleMap ?? [])]).toEqual([
      ['desk', 'agent'],
      ['firebreak-admins', 'admin'],
    ]);
  });

  it('names each wrong setting: half a client, plain http to another machine, a bad role map or domain', () => {
    expect(() => readConfig({ FIREBREAK_OIDC_ISSUER: sso.FIREBREAK_OIDC_ISSUER })).toThrow(/FIREBREAK_OIDC_CLIENT_ID: set both/);
    expect(() => readConfig({ ...sso, FIREBREAK_OIDC_ISSUER: 'http://login.example.com' })).toThrow(/must be an https:\/\/ URL/);
    expect(readConfig({ ...sso, FIREBREAK_OIDC_ISSUER: 'http://127.0.0.1:9000' }).singleSignOn?.allowHttp).toBe(true);
    expect(() => readConfig({ ...sso, FIREBREAK_OIDC_ROLE_MAP: 'desk=boss' })).toThrow(
      /FIREBREAK_OIDC_ROLE_MAP: "desk=boss" is not value=role/,
    );
    expect(() => readConfig({ ...sso, FIREBREAK_OIDC_ROLE_CLAIM: 'groups' })).toThrow(
      /FIREBREAK_OIDC_ROLE_MAP: FIREBREAK_OIDC_ROLE_CLAIM is set/,
    );
    expect(() => readConfig({ ...sso, FIREBREAK_OIDC_ALLOWED_DOMAINS: 'example' })).toThrow(/"example" is not a domain/);
    expect(() => readConfig({ ...sso, FIREBREAK_OIDC_DEFAULT_ROLE: 'boss' })).toThrow(/FIREBREAK_OIDC_DEFAULT_ROLE: must be one of/);
  });

  it('turns passwords off only with single sign-on and a break-glass admin to fall back on', () => {
    expect(() => readConfig({ FIREBREAK_LOCAL_PASSWORDS: 'off', FIREBREAK_BREAK_GLASS_EMAIL: 'admin@example.com' })).toThrow(
      /FIREBREAK_LOCAL_PASSWORDS: "off" needs single sign-on/,
    );
    expect(() => readConfig({ ...sso, FIREBREAK_LOCAL_PASSWORDS: 'off' })).toThrow(
      /FIREBREAK_BREAK_GLASS_EMAIL: with FIREBREAK_LOCAL_PASSWORDS=off/,
    );
    expect(
      readConfig({ ...sso, FIREBREAK_LOCAL_PASSWORDS: 'off', FIREBREAK_BREAK_GLASS_EMAIL: 'Admin@Example.com' }).localPasswords,
    ).toEqual({
      enabled: false,
      breakGlassEmail: 'admin@example.com',
    });
  });
});

describe('several server processes (FIREBREAK_WORKERS)', () => {
  const postgres = { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/firebreak' };

  it('runs one process unless told otherwise, and N on PostgreSQL', () => {
    expect(readConfig({}).workers).toBe(1);
    expect(readConfig({ ...postgres, FIREBREAK_WORKERS: '3' }).workers).toBe(3);
  });

  it('refuses more than one process on the embedded database, saying why', () => {
    expect(() => readConfig({ FIREBREAK_WORKERS: '2' })).toThrow(
      /FIREBREAK_WORKERS: 2 server processes need PostgreSQL \(DATABASE_URL\); the embedded database serves one process/,
    );
    expect(readConfig({ FIREBREAK_WORKERS: '1' }).workers).toBe(1);
  });

  it.each(['0', '-1', '2.5', 'two', '', '65'])('refuses %j in words', (value) => {
    expect(() => readConfig({ ...postgres, FIREBREAK_WORKERS: value })).toThrow(
      /FIREBREAK_WORKERS: must be a whole number of server processes from 1 to 64/,
    );
  });
});
