// Saving the task panel's changes field by field: the PATCH carries only the fields the user
// changed, with the version the form started from. When the server has a newer version (409), the
// form is rebased on it (task-form.ts): no conflict → the same fields are sent again on top of the
// new version; a field changed on both sides → the caller asks the user. The offline queue replays
// saved edits through the same function, so both follow the same rules.
import { ApiError } from './api';
import { changedFields, errorField, type FieldKey, formFromTask, type FormValues, patchFor, rebase } from './task-form';
import type { PatchTaskInput, Task } from './types';

export type SaveOutcome =
  | { ok: true; task: Task }
  | { ok: false; kind: 'conflict'; latest: Task; values: FormValues; conflicts: FieldKey[] }
  | { ok: false; kind: 'error'; field: FieldKey | null; message: string; error: unknown };

export interface SaveApi {
  patchTask(id: number, patch: PatchTaskInput): Promise<Task>;
  getTask(id: number): Promise<Task>;
}

/** How many newer versions in a row a save follows before it gives up (someone keeps editing). */
const ROUNDS = 3;

export async function saveFields(api: SaveApi, base: Task, baseValues: FormValues, values: FormValues, timeZone: string): Promise<SaveOutcome> {
  let onto = base;
  let from = baseValues;
  let mine = values;
  for (let round = 0; ; round++) {
    const fields = changedFields(from, mine);
    if (fields.length === 0) return { ok: true, task: onto };
    try {
      return { ok: true, task: await api.patchTask(onto.id, { ...patchFor(mine, fields, timeZone), version: onto.version }) };
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 409) || round >= ROUNDS) return { ok: false, kind: 'error', ...errorField(err), error: err };
    }
    let latest: Task;
    try {
      latest = await api.getTask(onto.id);
    } catch (err) {
      return { ok: false, kind: 'error', ...errorField(err), error: err };
    }
    const theirs = formFromTask(latest, timeZone);
    const merged = rebase(from, mine, theirs);
    if (merged.conflicts.length > 0) return { ok: false, kind: 'conflict', latest, values: merged.values, conflicts: merged.conflicts };
    onto = latest;
    from = theirs;
    mine = merged.values;
  }
}
