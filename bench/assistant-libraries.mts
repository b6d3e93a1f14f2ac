// Hand-written date and word-form reading vs chrono-node and compromise, on the assistant eval set.
// Neither library is a dependency; to re-run:
//   npm i --no-save chrono-node@2.10.3 compromise@14.17.0 && node --import tsx bench/assistant-libraries.mts
// Dates: every single-message case that expects a due date; the day/time phrase is read by the hand-written
// reader or by chrono-node (in the user's zone), then the same rules apply ("to friday" keeps the time).
// Word forms: every single-message case that names one task by its title; the title match uses the
// hand-written stemmer or compromise's root forms, the rest of the matcher unchanged.
import * as chrono from 'chrono-node';
import nlp from 'compromise';
import { CASES } from '../apps/cli/test/assistant-eval/cases.ts';
import { EVAL_NOW, expectedMinute, resolveWhen } from '../apps/cli/test/assistant-eval/model.ts';
import { clockAt, contentWords, type DueChange, fromLocal, parseMessage, plannedDue, stem, toLocal, understand } from '../packages/core/src/index.ts';

const TZ = 'Europe/Berlin';
const clock = clockAt(EVAL_NOW, TZ);
const pad = (n: number) => String(n).padStart(2, '0');
const minuteOf = (iso: string | null | undefined): string | null => {
  if (!iso) return null;
  const [d, t = '23:59'] = iso.split('T') as [string, string?];
  const [y, m, day] = d.split('-').map(Number) as [number, number, number];
  const [h, min] = t.split(':').map(Number) as [number, number];
  const l = toLocal(fromLocal({ year: y, month: m, day, hour: h, minute: min, second: 0 }, TZ), TZ);
  return `${l.year}-${pad(l.month)}-${pad(l.day)}T${pad(l.hour)}:${pad(l.minute)}`;
};
const seedDue = (c: (typeof CASES)[number], title: string): Date | null => {
  const due = c.seed?.find((s) => s.t === title)?.due;
  if (!due) return null;
  const r = resolveWhen(due, TZ);
  return new Date(fromLocal(toParts(r.length === 10 ? `${r}T23:59` : r), TZ));
};
const toParts = (s: string) => {
  const [d, t] = s.split('T') as [string, string];
  const [year, month, day] = d.split('-').map(Number) as [number, number, number];
  const [hour, minute] = t.split(':').map(Number) as [number, number];
  return { year, month, day, hour, minute, second: 0 };
};

function chronoChange(text: string): DueChange | null {
  const r = chrono.parse(text, { instant: EVAL_NOW, timezone: TZ }, { forwardDate: true }).at(-1);
  if (!r) return null;
  const s = r.start;
  const change: DueChange = {};
  if (s.isCertain('day') || s.isCertain('weekday')) change.date = { year: s.get('year') ?? 0, month: s.get('month') ?? 0, day: s.get('day') ?? 0 };
  if (s.isCertain('hour')) change.time = { hour: s.get('hour') ?? 0, minute: s.get('minute') ?? 0 };
  return change.date || change.time ? change : null;
}

// ---- dates
let dateCases = 0;
let handDates = 0;
let chronoDates = 0;
let t0 = performance.now();
for (const c of CASES) {
  if (Array.isArray(c.say) || c.say.includes('{')) continue;
  const added = c.add?.length === 1 ? c.add[0] : undefined;
  const changed = c.ch && Object.entries(c.ch).length === 1 ? Object.entries(c.ch)[0] : undefined;
  const want = added?.due ?? changed?.[1].due;
  if (!want) continue;
  dateCases++;
  const expected = expectedMinute(want, TZ);
  const current = changed ? seedDue(c, changed[0]) : null;
  // Hand-written: the reader as the assistant runs it.
  let hand: string | null = null;
  if (added) {
    const p = parseMessage(c.say, { now: EVAL_NOW, timezone: TZ });
    hand = p.kind === 'tool' ? minuteOf(p.call.arguments['due_date'] as string | undefined) : null;
  } else {
    const u = understand(c.say, { now: EVAL_NOW, timezone: TZ });
    hand = u.kind === 'act' && u.changes.due ? minuteOf(plannedDue(current, u.changes.due, clock)) : null;
  }
  const ch = chronoChange(c.say);
  const viaChrono = ch ? minuteOf(plannedDue(current, ch, clock)) : null;
  if (hand === expected) handDates++;
  if (viaChrono === expected) chronoDates++;
}
const dateMs = performance.now() - t0;

// ---- word forms: the same matcher with two normalisers
const compromiseRoot = (word: string): string => {
  const d = nlp(word);
  d.compute('root');
  return d.text('root').toLowerCase();
};
function strength(phrase: string, title: string, norm: (w: string) => string): number {
  const q = contentWords(phrase).map(norm);
  const t = contentWords(title).map(norm);
  if (q.length === 0) return 0;
  const hits = q.filter((w) => t.includes(w)).length;
  if (hits < q.length) return 0;
  return hits === t.length ? 3 : 2;
}
let nameCases = 0;
const picked = { hand: 0, compromise: 0 };
const cost = { hand: 0, compromise: 0 };
for (const c of CASES) {
  if (Array.isArray(c.say) || c.say.includes('{') || !c.ch || Object.keys(c.ch).length !== 1 || !c.seed) continue;
  const u = understand(c.say, { now: EVAL_NOW, timezone: TZ });
  if (u.kind !== 'act' || u.target.kind !== 'title') continue;
  const wanted = Object.keys(c.ch)[0];
  nameCases++;
  for (const [name, norm] of [['hand', stem], ['compromise', compromiseRoot]] as const) {
    t0 = performance.now();
    const scores = c.seed.map((s) => strength(u.target.kind === 'title' ? u.target.text : '', s.t, norm));
    cost[name] += performance.now() - t0;
    const best = Math.max(...scores);
    const winners = c.seed.filter((_s, i) => scores[i] === best && best > 0);
    if (winners.length === 1 && winners[0]?.t === wanted) picked[name]++;
  }
}

process.stdout.write(`dates (${dateCases} cases with a due date): hand-written ${handDates}, chrono-node ${chronoDates} (${dateMs.toFixed(0)} ms both)\n`);
process.stdout.write(`names (${nameCases} cases naming one task): hand-written stems ${picked.hand}, compromise roots ${picked.compromise}; cost ${cost.hand.toFixed(1)} ms vs ${cost.compromise.toFixed(1)} ms\n`);
