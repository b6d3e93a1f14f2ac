// The StateStore port in embedded mode keeps JSON documents in the application's database.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startSystem } from './harness.ts';

let sys: Awaited<ReturnType<typeof startSystem>>;
before(async () => {
  sys = await startSystem();
});
after(() => sys.stop());

test('set, get, overwrite and delete a document; values follow JSON rules', async () => {
  const { state, database } = sys.system;
  const key = 'conversation:42:ann';
  assert.equal(await state.get(key), undefined);
  await state.set(key, { messages: [{ role: 'user', content: 'héllo ✓' }], at: new Date('2026-11-25T10:00:00Z'), gone: undefined });
  assert.deepEqual(await state.get(key), { messages: [{ role: 'user', content: 'héllo ✓' }], at: '2026-11-25T10:00:00.000Z' });
  await state.set(key, { messages: [] });
  assert.deepEqual(await state.get(key), { messages: [] });
  const rows = await database.query<{ n: number }>('SELECT count(*)::int AS n FROM state_entries WHERE key = $1', [key]);
  assert.equal(rows[0]?.n, 1, 'one row per key, overwritten in place');
  await state.delete(key);
  assert.equal(await state.get(key), undefined);
  await state.delete(key); // deleting what is gone is fine
});

test('an empty key is refused by the database, and nothing is stored', async () => {
  await assert.rejects(() => sys.system.state.set('', { x: 1 }));
  const rows = await sys.system.database.query<{ n: number }>('SELECT count(*)::int AS n FROM state_entries');
  assert.equal(rows[0]?.n, 0);
});
