'use client';
// The "Account" popover: who is signed in, time zone, theme, access tokens, sign out.
import { useRouter } from 'next/navigation';
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { api } from '../../lib/api';
import { parseClockChoice } from '../../lib/format';
import { forgetOfflineData } from '../../lib/push';
import { readTheme, setTheme, THEME_CHOICES, parseTheme, type ThemeChoice } from '../../lib/theme';
import { useApp } from '../app-context';
import { useToast } from '../toast';
import styles from './shell.module.css';
import { TokensDialog } from './tokens-dialog';

export function AccountMenu() {
  const { me, setMe, clock, setClock } = useApp();
  const router = useRouter();
  const toast = useToast();
  const [open, setOpen] = useState(false);
  const [theme, setThemeState] = useState<ThemeChoice>('system');
  const [savingZone, setSavingZone] = useState(false);
  const [signingOut, setSigningOut] = useState(false);
  const [tokensOpen, setTokensOpen] = useState(false);
  const panelId = useId();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);

  useEffect(() => setThemeState(readTheme()), []);

  const zones = useMemo(() => timeZones(me.timezone), [me.timezone]);

  // Escape or a click/focus outside closes it; Escape returns focus to the button.
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      e.preventDefault();
      setOpen(false);
      buttonRef.current?.focus();
    };
    const onOutside = (e: Event) => {
      const target = e.target as Node | null;
      if (target && !panelRef.current?.contains(target) && !buttonRef.current?.contains(target)) setOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onOutside);
    document.addEventListener('focusin', onOutside);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onOutside);
      document.removeEventListener('focusin', onOutside);
    };
  }, [open]);

  useEffect(() => {
    if (open) panelRef.current?.querySelector<HTMLElement>('select, button')?.focus();
  }, [open]);

  const saveTimeZone = (timezone: string) => {
    const previous = me;
    setMe({ ...me, timezone }); // at once; put back if the server refuses
    setSavingZone(true);
    api
      .updateMe({ timezone })
      .then((updated) => {
        setMe(updated);
        toast.show(`Time zone set to ${zoneLabel(updated.timezone)}`, { tone: 'success' });
      })
      .catch((err: unknown) => {
        setMe(previous);
        toast.show(`Could not change the time zone. ${err instanceof Error ? err.message : ''}`.trim(), { tone: 'error' });
      })
      .finally(() => setSavingZone(false));
  };

  const signOut = () => {
    setSigningOut(true);
    void forgetOfflineData();
    // This browser's push endpoint leaves with the account, so reminders do not follow the next person.
    forgetPushSubscription()
      .then(() => api.signOut())
      .catch(() => undefined) // the session may already be gone; either way, to the sign-in page
      .finally(() => router.replace('/sign-in'));
  };

  const initial = (me.name || me.email).trim().charAt(0).toUpperCase() || '?';

  return (
    <div className={styles.account}>
      <button
        ref={buttonRef}
        type="button"
        className={`button ${styles.accountButton}`}
        aria-label="Account"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((o) => !o)}
      >
        <span className={styles.avatar} aria-hidden="true">
          {initial}
        </span>
      </button>
      <div ref={panelRef} id={panelId} className={styles.accountPanel} role="group" aria-label="Account" hidden={!open}>
        <div className={styles.who}>
          <p className={styles.whoName}>{me.name}</p>
          <p className={styles.whoEmail}>{me.email}</p>
        </div>
        <div className="field">
          <label htmlFor={`${panelId}-tz`}>Time zone</label>
          <select id={`${panelId}-tz`} className="select" value={me.timezone} disabled={savingZone} aria-describedby={`${panelId}-tz-hint`} onChange={(e) => saveTimeZone(e.target.value)}>
            {zones.map((z) => (
              <option key={z} value={z}>
                {zoneLabel(z)}
              </option>
            ))}
          </select>
          <span id={`${panelId}-tz-hint`} className={styles.hint}>
            Due dates, reminders and repeats follow this zone.
          </span>
        </div>
        <div className="field">
          <label htmlFor={`${panelId}-theme`}>Theme</label>
          <select
            id={`${panelId}-theme`}
            className="select"
            value={theme}
            onChange={(e) => {
              const choice = parseTheme(e.target.value);
              setThemeState(choice);
              setTheme(choice);
            }}
          >
            {THEME_CHOICES.map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${panelId}-clock`}>Time format</label>
          <select id={`${panelId}-clock`} className="select" value={clock} onChange={(e) => setClock(parseClockChoice(e.target.value))}>
            <option value="auto">As this device writes it</option>
            <option value="24">24-hour (17:00)</option>
            <option value="12">12-hour (5:00 pm)</option>
          </select>
        </div>
        <button
          type="button"
          className={`button ${styles.tokensButton}`}
          onClick={() => {
            setOpen(false);
            setTokensOpen(true);
          }}
        >
          Access tokens…
        </button>
        <button type="button" className={`button ${styles.signOut}`} disabled={signingOut} onClick={signOut}>
          {signingOut ? 'Signing out…' : 'Sign out'}
        </button>
      </div>
      <TokensDialog open={tokensOpen} onClose={() => setTokensOpen(false)} />
    </div>
  );
}

/** Removes this browser's Web Push subscription (server and browser); never fails. */
async function forgetPushSubscription(): Promise<void> {
  try {
    const registration = await navigator.serviceWorker?.getRegistration();
    const subscription = await registration?.pushManager?.getSubscription();
    if (!subscription) return;
    await api.unsubscribePush(subscription.endpoint).catch(() => undefined);
    await subscription.unsubscribe();
  } catch {
    /* no service worker or push here */
  }
}

/** Every IANA zone the browser knows, always including the user's current one. */
function timeZones(current: string): string[] {
  let all: string[] = [];
  try {
    all = Intl.supportedValuesOf('timeZone');
  } catch {
    all = [];
  }
  if (!all.includes('UTC')) all = ['UTC', ...all];
  return all.includes(current) ? all : [current, ...all];
}

function zoneLabel(zone: string): string {
  return zone.replace(/_/g, ' ');
}
