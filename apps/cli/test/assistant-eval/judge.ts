// Judges one eval case by the user's tasks before and after (never by what the parser produced).
import type { TaskJson } from '../harness.ts';
import { type EvalCase, expectedMinute, localMinute, type TaskExpectation } from './model.ts';

export interface Verdict {
  ok: boolean;
  /** A seeded task the case did not name was changed or deleted. */
  wrongTask: boolean;
  reasons: string[];
}

interface Snapshot {
  title: string;
  desc: string;
  done: boolean;
  p: string;
  tags: string;
  due: string | null;
  rem: number | null;
  rep: string | null;
}

function snapshot(t: TaskJson, tz: string): Snapshot {
  return {
    title: t.title,
    desc: t.description,
    done: t.completed,
    p: t.priority,
    tags: [...t.tags].sort().join(','),
    due: t.due_date ? localMinute(t.due_date, tz) : null,
    rem: t.remind_before_minutes,
    rep: t.recurring,
  };
}

const sameTitle = (a: string, b: string) => norm(a) === norm(b);
const norm = (s: string) => s.trim().replace(/^["'“”‘’]+|["'“”‘’.!?]+$/g, '').trim().toLowerCase();

/** The fields an expectation names, as they should read in a snapshot. */
function expectedFields(e: TaskExpectation, tz: string): Partial<Snapshot> {
  const out: Partial<Snapshot> = {};
  if (e.title !== undefined) out.title = e.title;
  if (e.desc !== undefined) out.desc = e.desc;
  if (e.done !== undefined) out.done = e.done;
  if (e.p !== undefined) out.p = e.p;
  if (e.tags !== undefined) out.tags = [...e.tags].sort().join(',');
  if (e.due !== undefined) out.due = e.due === null ? null : expectedMinute(e.due, tz);
  if (e.rem !== undefined) out.rem = e.rem;
  if (e.rep !== undefined) out.rep = e.rep;
  return out;
}

function differences(actual: Snapshot, want: Partial<Snapshot>): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(want) as [keyof Snapshot, unknown][]) {
    const a = actual[k];
    const equal = k === 'title' || k === 'desc' ? sameTitle(String(a), String(v)) : a === v;
    if (!equal) out.push(`${k}: ${JSON.stringify(a)} (wanted ${JSON.stringify(v)})`);
  }
  return out;
}

export function judge(c: EvalCase, tz: string, seeded: Map<string, TaskJson>, after: TaskJson[], answer: string): Verdict {
  const reasons: string[] = [];
  let wrongTask = false;
  const byId = new Map(after.map((t) => [t.id, t]));
  const seedIds = new Set([...seeded.values()].map((t) => t.id));

  for (const [title, before] of seeded) {
    const now = byId.get(before.id);
    const want = c.ch?.[title];
    if (!want) {
      if (!now) {
        wrongTask = true;
        reasons.push(`"${title}" was deleted`);
        continue;
      }
      const diff = differences(snapshot(now, tz), snapshot(before, tz));
      if (diff.length > 0) {
        wrongTask = true;
        reasons.push(`"${title}" changed: ${diff.join('; ')}`);
      }
      continue;
    }
    if (want.deleted) {
      if (now) reasons.push(`"${title}" was not deleted`);
      continue;
    }
    if (!now) {
      reasons.push(`"${title}" was deleted`);
      continue;
    }
    // Named fields must read as wanted; the rest must be as they were.
    const wanted = expectedFields(want, tz);
    const untouched = Object.fromEntries(Object.entries(snapshot(before, tz)).filter(([k]) => !(k in wanted)));
    const diff = differences(snapshot(now, tz), { ...untouched, ...wanted });
    if (diff.length > 0) reasons.push(`"${title}": ${diff.join('; ')}`);
  }

  // A completed recurring task's next occurrence is expected; one left behind by a reopened task is not.
  const fresh = after.filter((t) => !seedIds.has(t.id));
  const occurrences = fresh.filter((t) => t.recurring_parent_id !== null && seedIds.has(t.recurring_parent_id));
  for (const o of occurrences) {
    const parent = byId.get(o.recurring_parent_id ?? -1);
    if (!parent || !parent.completed) reasons.push(`the next occurrence of "${o.title}" was left after its task was reopened or deleted`);
  }
  const added = fresh.filter((t) => !occurrences.includes(t));
  const unmatched = [...added];
  for (const want of c.add ?? []) {
    const titles = Array.isArray(want.t) ? want.t : [want.t];
    const candidates = unmatched.filter((t) => titles.some((w) => sameTitle(t.title, w)));
    const { t: _t, ...fields } = want;
    const wanted = expectedFields(fields, tz);
    const found = candidates.find((t) => differences(snapshot(t, tz), wanted).length === 0);
    if (found) {
      unmatched.splice(unmatched.indexOf(found), 1);
      continue;
    }
    const near = candidates[0] ?? unmatched[0];
    reasons.push(near ? `added "${near.title}": ${differences(snapshot(near, tz), { title: titles[0] ?? '', ...wanted }).join('; ')}` : `no task "${titles[0]}" was added`);
    if (near) unmatched.splice(unmatched.indexOf(near), 1);
  }
  for (const t of unmatched) reasons.push(`unexpected new task "${t.title}"`);

  const said = answer.toLowerCase();
  for (const title of c.names ?? []) if (!said.includes(title.toLowerCase())) reasons.push(`the answer does not name "${title}"`);
  for (const title of c.omits ?? []) if (said.includes(title.toLowerCase())) reasons.push(`the answer names "${title}"`);
  if (c.count !== undefined && !new RegExp(`(^|[^\\d])${c.count}([^\\d]|$)|\\b${NUMBER_WORDS[c.count] ?? '\\u0000'}\\b`, 'i').test(answer)) {
    reasons.push(`the answer does not say ${c.count}`);
  }
  return { ok: reasons.length === 0, wrongTask, reasons };
}

const NUMBER_WORDS = ['no', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];
