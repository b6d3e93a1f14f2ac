import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { mergeTags, normalizeTag, TAG_LENGTH_MAX, TAGS_MAX, tagSchema, tagsSchema, TITLE_MAX, titleSchema } from '../src/task.ts';

const rejected = (schema: { safeParse(v: unknown): { success: boolean } }, value: unknown): void => {
  assert.equal(schema.safeParse(value).success, false, `expected ${JSON.stringify(value)} to be rejected`);
};

describe('normalizeTag', () => {
  test('trims, lower-cases, drops one leading #, joins words with -', () => {
    assert.equal(normalizeTag('Work'), 'work');
    assert.equal(normalizeTag('  #Work Stuff  '), 'work-stuff');
    assert.equal(normalizeTag('deep \t  work'), 'deep-work');
    assert.equal(normalizeTag('#urgent'), 'urgent');
    assert.equal(normalizeTag('ÉTÉ'), 'été');
    assert.equal(normalizeTag('a/b:c.d_e-f'), 'a/b:c.d_e-f');
    assert.equal(normalizeTag(''), '');
  });

  test(
    'a space after the # is not kept as a leading -',
    () => {
      assert.equal(normalizeTag('# work'), 'work');
    },
  );

  test(
    'canonical Unicode: decomposed accents and combining marks are letters too',
    () => {
      assert.equal(normalizeTag('cafe\u0301'), 'caf\u00e9');
      assert.deepEqual(tagsSchema.parse(['cafe\u0301', 'caf\u00e9']), ['caf\u00e9']);
      assert.deepEqual(tagsSchema.parse(['हिंदी']), ['हिंदी']);
    },
  );
});

describe('tagSchema / tagsSchema', () => {
  test('normalises each tag and keeps the first appearance of duplicates', () => {
    assert.deepEqual(tagsSchema.parse(['Work', 'home', '#WORK', ' work ', 'Home']), ['work', 'home']);
    assert.deepEqual(tagsSchema.parse([]), []);
    assert.deepEqual(tagsSchema.parse(['b', 'a', 'c']), ['b', 'a', 'c']);
    assert.equal(tagSchema.parse('日本語'), '日本語');
    assert.equal(tagSchema.parse('v1.2'), 'v1.2');
  });

  test(`at most ${TAGS_MAX} tags, counted after de-duplication`, () => {
    const twenty = Array.from({ length: TAGS_MAX }, (_, i) => `t${i}`);
    assert.equal(tagsSchema.parse(twenty).length, TAGS_MAX);
    assert.equal(tagsSchema.parse([...twenty, 'T0', '#t1']).length, TAGS_MAX);
    rejected(tagsSchema, [...twenty, 'one-more']);
  });

  test(`each tag 1..${TAG_LENGTH_MAX} characters after normalisation`, () => {
    assert.equal(tagSchema.parse('a'.repeat(TAG_LENGTH_MAX)).length, TAG_LENGTH_MAX);
    assert.equal(tagSchema.parse(`  #${'A'.repeat(TAG_LENGTH_MAX)}  `), 'a'.repeat(TAG_LENGTH_MAX));
    rejected(tagSchema, 'a'.repeat(TAG_LENGTH_MAX + 1));
    rejected(tagSchema, '');
    rejected(tagSchema, '   ');
    rejected(tagSchema, '#');
  });

  test('charset: letters, digits and - _ . : / only', () => {
    for (const bad of ['a,b', 'a;b', 'a#b', '##x', 'x!', 'tag?', '<b>', 'a+b', 'a@b', 'a\u0000b', '🔥', 'a\'b', 'a"b']) rejected(tagSchema, bad);
    rejected(tagsSchema, ['ok', 'not ok!']);
    rejected(tagsSchema, ['ok', 42]);
    rejected(tagsSchema, 'work');
  });
});

describe('mergeTags', () => {
  test('adds new tags at the end, removes, keeps order', () => {
    assert.deepEqual(mergeTags(['a', 'b', 'c'], ['d', 'a'], ['b']), ['a', 'c', 'd']);
    assert.deepEqual(mergeTags([], ['x', 'x', 'y'], []), ['x', 'y']);
    assert.deepEqual(mergeTags(['a'], [], ['zzz']), ['a']);
    assert.deepEqual(mergeTags(['a', 'b'], [], ['a', 'b']), []);
  });

  test('a tag both added and removed is removed', () => {
    assert.deepEqual(mergeTags(['a'], ['b'], ['b']), ['a']);
    assert.deepEqual(mergeTags(['a', 'b'], ['b'], ['b']), ['a']);
  });

  test('does not mutate its inputs', () => {
    const current = ['a', 'b'];
    const out = mergeTags(current, ['c'], ['a']);
    assert.deepEqual(current, ['a', 'b']);
    assert.notEqual(out, current);
  });
});

describe('titleSchema', () => {
  test('trims', () => {
    assert.equal(titleSchema.parse('  Buy milk \n'), 'Buy milk');
    assert.equal(titleSchema.parse('x'), 'x');
  });

  test(`1..${TITLE_MAX} characters after trimming`, () => {
    assert.equal(titleSchema.parse('a'.repeat(TITLE_MAX)).length, TITLE_MAX);
    assert.equal(titleSchema.parse(`  ${'a'.repeat(TITLE_MAX)}  `).length, TITLE_MAX);
    rejected(titleSchema, 'a'.repeat(TITLE_MAX + 1));
    rejected(titleSchema, '');
    rejected(titleSchema, '   \t\n');
    rejected(titleSchema, 42);
    rejected(titleSchema, null);
  });
});
