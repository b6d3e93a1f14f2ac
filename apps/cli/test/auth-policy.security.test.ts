// Name and password rules hold on every path that sets them, the auth library's routes included.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client, type ErrorJson, signUp, startSystem } from './harness.ts';

describe('name and password policies', () => {
  let ts: Awaited<ReturnType<typeof startSystem>>;
  let anon: Client;
  before(async () => {
    ts = await startSystem();
    anon = new Client(ts.url);
  });
  after(async () => ts.stop());

  const email = () => `p-${Date.now()}-${Math.random().toString(36).slice(2)}@example.com`;
  const usersCount = async () => (await ts.system.database.query<{ n: number }>('SELECT count(*)::int AS n FROM users'))[0]?.n;

  test('sign-up refuses overlong or control-character names and common or trivial passwords, creating no user', async () => {
    const before = await usersCount();
    for (const [name, code] of [
      ['x'.repeat(60_000), 'INVALID_NAME'],
      ['x'.repeat(101), 'INVALID_NAME'],
      ['   ', 'INVALID_NAME'],
      ['Ann\u0007', 'INVALID_NAME'],
    ] as const) {
      const res = await anon.post<ErrorJson>('/api/auth/sign-up/email', { name, email: email(), password: 'correct horse battery' });
      assert.equal(res.status, 400, name.slice(0, 20));
      assert.equal(res.body.error.code, code);
    }
    const address = email();
    for (const password of ['password', 'Password1', 'aaaaaaaa', '12345678', 'qwertyuiop', 'abcdefgh', 'abababab', 'iloveyou', 'short', address]) {
      const res = await anon.post<ErrorJson>('/api/auth/sign-up/email', { name: 'Ann', email: address, password });
      assert.equal(res.status, 400, password);
      assert.ok(['WEAK_PASSWORD', 'PASSWORD_TOO_SHORT'].includes(res.body.error.code), `${password}: ${res.body.error.code}`);
    }
    assert.equal(await usersCount(), before, 'no user was created');
    const ok = await anon.post('/api/auth/sign-up/email', { name: 'x'.repeat(100), email: address, password: 'violet staple engine' });
    assert.equal(ok.status, 200);
  });

  test('update-user and PATCH /api/v1/me share the name limit; change-password the password rules', async () => {
    const ann = await signUp(ts.url, { name: 'Ann' });
    for (const name of ['x'.repeat(60_000), 'x'.repeat(101), '']) {
      const res = await ann.post<ErrorJson>('/api/auth/update-user', { name });
      assert.equal(res.status, 400, `update-user ${name.length}`);
      const me = await ann.patch<ErrorJson>('/api/v1/me', { name });
      assert.equal(me.status, 400, `me ${name.length}`);
    }
    assert.equal((await ann.get<{ name: string }>('/api/v1/me')).body.name, 'Ann');
    assert.equal((await ann.post('/api/auth/update-user', { name: 'Ann B.' })).status, 200);
    const weak = await ann.post<ErrorJson>('/api/auth/change-password', { currentPassword: 'correct horse battery', newPassword: 'password123' });
    assert.equal(weak.status, 400);
    assert.equal(weak.body.error.code, 'WEAK_PASSWORD');
    const strong = await ann.post('/api/auth/change-password', { currentPassword: 'correct horse battery', newPassword: 'violet staple engine' });
    assert.equal(strong.status, 200);
  });
});
