// Name and password rules for every way a name or password reaches the auth library (sign-up,
// update-user, change/reset/set password), the same limits as PATCH /api/v1/me.
import { validationError } from '@dueflow/core';

export const NAME_MAX = 100;
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

/**
 * Passwords at least 8 characters long that top the published lists of leaked passwords, lower-cased.
 * A short list on purpose: it stops the first guesses of an online attack; rate limiting does the rest.
 */
const COMMON = new Set(
  `password password1 password12 password123 password1234 passw0rd p@ssw0rd p@ssword pa55word pass1234 passpass
  12345678 123456789 1234567890 12345678910 0123456789 87654321 987654321 9876543210 11111111 111111111 1111111111
  00000000 000000000 22222222 55555555 66666666 88888888 99999999 12341234 12121212 11223344 123123123 147258369
  123456789a 123456789q 1q2w3e4r 1q2w3e4r5t 1q2w3e4r5t6y 1qaz2wsx 1qaz2wsx3edc qwertyuiop qwerty123 qwerty12 qwerty1234
  qwertyui qwerasdf asdfghjkl asdfasdf asdf1234 zxcvbnm1 zxcvbnm123 zaq12wsx zaq1zaq1 q1w2e3r4 q1w2e3r4t5 a1b2c3d4
  abcd1234 abc12345 abc123456 abcdefgh abcdefg1 aa123456 iloveyou iloveyou1 iloveyou2 princess princess1 sunshine
  sunshine1 football football1 baseball baseball1 basketball welcome1 welcome123 letmein1 letmein123 trustno1 superman
  superman1 starwars starwars1 whatever whatever1 computer computer1 internet michelle jennifer jordan23 liverpool
  chelsea1 arsenal1 charlie1 master123 mustang1 mercedes corvette tinkerbell butterfly cookie123 chocolate pokemon1
  metallica rockyou1 babygirl1 lovelove loveyou1 qwe123qwe admin123 administrator adminadmin root1234 changeme changeme1
  default1 test1234 testtest secret123 letmeinnow dragon123 monkey123 shadow123 killer123 hello123 hellohello freedom1
  fuckyou1 passwort hunter22 michael1 jessica1 ashley123 daniel123 samsung1 samsung123 nicole123 lovely123 angel123
  blink182 myspace1 summer2020 summer2021 summer2022 summer2023 summer2024 summer2025 winter2023 winter2024 spring2024
  autumn2024 january1 december1 iloveu123 google123 facebook1 linkedin1 dueflow1 dueflow123 correcthorse`.split(/\s+/).filter(Boolean),
);

function isSequence(s: string): boolean {
  if (s.length < 4) return false;
  const step = s.charCodeAt(1) - s.charCodeAt(0);
  if (Math.abs(step) !== 1) return false;
  for (let i = 2; i < s.length; i++) if (s.charCodeAt(i) - s.charCodeAt(i - 1) !== step) return false;
  return true;
}

/** A reason the password is refused, or null. `context` holds the user's email and name (not to be reused). */
export function passwordProblem(password: string, context: { email?: string | undefined; name?: string | undefined } = {}): string | null {
  if (password.length < PASSWORD_MIN) return `password must be at least ${PASSWORD_MIN} characters`;
  if (password.length > PASSWORD_MAX) return `password must be at most ${PASSWORD_MAX} characters`;
  const lower = password.toLowerCase();
  if (COMMON.has(lower)) return 'this password is one of the most common; choose another';
  if (new Set(lower).size === 1) return 'password must not be one character repeated';
  if (isSequence(lower)) return 'password must not be a simple sequence';
  // Two or three characters over and over (abababab, abcabcabc) is as weak as one.
  if (/^(.{1,3})\1+$/.test(lower)) return 'password must not be a short pattern repeated';
  const local = context.email?.split('@')[0]?.toLowerCase();
  if ((local && local.length >= 4 && lower === local) || (context.email && lower === context.email.toLowerCase())) return 'password must not be your email address';
  if (context.name && lower === context.name.trim().toLowerCase()) return 'password must not be your name';
  return null;
}

export function assertPassword(password: unknown, context: { email?: string | undefined; name?: string | undefined } = {}): void {
  if (typeof password !== 'string') throw validationError('WEAK_PASSWORD', 'password must be a string');
  const problem = passwordProblem(password, context);
  if (problem) throw validationError('WEAK_PASSWORD', problem);
}

/** The display name rules of PATCH /api/v1/me: 1–100 characters after trimming, no control characters. */
export function assertName(name: unknown): void {
  if (typeof name !== 'string') throw validationError('INVALID_NAME', 'name must be a string');
  const t = name.trim();
  if (t.length < 1 || t.length > NAME_MAX) throw validationError('INVALID_NAME', `name must be 1 to ${NAME_MAX} characters`, { max: NAME_MAX });
   
  if (/[\u0000-\u001f\u007f]/.test(t)) throw validationError('INVALID_NAME', 'name must not contain control characters');
}
