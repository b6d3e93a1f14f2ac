// Forgiving title matching for the assistant: "calling mom" finds "Call mom", "the groceries" finds
// "Buy groceries", "cal mom" finds "Call mom", and two tasks that fit equally well are reported as a tie
// so the caller asks instead of guessing. Pure: words in, ranked tasks out.

/** Words that never tell tasks apart. */
const STOP = new Set(
  ('a an the my our your his her their this that these those some any of to for on in at by with and or from ' +
    'task tasks todo todos to-do item items one thing things stuff entry list please just really already ' +
    'it its i me we you is are was be been have has had do did done').split(' '),
);

/** Past tenses and participles that suffix rules cannot undo. */
const IRREGULAR: Readonly<Record<string, string>> = {
  paid: 'pay', bought: 'buy', brought: 'bring', did: 'do', done: 'do', went: 'go', gone: 'go', wrote: 'write', written: 'write',
  sent: 'send', made: 'make', took: 'take', taken: 'take', got: 'get', gotten: 'get', gave: 'give', given: 'give', saw: 'see',
  seen: 'see', met: 'meet', ran: 'run', read: 'read', fed: 'feed', fixed: 'fix', left: 'leave', kept: 'keep', sold: 'sell',
  told: 'tell', thought: 'think', found: 'find', built: 'build', spent: 'spend', taught: 'teach', caught: 'catch', ate: 'eat',
  eaten: 'eat', drove: 'drive', driven: 'drive', swept: 'sweep', washed: 'wash', hung: 'hang', put: 'put', set: 'set',
  cut: 'cut', shut: 'shut', began: 'begin', begun: 'begin', chose: 'choose', chosen: 'choose', flew: 'fly', drew: 'draw',
  drawn: 'draw', forgot: 'forget', forgotten: 'forget', won: 'win', lost: 'lose', understood: 'understand', woke: 'wake',
  children: 'child', men: 'man', women: 'woman', people: 'person', feet: 'foot', teeth: 'tooth', mice: 'mouse',
};

const VOWEL = /[aeiou]/;

/**
 * A light stem: "calling", "called", "calls" → "call"; "groceries", "grocery" → "groceri"; "writing",
 * "write", "written" → "writ"; "meetings" → "meet". Both sides of a comparison go through it, so it only
 * has to be consistent, not pretty.
 */
export function stem(raw: string): string {
  let w = raw.toLowerCase().replace(/['’]s$/, '').replace(/[^\p{L}\p{N}]/gu, '');
  const irregular = IRREGULAR[w];
  if (irregular) w = irregular;
  if (w.length <= 3) return w;
  if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}i`;
  else if (/(?:ss|us|is)$/.test(w)) {
    /* "glass", "bus", "analysis" are not plurals */
  } else if (/(?:ches|shes|xes|sses|zes)$/.test(w)) w = w.slice(0, -2);
  else if (w.endsWith('s') && !w.endsWith('ss')) w = w.slice(0, -1);
  for (const suffix of ['ing', 'ed']) {
    if (w.endsWith(suffix) && w.length - suffix.length >= 3 && VOWEL.test(w.slice(0, -suffix.length))) {
      w = w.slice(0, -suffix.length);
      // "running" → "runn" → "run"; "called" keeps its "ll" ("call").
      if (/([bdfgmnprt])\1$/.test(w)) w = w.slice(0, -1);
      break;
    }
  }
  if (w.endsWith('y') && w.length > 3) w = `${w.slice(0, -1)}i`;
  if (w.endsWith('e') && w.length > 3) w = w.slice(0, -1);
  return w;
}

/** The words of a text that can tell tasks apart, lower-cased (not stemmed). */
export function contentWords(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/['’]s\b/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== '' && !STOP.has(w));
}

export const contentStems = (text: string): string[] => contentWords(text).map(stem);

/** Levenshtein distance, stopping early once it exceeds `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const v = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      cur.push(v);
      best = Math.min(best, v);
    }
    if (best > max) return max + 1;
    prev = cur;
  }
  return prev[b.length] ?? max + 1;
}

/** How far two words may be apart and still be one word misspelt: none under 4 letters, 1 up to 7, 2 beyond. */
const typoBudget = (w: string): number => (w.length < 4 ? 0 : w.length < 8 ? 1 : 2);

/** 2: same stem; 1: a small typo apart; 0: different words. */
export function wordMatch(query: string, titleWord: string): 0 | 1 | 2 {
  const [q, t] = [stem(query), stem(titleWord)];
  if (q === t) return 2;
  const raw = [query.toLowerCase(), titleWord.toLowerCase()];
  const [a, b] = [raw[0] ?? '', raw[1] ?? ''];
  // "cal" for "call": a short word missing one letter, same start.
  if (Math.min(a.length, b.length) === 3 && Math.abs(a.length - b.length) === 1 && a[0] === b[0]) return editDistance(a, b, 1) <= 1 ? 1 : 0;
  const budget = Math.min(typoBudget(a), typoBudget(b));
  if (budget === 0) return 0;
  return editDistance(raw[0] ?? '', raw[1] ?? '', budget) <= budget || editDistance(q, t, budget) <= budget ? 1 : 0;
}

/**
 * How well a phrase names a title, best first:
 * - exact: the same words, ignoring case, articles and punctuation;
 * - full: every word of each side is in the other, allowing word forms and small typos;
 * - contained: every word of the phrase is in the title, which has more ("groceries" → "Buy groceries");
 * - partial: some words of the phrase are not in the title ("cal mum bday" → "Call mom").
 */
export type MatchStrength = 'exact' | 'full' | 'contained' | 'partial';
export const STRENGTH_RANK: Readonly<Record<MatchStrength, number>> = { exact: 4, full: 3, contained: 2, partial: 1 };

const plain = (s: string): string => contentWords(s).join(' ');

export function matchStrength(phrase: string, title: string): MatchStrength | null {
  const q = contentWords(phrase);
  const t = contentWords(title);
  if (q.length === 0 || t.length === 0) return null;
  if (plain(phrase) === plain(title)) return 'exact';
  const used = new Set<number>();
  let matched = 0;
  let typos = 0;
  for (const word of q) {
    let best = -1;
    let bestScore = 0;
    t.forEach((tw, i) => {
      const s = wordMatch(word, tw);
      if (s > bestScore || (s === bestScore && s > 0 && used.has(best) && !used.has(i))) {
        best = i;
        bestScore = s;
      }
    });
    if (bestScore > 0) {
      matched++;
      if (bestScore === 1) typos++;
      used.add(best);
    }
  }
  if (matched === 0) return null;
  if (matched < q.length) return matched * 2 >= q.length && typos === 0 ? 'partial' : null;
  if (used.size >= t.length) return 'full';
  return 'contained';
}

export interface Candidate<T> {
  task: T;
  strength: MatchStrength;
}

/** Tasks a phrase names, strongest first (only the strongest kind is kept). */
export function bestMatches<T extends { title: string }>(phrase: string, tasks: readonly T[]): Candidate<T>[] {
  let best = 0;
  const out: Candidate<T>[] = [];
  for (const task of tasks) {
    const strength = matchStrength(phrase, task.title);
    if (!strength) continue;
    const rank = STRENGTH_RANK[strength];
    if (rank > best) {
      best = rank;
      out.length = 0;
    }
    if (rank === best) out.push({ task, strength });
  }
  return out;
}

/** True when every word names a title word (or a tag) of the task: "meetings" → "Team meeting", "errands" → #errands. */
export function hasWords(words: readonly string[], title: string, tags: readonly string[] = []): boolean {
  const t = [...contentWords(title), ...tags.flatMap((tag) => contentWords(tag))];
  return words.every((w) => t.some((tw) => wordMatch(w, tw) > 0));
}
