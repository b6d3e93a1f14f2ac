import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { authErrorMessage, detectTimeZone, safeNextPath, validateCredentials } from '../components/shell/auth-logic.ts';

describe('?next= after sign-in', () => {
  const origin = 'https://app.dueflow.test';

  test('keeps same-origin paths with their query and hash', () => {
    assert.equal(safeNextPath('/', origin), '/');
    assert.equal(safeNextPath('/?status=pending&tags=work', origin), '/?status=pending&tags=work');
    assert.equal(safeNextPath('/?task=12#details', origin), '/?task=12#details');
    assert.equal(safeNextPath('/a/../b', origin), '/b');
  });

  test('anything that could leave the site goes to "/"', () => {
    for (const next of [
      'https://evil.example/',
      'http://app.dueflow.test/', // other scheme = other origin
      '//evil.example/path',
      '/\\evil.example',
      '\\\\evil.example',
      '/\t/evil.example',
      '/\n/evil.example',
      'javascript:alert(1)',
      'evil.example',
      '',
      null,
      undefined,
    ]) {
      assert.equal(safeNextPath(next, origin), '/', String(next));
    }
  });

  test('never back to the sign-in or sign-up page', () => {
    assert.equal(safeNextPath('/sign-in?next=/', origin), '/');
    assert.equal(safeNextPath('/sign-up', origin), '/');
  });
});

describe('form checks before sending', () => {
  test('sign-up needs a name, a valid email and 8+ characters', () => {
    assert.deepEqual(validateCredentials({ name: 'Ada', email: 'ada@example.com', password: 'password1' }, 'sign-up'), {});
    const errors = validateCredentials({ name: '  ', email: 'ada@', password: 'short' }, 'sign-up');
    assert.deepEqual(Object.keys(errors).sort(), ['email', 'name', 'password']);
    assert.match(errors.password ?? '', /at least 8/);
    assert.equal(validateCredentials({ name: 'A', email: 'a@x.io', password: '12345678' }, 'sign-up').password, undefined);
    assert.match(validateCredentials({ name: 'A', email: 'a@x.io', password: '1234567' }, 'sign-up').password ?? '', /at least 8/);
  });

  test('email shape', () => {
    const emailError = (email: string) => validateCredentials({ email, password: 'x' }, 'sign-in').email;
    assert.equal(emailError('a@x.io'), undefined);
    assert.equal(emailError('  first.last+tag@mail.example.org '), undefined);
    assert.ok(emailError(''));
    assert.ok(emailError('a@x'));
    assert.ok(emailError('a b@x.io'));
    assert.ok(emailError('@x.io'));
    assert.ok(emailError('a@.io'));
  });

  test('sign-in does not judge an existing password by the sign-up rule', () => {
    assert.deepEqual(validateCredentials({ email: 'a@x.io', password: 'short' }, 'sign-in'), {});
    assert.ok(validateCredentials({ email: 'a@x.io', password: '' }, 'sign-in').password);
    assert.ok(validateCredentials({ email: 'a@x.io', password: 'x'.repeat(129) }, 'sign-in').password);
  });
});

describe('server refusals in words', () => {
  test('Better Auth codes', () => {
    assert.equal(authErrorMessage(401, 'INVALID_EMAIL_OR_PASSWORD', 'sign-in').message, 'Wrong email or password.');
    assert.deepEqual(authErrorMessage(422, 'USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL', 'sign-up'), {
      message: 'An account with this email already exists. Sign in instead.',
      field: 'email',
    });
    assert.equal(authErrorMessage(422, 'USER_ALREADY_EXISTS', 'sign-up').field, 'email');
    assert.equal(authErrorMessage(400, 'INVALID_EMAIL', 'sign-up').field, 'email');
    assert.equal(authErrorMessage(400, 'PASSWORD_TOO_SHORT', 'sign-up').field, 'password');
  });

  test('rate limiting, network and server trouble', () => {
    assert.match(authErrorMessage(429, 'RATE_LIMITED', 'sign-in').message, /Too many attempts/);
    assert.match(authErrorMessage(429, 'AUTH_429', 'sign-up').message, /Too many attempts/);
    assert.match(authErrorMessage(0, 'NETWORK', 'sign-in').message, /cannot be reached/);
    assert.match(authErrorMessage(503, 'HTTP_503', 'sign-in').message, /had a problem/);
    assert.match(authErrorMessage(400, 'SOMETHING_NEW', 'sign-up').message, /Could not create your account/);
  });
});

test('time zone detection gives an IANA name the engine accepts', () => {
  const zone = detectTimeZone();
  assert.ok(zone.length > 0);
  assert.doesNotThrow(() => new Intl.DateTimeFormat('en', { timeZone: zone }));
});
