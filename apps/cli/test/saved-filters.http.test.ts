import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client, type ErrorJson, signUp, startSystem } from './harness.ts';

interface FilterJson {
  id: number;
  name: string;
  query: string;
  created_at: string;
  updated_at: string;
}

describe('saved filters: /api/v1/filters', () => {
  let ts: Awaited<ReturnType<typeof startSystem>>;
  let ann: Client;
  let bob: Client;
  before(async () => {
    ts = await startSystem();
    ann = await signUp(ts.url);
    bob = await signUp(ts.url);
  });
  after(async () => ts.stop());

  test('create, list (oldest first), rename, change the query, delete', async () => {
    const home = await ann.post<FilterJson>('/api/v1/filters', { name: '  Home errands ', query: 'tags=home&priority=high&sort=due_date' });
    assert.equal(home.status, 201, JSON.stringify(home.body));
    assert.deepEqual([home.body.name, home.body.query], ['Home errands', 'tags=home&priority=high&sort=due_date']);
    const work = await ann.post<FilterJson>('/api/v1/filters', { name: 'Work', query: 'tags=work&status=all' });
    assert.equal(work.status, 201);
    assert.deepEqual((await ann.get<{ filters: FilterJson[] }>('/api/v1/filters')).body.filters.map((f) => f.name), ['Home errands', 'Work']);

    const renamed = await ann.patch<FilterJson>(`/api/v1/filters/${home.body.id}`, { name: 'Home' });
    assert.deepEqual([renamed.status, renamed.body.name, renamed.body.query], [200, 'Home', 'tags=home&priority=high&sort=due_date']);
    const requeried = await ann.patch<FilterJson>(`/api/v1/filters/${home.body.id}`, { query: 'tags=home' });
    assert.equal(requeried.body.query, 'tags=home');

    assert.equal((await ann.request('DELETE', `/api/v1/filters/${work.body.id}`)).status, 204);
    assert.deepEqual((await ann.get<{ filters: FilterJson[] }>('/api/v1/filters')).body.filters.map((f) => f.id), [home.body.id]);
    assert.equal((await ann.request('DELETE', `/api/v1/filters/${work.body.id}`)).status, 404);
  });

  test('names are unique per user, ignoring case', async () => {
    assert.equal((await ann.post('/api/v1/filters', { name: 'Today high', query: 'priority=high' })).status, 201);
    const again = await ann.post<ErrorJson>('/api/v1/filters', { name: 'TODAY HIGH', query: '' });
    assert.deepEqual([again.status, again.body.error.code], [409, 'FILTER_NAME_TAKEN']);
    const other = await ann.post<FilterJson>('/api/v1/filters', { name: 'Other', query: '' });
    const clash = await ann.patch<ErrorJson>(`/api/v1/filters/${other.body.id}`, { name: 'today high' });
    assert.deepEqual([clash.status, clash.body.error.code], [409, 'FILTER_NAME_TAKEN']);
    // Another user may use the same name.
    assert.equal((await bob.post('/api/v1/filters', { name: 'Today high', query: '' })).status, 201);
  });

  test('each user sees and changes only their own', async () => {
    const mine = await ann.post<FilterJson>('/api/v1/filters', { name: 'Private', query: 'q=secret' });
    assert.ok(!(await bob.get<{ filters: FilterJson[] }>('/api/v1/filters')).body.filters.some((f) => f.name === 'Private'));
    assert.equal((await bob.patch(`/api/v1/filters/${mine.body.id}`, { name: 'Mine now' })).status, 404);
    assert.equal((await bob.request('DELETE', `/api/v1/filters/${mine.body.id}`)).status, 404);
    assert.equal((await new Client(ts.url).get('/api/v1/filters')).status, 401);
  });

  test('bad input is a 400 and saves nothing', async () => {
    const before = (await ann.get<{ filters: FilterJson[] }>('/api/v1/filters')).body.filters.length;
    for (const body of [
      {},
      { name: '', query: '' },
      { name: 'x'.repeat(61), query: '' },
      { name: 'Bad key', query: 'colour=red' },
      { name: 'Twice', query: 'tags=a&tags=b' },
      { name: 'Long', query: `q=${'x'.repeat(1000)}` },
      { name: 'Extra', query: '', pinned: true },
    ]) {
      const res = await ann.post<ErrorJson>('/api/v1/filters', body);
      assert.equal(res.status, 400, JSON.stringify(body).slice(0, 60));
    }
    assert.equal((await ann.patch('/api/v1/filters/1', {})).status, 400);
    assert.equal((await ann.get<{ filters: FilterJson[] }>('/api/v1/filters')).body.filters.length, before);
  });

  test('at most 50 per user', async () => {
    const carol = await signUp(ts.url);
    for (let i = 0; i < 50; i++) assert.equal((await carol.post('/api/v1/filters', { name: `F${i}`, query: '' })).status, 201);
    const over = await carol.post<ErrorJson>('/api/v1/filters', { name: 'F50', query: '' });
    assert.deepEqual([over.status, over.body.error.code], [422, 'TOO_MANY_FILTERS']);
  });
});
