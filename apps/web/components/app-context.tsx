'use client';
// Who is signed in and the page's live connection, for every component of the signed-in app.
import { useRouter } from 'next/navigation';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useRef, useState } from 'react';
import { api, ApiError } from '../lib/api';
import { type ClockChoice, displayPrefsFor, readClockChoice, setDisplayPrefs, writeClockChoice } from '../lib/format';
import { LiveConnection, type LiveEvent, type LiveStatus, liveUrl } from '../lib/live';
import type { Me } from '../lib/types';

interface AppContextValue {
  me: Me;
  setMe(me: Me): void;
  live: LiveConnection;
  /** 12- or 24-hour clock ("auto": the browser's locale decides). */
  clock: ClockChoice;
  setClock(choice: ClockChoice): void;
}

const AppContext = createContext<AppContextValue | null>(null);

export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error('useApp outside <AppProvider>');
  return value;
}

export function useMe(): Me {
  return useApp().me;
}

/** Calls `handler` for every live message (deduplicated) and for `resync` after a reconnect. */
export function useLive(handler: (event: LiveEvent) => void): void {
  const { live } = useApp();
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => live.subscribe((e) => ref.current(e)), [live]);
}

export function useLiveStatus(): LiveStatus {
  const { live } = useApp();
  const [status, setStatus] = useState(live.status);
  useEffect(() => live.onStatus(setStatus), [live]);
  return status;
}

/**
 * Loads the caller's profile; without a session, goes to sign-in. Renders `fallback` until then,
 * or an error screen that says what to do when the API cannot be reached.
 */
export function AppProvider({ children, fallback }: { children: ReactNode; fallback: ReactNode }) {
  const router = useRouter();
  const [me, setMe] = useState<Me | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [live, setLive] = useState<LiveConnection | null>(null);
  const [clock, setClockState] = useState<ClockChoice>('auto');

  // Dates and times in the browser's locale and the user's clock, before the first task shows.
  useEffect(() => {
    const choice = readClockChoice();
    setDisplayPrefs(displayPrefsFor(navigator.language, choice));
    setClockState(choice);
  }, []);
  const setClock = useCallback((choice: ClockChoice) => {
    writeClockChoice(choice);
    setDisplayPrefs(displayPrefsFor(navigator.language, choice));
    setClockState(choice);
  }, []);

  const load = useCallback(() => {
    setError(null);
    api.me().then(setMe, (err: unknown) => {
      if (err instanceof ApiError && err.status === 401) router.replace(`/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`);
      else setError(err instanceof Error ? err.message : 'Something went wrong.');
    });
  }, [router]);

  useEffect(load, [load]);

  useEffect(() => {
    const onSignedOut = () => router.replace('/sign-in');
    window.addEventListener('dueflow:unauthenticated', onSignedOut);
    return () => window.removeEventListener('dueflow:unauthenticated', onSignedOut);
  }, [router]);

  useEffect(() => {
    if (!me) return;
    const connection = new LiveConnection(liveUrl(location));
    connection.start();
    setLive(connection);
    return () => connection.stop();
  }, [me?.id]); // the connection follows the user, not their profile edits

  if (error) {
    return (
      <main className="screen-message" role="alert">
        <h1>Dueflow is not answering</h1>
        <p>{error}</p>
        <button type="button" className="button primary" onClick={load}>
          Try again
        </button>
      </main>
    );
  }
  if (!me || !live) return <>{fallback}</>;
  return <AppContext.Provider value={{ me, setMe, live, clock, setClock }}>{children}</AppContext.Provider>;
}
