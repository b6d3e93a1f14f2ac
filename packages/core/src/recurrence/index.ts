// RFC 5545 recurrence rules evaluated on the user's wall clock, and the task-level recurrence model.
export { parseRRule, formatRRule, validateRRule } from './rrule.ts';
export type { RRule, ByDay, Frequency, FloatingUntil, Weekday } from './rrule.ts';
export { occurrences, occurrencesAfter, occurrencesWithLocal } from './expand.ts';
export type { Occurrence } from './expand.ts';
export { buildRecurrence, nextOccurrence, patternRule, INTERVAL_MAX, COUNT_MAX } from './recurrence.ts';
export type { Pattern, Recurrence, RecurrenceFrom, RecurrenceInput, NextOccurrenceContext } from './recurrence.ts';
export { describeRecurrence, type DescribeOptions } from './describe.ts';
