import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Navigate, NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { isAdmin, isStaff } from '../../../core/permissions';
import { rememberSignedIn, setUnauthenticatedHandler, signInUrl } from '../api/client';
import * as meApi from '../api/endpoints/me';
import { useMe } from '../api/hooks';
import { keys } from '../api/keys';
import { useApiMutation } from '../api/mutation';
import type { MeT } from '../api/types';
import { LiveProvider, useLiveState } from '../live/LiveProvider';
import { Button, Loading } from '../ui/kit';
import { useShortcuts } from '../ui/useShortcuts';
import { NotificationBell } from './NotificationBell';
import { ShortcutHelp } from './ShortcutHelp';
import { currentTheme, setTheme } from './theme';

/** The frame of every signed-in page: top bar, navigation for the person's role, live status. */
export function Shell() {
  const me = useMe();
  const navigate = useNavigate();
  const location = useLocation();
  const client = useQueryClient();

  useEffect(() => {
    // An expired session anywhere: sign in again, then come back here.
    setUnauthenticatedHandler(() => {
      client.setQueryData(keys.me, null);
      navigate(signInUrl(), { replace: true });
    });
  }, [client, navigate]);

  if (me.isPending) return <Loading what="Firebreak" />;
  if (!me.data) return <Navigate to={signInUrl(location.pathname + location.search)} replace />;
  const user = me.data;
  rememberSignedIn(true);
  // Signed in with a temporary password from an admin: a new one first (the API refuses the rest).
  if (user.mustChangePassword) {
    return <Navigate to={`/choose-password?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  }
  const staff = isStaff(user);
  if (!staff && ['/desk', '/admin', '/on-call', '/monitoring'].some((p) => location.pathname.startsWith(p)))
    return <Navigate to="/portal" replace />;

  return (
    <LiveProvider
      onSignedOut={() => {
        client.setQueryData(keys.me, null);
        navigate(signInUrl(), { replace: true });
      }}
    >
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <a className="brand" href="/">
          <img src="/favicon.svg" alt="" />
          Firebreak
        </a>
        {/* A requester's four links wrap onto a second line on a phone rather than scroll out of sight; staff's many scroll. */}
        <nav className={staff ? 'nav' : 'nav nav-wraps'} aria-label="Main">
          {staff && <NavLink to="/desk">Desk</NavLink>}
          <NavLink to="/portal" end>
            {staff ? 'Portal' : 'My tickets'}
          </NavLink>
          <NavLink to="/portal/report">Report a problem</NavLink>
          <NavLink to="/portal/request">Request something</NavLink>
          {!staff && <NavLink to="/portal/articles">Help articles</NavLink>}
          {staff && <NavLink to="/on-call">On-call</NavLink>}
          {staff && <NavLink to="/monitoring">Monitoring</NavLink>}
          {staff && <NavLink to="/desk/maintenance">Maintenance</NavLink>}
          {staff && <NavLink to="/desk/knowledge">Knowledge base</NavLink>}
          {isAdmin(user) && <NavLink to="/admin">Admin</NavLink>}
        </nav>
        {staff && <TopSearch />}
        <div className="topbar-right">
          <LiveIndicator />
          <NotificationBell />
          {staff && <ShortcutHelp />}
          <ThemeToggle />
          <UserMenu user={user} />
        </div>
      </header>
      <ConnectionBanner />
      <main
        id="main"
        className={`main ${location.pathname.startsWith('/desk/queue') || location.pathname === '/desk/search' ? 'wide' : ''}`}
      >
        <Outlet />
      </main>
    </LiveProvider>
  );
}

/**
 * The desk's one search, on every staff page: `/` focuses it; Enter shows matches from every
 * queue (number or part of it, words, requester's name or e-mail).
 */
function TopSearch() {
  const navigate = useNavigate();
  const [text, setText] = useState('');
  const input = useRef<HTMLInputElement>(null);
  useShortcuts((e) => {
    if (e.key === '/') {
      e.preventDefault();
      input.current?.focus();
    }
  });
  return (
    <search className="top-search">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const q = text.trim();
          navigate(q ? `/desk/search?q=${encodeURIComponent(q)}` : '/desk/search');
          setText('');
          input.current?.blur();
        }}
      >
        <input
          ref={input}
          type="search"
          aria-label="Search all tickets"
          placeholder="Search all tickets  ( / )"
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
      </form>
    </search>
  );
}

function LiveIndicator() {
  const state = useLiveState();
  const text = state === 'live' ? 'Live' : state === 'connecting' ? 'Connecting…' : 'Reconnecting…';
  return (
    <span className={`live-dot ${state}`} title="Changes by others appear without reloading while this says Live">
      {text}
    </span>
  );
}

/** Shown while the live stream is broken: the page may be out of date, and what you type is kept. */
function ConnectionBanner() {
  const state = useLiveState();
  if (state !== 'reconnecting') return null;
  return (
    <div className="banner banner-warning connection-banner" role="status">
      <div>
        <strong className="banner-title">Reconnecting to Firebreak…</strong>
        <p>Changes by others will appear once the connection is back. Nothing you typed is lost.</p>
      </div>
    </div>
  );
}

function ThemeToggle() {
  const [theme, setLocal] = useState(currentTheme());
  const next = theme === 'dark' ? 'light' : 'dark';
  return (
    <Button
      tone="ghost"
      aria-label={`Switch to ${next} theme`}
      onClick={() => {
        setTheme(next);
        setLocal(next);
      }}
    >
      {theme === 'dark' ? '☀' : '☾'}
    </Button>
  );
}

function UserMenu({ user }: { user: MeT }) {
  const client = useQueryClient();
  const navigate = useNavigate();
  const signOut = useApiMutation({ mutationFn: meApi.signOut });
  return (
    <div className="row user-menu">
      <NavLink to="/settings" className="btn btn-ghost" title="Your settings">
        <span className="wide-only">{user.name}</span>
        <span className="narrow-only">Settings</span>
      </NavLink>
      <Button
        tone="ghost"
        onClick={async () => {
          const ended = await signOut.run(); // a session already gone is signed out too
          rememberSignedIn(false);
          client.clear();
          // A single sign-on session ends at the identity provider too, which sends the browser back to the sign-in page.
          if (ended?.providerSignOutUrl) window.location.assign(ended.providerSignOutUrl);
          else navigate('/sign-in', { replace: true });
        }}
      >
        Sign out
      </Button>
    </div>
  );
}
