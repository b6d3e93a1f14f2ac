import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildRecurrence, EDITABLE_FIELDS, type EditableTaskFields, editableFromJson, editableToJson, pickEditable } from '../src/index.ts';

const due = new Date('2026-05-04T15:00:00.000Z');
const fields: EditableTaskFields = {
  title: 'Water plants',
  description: 'balcony',
  priority: 'high',
  tags: ['home'],
  dueDate: due,
  reminderAt: new Date('2026-05-04T14:00:00.000Z'),
  remindBeforeMinutes: 60,
  recurrence: buildRecurrence({ pattern: 'weekly' }, { anchor: due, timezone: 'Europe/Berlin' }),
};

test('one table lists the eight editable fields', () => {
  assert.deepEqual([...EDITABLE_FIELDS], ['title', 'description', 'priority', 'tags', 'dueDate', 'reminderAt', 'remindBeforeMinutes', 'recurrence']);
});

test('pickEditable keeps exactly the editable fields and copies the tags', () => {
  const task = { ...fields, id: '7', userId: 'u', completed: true, version: 3 };
  const picked = pickEditable(task);
  assert.deepEqual(Object.keys(picked).sort(), [...EDITABLE_FIELDS].sort());
  assert.deepEqual(picked, fields);
  picked.tags.push('x');
  assert.deepEqual(task.tags, ['home']);
});

test('to JSON and back is the identity; instants are ISO strings, names snake_case', () => {
  const json = editableToJson(fields);
  assert.equal(json.due_date, '2026-05-04T15:00:00.000Z');
  assert.equal(json.remind_before_minutes, 60);
  assert.equal(json.recurrence?.anchor, fields.recurrence?.anchor);
  assert.deepEqual(editableFromJson(JSON.parse(JSON.stringify(json)) as typeof json), fields);
  const empty = editableToJson({ ...fields, dueDate: null, reminderAt: null, remindBeforeMinutes: null, recurrence: null });
  assert.deepEqual(editableFromJson(empty), { ...fields, dueDate: null, reminderAt: null, remindBeforeMinutes: null, recurrence: null });
});
