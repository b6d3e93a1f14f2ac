import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { absoluteTime, relativeTime } from '../components/shell/time.ts';
import { applyTheme, parseTheme, THEME_BOOT_SCRIPT, THEME_STORAGE_KEY } from '../lib/theme.ts';

describe('relative times', () => {
  const now = new Date('2026-03-10T12:00:00.000Z');
  test('seconds, minutes, hours, days, then the date', () => {
    assert.equal(relativeTime('2026-03-10T11:59:30.000Z', now), 'just now');
    assert.equal(relativeTime('2026-03-10T11:55:00.000Z', now), '5 minutes ago');
    assert.equal(relativeTime('2026-03-10T11:59:00.000Z', now), '1 minute ago');
    assert.equal(relativeTime('2026-03-10T09:00:00.000Z', now), '3 hours ago');
    assert.equal(relativeTime('2026-03-09T11:00:00.000Z', now), 'yesterday');
    assert.equal(relativeTime('2026-03-07T12:00:00.000Z', now), '3 days ago');
    assert.equal(relativeTime('2026-03-10T12:20:00.000Z', now), 'in 20 minutes');
    assert.match(relativeTime('2026-02-01T12:00:00.000Z', now, 'UTC'), /2026/);
    assert.equal(relativeTime('not a date', now), '');
  });

  test('absolute time is in the given zone', () => {
    const tokyo = absoluteTime('2026-03-10T23:30:00.000Z', 'Asia/Tokyo');
    const utc = absoluteTime('2026-03-10T23:30:00.000Z', 'UTC');
    assert.match(tokyo, /11/); // Mar 11 in Tokyo
    assert.notEqual(tokyo, utc);
    assert.equal(absoluteTime('2026-03-10T23:30:00.000Z', 'Not/AZone'), absoluteTime('2026-03-10T23:30:00.000Z'));
  });
});

describe('theme', () => {
  test('only light and dark are forced; anything else follows the system', () => {
    assert.equal(parseTheme('dark'), 'dark');
    assert.equal(parseTheme('light'), 'light');
    assert.equal(parseTheme('DARK'), 'system');
    assert.equal(parseTheme(null), 'system');
  });

  test('applyTheme sets and clears data-theme', () => {
    const root = { dataset: {} as DOMStringMap };
    applyTheme(root, 'dark');
    assert.equal(root.dataset['theme'], 'dark');
    applyTheme(root, 'system');
    assert.equal(root.dataset['theme'], undefined);
  });

  test('the boot script applies a saved theme and survives blocked storage', () => {
    const run = (storage: { getItem(key: string): string | null }) => {
      const documentElement = { dataset: {} as Record<string, string> };
      new Function('localStorage', 'document', THEME_BOOT_SCRIPT)(storage, { documentElement });
      return documentElement.dataset['theme'];
    };
    assert.equal(run({ getItem: (k) => (k === THEME_STORAGE_KEY ? 'dark' : null) }), 'dark');
    assert.equal(run({ getItem: () => 'purple' }), undefined);
    assert.equal(
      run({
        getItem: () => {
          throw new Error('SecurityError');
        },
      }),
      undefined,
    );
  });
});
