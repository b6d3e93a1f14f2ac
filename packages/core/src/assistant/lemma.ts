// Base forms of past-tense verbs, so "I paid the rent" can be read as "pay the rent".

/** Simple pasts that suffix rules cannot undo (present forms like "put" or "read" are left out: they read as commands). */
export const IRREGULAR_PAST: Readonly<Record<string, string>> = {
  paid: 'pay', bought: 'buy', brought: 'bring', did: 'do', went: 'go', wrote: 'write', sent: 'send', made: 'make', took: 'take',
  got: 'get', gave: 'give', saw: 'see', met: 'meet', ran: 'run', fed: 'feed', left: 'leave', kept: 'keep', sold: 'sell',
  told: 'tell', found: 'find', built: 'build', spent: 'spend', taught: 'teach', caught: 'catch', ate: 'eat', drove: 'drive',
  swept: 'sweep', hung: 'hang', began: 'begin', chose: 'choose', flew: 'fly', drew: 'draw', won: 'win', woke: 'wake',
  sang: 'sing', spoke: 'speak', rode: 'ride', threw: 'throw', wore: 'wear', sat: 'sit', stood: 'stand', swam: 'swim',
  understood: 'understand', forgot: 'forget', lent: 'lend', sought: 'seek', thought: 'think', heard: 'hear', held: 'hold',
};

/** "called" → "call", "booked" → "book", "stopped" → "stop", "tidied" → "tidy", "paid" → "pay". */
export function lemma(word: string): string {
  const w = word.toLowerCase();
  const irregular = IRREGULAR_PAST[w];
  if (irregular) return irregular;
  if (w.endsWith('ied') && w.length > 4) return `${w.slice(0, -3)}y`;
  if (w.endsWith('ed') && w.length > 4) {
    const stem = w.slice(0, -2);
    if (/([bdgmnprt])\1$/.test(stem)) return stem.slice(0, -1);
    // "moved", "baked", "raked": the stem ends in a consonant after one vowel, so it kept an "e".
    if (/[^aeiou][aeiou][cgkvsz]$/.test(stem) || /(?:at|iz|is|ur|ar|or|ir)$/.test(stem) && !/(?:ound|int)$/.test(stem)) return `${stem}e`;
    return stem;
  }
  return w;
}
