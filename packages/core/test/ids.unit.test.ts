import assert from 'node:assert/strict';
import { test } from 'node:test';
import { idToJson } from '../src/index.ts';

test('an id is shown as the JSON number it names, never a rounded one', () => {
  assert.equal(idToJson('1'), 1);
  assert.equal(idToJson('9007199254740991'), Number.MAX_SAFE_INTEGER);
  assert.throws(() => idToJson('9007199254740993'), /no exact JSON number/);
  assert.throws(() => idToJson('007'), /no exact JSON number/);
  assert.throws(() => idToJson('abc'), /no exact JSON number/);
});
