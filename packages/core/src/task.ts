import { z } from 'zod';
import { DESCRIPTION_MAX, normalizeTag, PRIORITIES, TAG_LENGTH_MAX, TAG_PATTERN, TAGS_MAX, TITLE_MAX } from './vocabulary.ts';

export {
  DESCRIPTION_MAX,
  normalizeTag,
  PRIORITIES,
  type Priority,
  PriorityRank,
  REMIND_BEFORE_MAX_MINUTES,
  TAG_LENGTH_MAX,
  TAGS_MAX,
  TITLE_MAX,
} from './vocabulary.ts';

export const prioritySchema = z.enum(PRIORITIES);

export const tagSchema = z
  .string()
  .transform(normalizeTag)
  .pipe(
    z
      .string()
      .min(1, 'tag must not be empty')
      .max(TAG_LENGTH_MAX, `tag must be at most ${TAG_LENGTH_MAX} characters`)
      .regex(TAG_PATTERN, 'tag may contain letters, digits and - _ . : / only'),
  );

/** Tags normalised and de-duplicated, order of first appearance kept. */
export const tagsSchema = z
  .array(tagSchema)
  .transform((tags) => [...new Set(tags)])
  .pipe(z.array(z.string()).max(TAGS_MAX, `at most ${TAGS_MAX} tags`));

export function mergeTags(current: readonly string[], add: readonly string[], remove: readonly string[]): string[] {
  const removed = new Set(remove);
  const out = current.filter((t) => !removed.has(t));
  for (const t of add) if (!out.includes(t) && !removed.has(t)) out.push(t);
  return out;
}

/** PostgreSQL text cannot hold U+0000: reject it as input instead of failing in the database. */
export const noNul = (field: string) => [(s: string) => !s.includes('\u0000'), `${field} must not contain NUL characters`] as const;

export const titleSchema = z
  .string()
  .transform((s) => s.trim())
  .pipe(
    z
      .string()
      .min(1, 'title must not be empty')
      .max(TITLE_MAX, `title must be at most ${TITLE_MAX} characters`)
      .refine(...noNul('title')),
  );

export const descriptionSchema = z
  .string()
  .max(DESCRIPTION_MAX, `description must be at most ${DESCRIPTION_MAX} characters`)
  .refine(...noNul('description'));
