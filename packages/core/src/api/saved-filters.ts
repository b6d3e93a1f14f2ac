import { z } from 'zod';
import { noNul } from '../task.ts';
import { SAVED_FILTER_KEYS, SAVED_FILTER_NAME_MAX, SAVED_FILTER_QUERY_MAX } from '../vocabulary.ts';

const nameSchema = z
  .string()
  .transform((s) => s.trim())
  .pipe(z.string().min(1, 'name must not be empty').max(SAVED_FILTER_NAME_MAX, `name must be at most ${SAVED_FILTER_NAME_MAX} characters`).refine(...noNul('name')));

/** A saved filter's query: "tags=home&priority=high", only the task list's own keys, each once. */
export const savedFilterQuerySchema = z
  .string()
  .max(SAVED_FILTER_QUERY_MAX, `query must be at most ${SAVED_FILTER_QUERY_MAX} characters`)
  .refine(...noNul('query'))
  .refine((q) => {
    const keys = [...new URLSearchParams(q).keys()];
    return keys.every((k) => (SAVED_FILTER_KEYS as readonly string[]).includes(k)) && new Set(keys).size === keys.length;
  }, `query may only hold ${SAVED_FILTER_KEYS.join(', ')}, each once`);

export const createSavedFilterSchema = z.object({ name: nameSchema, query: savedFilterQuerySchema }).strict();
export const patchSavedFilterSchema = z
  .object({ name: nameSchema.optional(), query: savedFilterQuerySchema.optional() })
  .strict()
  .refine((v) => v.name !== undefined || v.query !== undefined, { message: 'give name or query' });

export const savedFilterDtoSchema = z.object({ id: z.number().int(), name: z.string(), query: z.string(), created_at: z.string(), updated_at: z.string() });
export const savedFilterListSchema = z.object({ filters: z.array(savedFilterDtoSchema) });
export type SavedFilterDto = z.infer<typeof savedFilterDtoSchema>;
