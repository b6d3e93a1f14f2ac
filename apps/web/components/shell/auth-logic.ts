// Pure parts of sign-in and sign-up: where to go afterwards, what to check before sending, and
// what the server's error codes mean to a person.

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;
export const NAME_MAX = 100;

/**
 * The `?next=` target when it is a path on this site; otherwise "/". Rejects absolute URLs,
 * protocol-relative ("//evil.example"), backslash tricks ("/\\evil.example"), and the auth pages
 * themselves (no loop back to sign-in).
 */
export function safeNextPath(next: string | null | undefined, origin = 'http://dueflow.invalid'): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.includes('\\')) return '/';
  // Control characters (tab, newline) are stripped by URL parsers and can smuggle a host in.
  if (/[\u0000-\u001f\u007f]/.test(next)) return '/';
  let url: URL;
  try {
    url = new URL(next, origin);
  } catch {
    return '/';
  }
  if (url.origin !== new URL(origin).origin) return '/';
  if (url.pathname === '/sign-in' || url.pathname === '/sign-up') return '/';
  return url.pathname + url.search + url.hash;
}

export interface Credentials {
  name?: string;
  email: string;
  password: string;
}

export type FieldErrors = Partial<Record<'name' | 'email' | 'password', string>>;

const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

export function validateCredentials(input: Credentials, mode: 'sign-in' | 'sign-up'): FieldErrors {
  const errors: FieldErrors = {};
  if (mode === 'sign-up') {
    const name = (input.name ?? '').trim();
    if (!name) errors.name = 'Enter your name.';
    else if (name.length > NAME_MAX) errors.name = `Use at most ${NAME_MAX} characters.`;
  }
  const email = input.email.trim();
  if (!email) errors.email = 'Enter your email address.';
  else if (!EMAIL.test(email)) errors.email = 'Enter a valid email address, like name@example.com.';
  if (!input.password) errors.password = 'Enter your password.';
  else if (mode === 'sign-up' && input.password.length < PASSWORD_MIN) errors.password = `Use at least ${PASSWORD_MIN} characters.`;
  else if (input.password.length > PASSWORD_MAX) errors.password = `Use at most ${PASSWORD_MAX} characters.`;
  return errors;
}

/** A server refusal in words; `field` says which input it is about, when it is about one. */
export function authErrorMessage(status: number, code: string, mode: 'sign-in' | 'sign-up'): { message: string; field?: keyof FieldErrors } {
  if (status === 429 || code === 'RATE_LIMITED') return { message: 'Too many attempts. Wait a minute, then try again.' };
  if (status === 0 || code === 'NETWORK') return { message: 'Dueflow cannot be reached. Check your connection and try again.' };
  if (code.startsWith('USER_ALREADY_EXISTS')) return { message: 'An account with this email already exists. Sign in instead.', field: 'email' };
  if (code === 'INVALID_EMAIL_OR_PASSWORD' || (mode === 'sign-in' && status === 401)) return { message: 'Wrong email or password.' };
  if (code === 'INVALID_EMAIL' || code === 'INVALID_EMAIL_FORMAT') return { message: 'Enter a valid email address.', field: 'email' };
  if (code === 'PASSWORD_TOO_SHORT') return { message: `Use at least ${PASSWORD_MIN} characters.`, field: 'password' };
  if (code === 'PASSWORD_TOO_LONG') return { message: `Use at most ${PASSWORD_MAX} characters.`, field: 'password' };
  if (status >= 500) return { message: 'Dueflow had a problem. Try again in a moment.' };
  return { message: mode === 'sign-in' ? 'Could not sign you in. Try again.' : 'Could not create your account. Try again.' };
}

/** The browser's IANA time zone, or UTC when it reports none or one this engine cannot use. */
export function detectTimeZone(): string {
  try {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!zone) return 'UTC';
    new Intl.DateTimeFormat('en', { timeZone: zone }); // throws on an unknown zone
    return zone;
  } catch {
    return 'UTC';
  }
}
