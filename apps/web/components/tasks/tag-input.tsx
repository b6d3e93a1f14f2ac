'use client';
// Tags of a task: chips with a remove button each, and an "Add tag" box (Enter or comma adds)
// with suggestions from the user's existing tags.
import { normalizeTag, TAG_LENGTH_MAX as MAX_TAG_LENGTH, TAGS_MAX as MAX_TAGS } from '@dueflow/core/browser';
import { useId, useState } from 'react';
import styles from './tasks.module.css';

export { normalizeTag };

interface TagInputProps {
  tags: string[];
  suggestions: string[];
  onChange(tags: string[]): void;
}

export function TagInput({ tags, suggestions, onChange }: TagInputProps) {
  const id = useId();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);

  const add = (raw: string) => {
    const tag = normalizeTag(raw.replace(/,/g, ' '));
    if (!tag) return;
    if (tag.length > MAX_TAG_LENGTH) return setError(`A tag has at most ${MAX_TAG_LENGTH} characters.`);
    if (tags.includes(tag)) return setText('');
    if (tags.length >= MAX_TAGS) return setError(`A task has at most ${MAX_TAGS} tags.`);
    setError(null);
    onChange([...tags, tag]);
    setText('');
  };

  return (
    <div className="field">
      <label htmlFor={`${id}-input`}>Tags</label>
      {tags.length > 0 ? (
        <ul className={styles.tags} aria-label="Tags of this task">
          {tags.map((tag) => (
            <li key={tag} className={styles.chip}>
              #{tag}
              <button type="button" className={styles.chipButton} aria-label={`Remove tag ${tag}`} onClick={() => onChange(tags.filter((t) => t !== tag))}>
                <span aria-hidden="true">×</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <div className={styles.inline}>
        <input
          id={`${id}-input`}
          className="input"
          type="text"
          aria-label="Add tag"
          aria-describedby={error ? `${id}-error` : undefined}
          placeholder="Add tag and press Enter"
          list={`${id}-suggestions`}
          autoComplete="off"
          value={text}
          onChange={(e) => {
            const value = e.currentTarget.value;
            if (value.endsWith(',')) add(value);
            else setText(value);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              // Enter adds the tag instead of submitting the form.
              e.preventDefault();
              add(text);
            } else if (e.key === 'Backspace' && !text && tags.length > 0) {
              onChange(tags.slice(0, -1));
            }
          }}
        />
        <button type="button" className="button" onClick={() => add(text)} disabled={!text.trim()}>
          Add
        </button>
      </div>
      <datalist id={`${id}-suggestions`}>
        {suggestions
          .filter((s) => !tags.includes(s))
          .map((s) => (
            <option key={s} value={s} />
          ))}
      </datalist>
      {error ? (
        <p id={`${id}-error`} className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
