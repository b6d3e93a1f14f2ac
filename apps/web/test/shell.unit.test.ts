import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { applyTheme, parseTheme, THEME_BOOT_SCRIPT, THEME_STORAGE_KEY } from '../lib/theme.ts';

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
