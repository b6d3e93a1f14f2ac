import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nextToast } from '../lib/toast-state.ts';

const undo = { label: 'Undo', onClick: () => undefined };

test('one toast at a time: the newest replaces, an Undo still in time stays and says what it undoes', () => {
  const deleted = nextToast(null, 1, 'Task deleted', { action: undo }, 0);
  assert.deepEqual([deleted.message, deleted.action?.label, deleted.until], ['Task deleted', 'Undo', 8000]);
  const saved = nextToast(deleted, 2, 'Saved', { tone: 'success' }, 1000);
  assert.deepEqual([saved.id, saved.message, saved.action?.label, saved.action?.until], [2, 'Saved', 'Undo: Task deleted', 8000]);
  assert.equal(saved.until, 8000, 'shown as long as its kept Undo lasts');
  // Kept again: the label does not grow.
  assert.equal(nextToast(saved, 3, 'Tag added', {}, 2000).action?.label, 'Undo: Task deleted');
  // Too late: gone.
  assert.equal(nextToast(deleted, 4, 'Saved', {}, 9000).action, null);
  // A new Undo wins over a kept one.
  const completed = nextToast(saved, 5, 'Completed "A"', { action: undo }, 3000);
  assert.deepEqual([completed.action?.label, completed.action?.until], ['Undo', 11000]);
});
