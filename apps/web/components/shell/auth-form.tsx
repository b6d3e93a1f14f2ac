'use client';
// Sign-in and sign-up forms: checked in the browser first, server refusals in words, then on to
// the page the user came for (same-origin paths only).
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { api, ApiError } from '../../lib/api';
import { markSignedIn } from '../../lib/views';
import { authErrorMessage, detectTimeZone, type FieldErrors, PASSWORD_MIN, safeNextPath, validateCredentials } from './auth-logic';
import styles from './auth.module.css';

type Mode = 'sign-in' | 'sign-up';

export function AuthForm({ mode }: { mode: Mode }) {
  const router = useRouter();
  const id = useId();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const [next, setNext] = useState('/');
  const refs = { name: useRef<HTMLInputElement>(null), email: useRef<HTMLInputElement>(null), password: useRef<HTMLInputElement>(null) };

  useEffect(() => {
    const target = safeNextPath(new URLSearchParams(location.search).get('next'), location.origin);
    setNext(target);
    // Already signed in: nothing to do here. Better Auth answers 200 with null when there is no
    // session (GET /api/v1/me would log a 401 in the console on every visit).
    fetch('/api/auth/get-session', { credentials: 'same-origin', headers: { accept: 'application/json' } })
      .then((res) => (res.ok ? (res.json() as Promise<{ session?: unknown } | null>) : null))
      .then((body) => {
        if (body?.session) router.replace(target);
      })
      .catch(() => undefined);
  }, [router]);

  // After the first submit, errors follow the user's edits.
  useEffect(() => {
    if (submitted) setFieldErrors(validateCredentials({ name, email, password }, mode));
  }, [submitted, name, email, password, mode]);

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setSubmitted(true);
    setFormError(null);
    const errors = validateCredentials({ name, email, password }, mode);
    setFieldErrors(errors);
    const firstInvalid = (['name', 'email', 'password'] as const).find((f) => errors[f]);
    if (firstInvalid) {
      refs[firstInvalid].current?.focus();
      return;
    }
    setBusy(true);
    send()
      .then(() => {
        markSignedIn();
        router.replace(next);
      })
      .catch((err: unknown) => {
        const { message, field } = err instanceof ApiError ? authErrorMessage(err.status, err.code, mode) : authErrorMessage(0, 'NETWORK', mode);
        setFormError(message);
        setAttempt((n) => n + 1); // a repeated message is announced again
        if (field) refs[field].current?.focus();
        setBusy(false);
      });
  };

  const send = async (): Promise<void> => {
    const credentials = { email: email.trim(), password };
    if (mode === 'sign-in') {
      await api.signIn(credentials);
      return;
    }
    const input = { ...credentials, name: name.trim(), timezone: detectTimeZone() };
    try {
      await api.signUp(input);
    } catch (err) {
      // A zone this browser knows but the server does not: start in UTC, changeable in Account.
      if (err instanceof ApiError && err.code === 'INVALID_TIMEZONE') await api.signUp({ ...input, timezone: 'UTC' });
      else throw err;
    }
  };

  const field = (key: keyof FieldErrors, label: string, input: { type: string; autoComplete: string; value: string; set: (v: string) => void; hint?: string }) => {
    const inputId = `${id}-${key}`;
    const error = fieldErrors[key];
    const describedBy = [input.hint ? `${inputId}-hint` : '', error ? `${inputId}-error` : ''].filter(Boolean).join(' ');
    return (
      <div className="field">
        <label htmlFor={inputId}>{label}</label>
        <input
          ref={refs[key]}
          id={inputId}
          name={key}
          className="input"
          type={input.type}
          autoComplete={input.autoComplete}
          value={input.value}
          onChange={(e) => input.set(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy || undefined}
          {...(input.type === 'email' ? { inputMode: 'email' as const, spellCheck: false, autoCapitalize: 'none' } : {})}
        />
        {input.hint ? (
          <span id={`${inputId}-hint`} className={styles.hint}>
            {input.hint}
          </span>
        ) : null}
        {error ? (
          <span id={`${inputId}-error`} className="field-error">
            {error}
          </span>
        ) : null}
      </div>
    );
  };

  const isSignUp = mode === 'sign-up';
  const otherHref = next === '/' ? (isSignUp ? '/sign-in' : '/sign-up') : `${isSignUp ? '/sign-in' : '/sign-up'}?next=${encodeURIComponent(next)}`;

  return (
    <main className={styles.page}>
      <div className={styles.card}>
        <p className={styles.brand}>
          <svg width="28" height="28" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
            <rect width="32" height="32" rx="8" fill="currentColor" />
            <path d="M9 16.5l4.5 4.5L23 11.5" fill="none" stroke="var(--bg-raised)" strokeWidth="3.2" strokeLinecap="round" strokeLinejoin="round" />
          </svg>
          <span>Dueflow</span>
        </p>
        <h1 className={styles.title}>{isSignUp ? 'Create your account' : 'Sign in to Dueflow'}</h1>
        <form noValidate onSubmit={submit} aria-busy={busy}>
          {formError ? (
            <p key={attempt} className={styles.alert} role="alert">
              {formError}
            </p>
          ) : null}
          {isSignUp ? field('name', 'Name', { type: 'text', autoComplete: 'name', value: name, set: setName }) : null}
          {field('email', 'Email', { type: 'email', autoComplete: 'email', value: email, set: setEmail })}
          {field('password', 'Password', {
            type: 'password',
            autoComplete: isSignUp ? 'new-password' : 'current-password',
            value: password,
            set: setPassword,
            ...(isSignUp ? { hint: `At least ${PASSWORD_MIN} characters.` } : {}),
          })}
          <button type="submit" className={`button primary ${styles.submit}`} disabled={busy}>
            {busy ? (isSignUp ? 'Creating account…' : 'Signing in…') : isSignUp ? 'Create account' : 'Sign in'}
          </button>
        </form>
        <p className={styles.switch}>
          {isSignUp ? 'Already have an account? ' : 'New to Dueflow? '}
          <Link href={otherHref}>{isSignUp ? 'Sign in' : 'Create an account'}</Link>
        </p>
      </div>
    </main>
  );
}
