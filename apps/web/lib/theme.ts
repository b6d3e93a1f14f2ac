// The colour theme the user picked: "system" follows the OS; "light"/"dark" set html[data-theme],
// which the tokens in globals.css honour. Kept in localStorage so it applies before React loads.

export type ThemeChoice = 'system' | 'light' | 'dark';

export const THEME_STORAGE_KEY = 'dueflow:theme';

export const THEME_CHOICES: readonly { value: ThemeChoice; label: string }[] = [
  { value: 'system', label: 'System' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];

export function parseTheme(value: unknown): ThemeChoice {
  return value === 'light' || value === 'dark' ? value : 'system';
}

export function readTheme(): ThemeChoice {
  try {
    return parseTheme(localStorage.getItem(THEME_STORAGE_KEY));
  } catch {
    return 'system'; // storage blocked (private mode, policy)
  }
}

/** Applies the choice to this page and remembers it for the next visit. */
export function setTheme(choice: ThemeChoice): void {
  applyTheme(document.documentElement, choice);
  try {
    if (choice === 'system') localStorage.removeItem(THEME_STORAGE_KEY);
    else localStorage.setItem(THEME_STORAGE_KEY, choice);
  } catch {
    // Not remembered, still applied.
  }
}

export function applyTheme(root: { dataset: DOMStringMap }, choice: ThemeChoice): void {
  if (choice === 'system') delete root.dataset['theme'];
  else root.dataset['theme'] = choice;
}

/**
 * Runs inline in <head> before the first paint, so a dark-theme user never sees a light flash.
 * Plain ES5, no imports: it is injected as text.
 */
export const THEME_BOOT_SCRIPT = `try{var t=localStorage.getItem(${JSON.stringify(THEME_STORAGE_KEY)});if(t==="light"||t==="dark")document.documentElement.dataset.theme=t}catch(e){}`;
