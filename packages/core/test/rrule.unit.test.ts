import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DomainError } from '../src/errors.ts';
import { formatRRule, parseRRule, type RRule } from '../src/recurrence/index.ts';

const invalidRecurrence = (e: unknown) => e instanceof DomainError && e.code === 'INVALID_RECURRENCE' && e.kind === 'validation';

describe('parseRRule', () => {
  test('parses every supported part, with or without the RRULE: prefix', () => {
    const rule = parseRRule('RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TH,MO;WKST=SU;COUNT=10');
    const expected: RRule = {
      freq: 'WEEKLY',
      interval: 2,
      count: 10,
      until: null,
      untilLocal: null,
      byDay: [
        { weekday: 'MO', n: null },
        { weekday: 'TH', n: null },
      ],
      byMonthDay: [],
      byMonth: [],
      bySetPos: [],
      byHour: [],
      byMinute: [],
      wkst: 'SU',
    };
    assert.deepEqual(rule, expected);
    assert.deepEqual(parseRRule('FREQ=WEEKLY;INTERVAL=2;BYDAY=TH,MO;WKST=SU;COUNT=10'), expected);
  });

  test('names and values are case-insensitive', () => {
    const rule = parseRRule('rrule:freq=monthly;byday=-1fr,+1mo');
    assert.equal(rule.freq, 'MONTHLY');
    assert.deepEqual(rule.byDay, [
      { weekday: 'MO', n: 1 },
      { weekday: 'FR', n: -1 },
    ]);
  });

  test('defaults: interval 1, WKST Monday, no limits', () => {
    const rule = parseRRule('FREQ=DAILY');
    assert.equal(rule.interval, 1);
    assert.equal(rule.wkst, 'MO');
    assert.equal(rule.count, null);
    assert.equal(rule.until, null);
    assert.equal(rule.untilLocal, null);
  });

  test('UNTIL as UTC date-time, date, or floating date-time', () => {
    assert.equal(parseRRule('FREQ=DAILY;UNTIL=20270131T235959Z').until?.toISOString(), '2027-01-31T23:59:59.000Z');
    assert.deepEqual(parseRRule('FREQ=DAILY;UNTIL=20270131').untilLocal, {
      year: 2027,
      month: 1,
      day: 31,
      hour: 23,
      minute: 59,
      second: 59,
      dateOnly: true,
    });
    assert.deepEqual(parseRRule('FREQ=DAILY;UNTIL=20270131T090000').untilLocal, {
      year: 2027,
      month: 1,
      day: 31,
      hour: 9,
      minute: 0,
      second: 0,
      dateOnly: false,
    });
  });

  test('list values are sorted and de-duplicated', () => {
    const rule = parseRRule('FREQ=MONTHLY;BYMONTHDAY=-1,15,1,15;BYSETPOS=-1,2;BYHOUR=17,9;BYMINUTE=30,0');
    assert.deepEqual(rule.byMonthDay, [1, 15, -1]);
    assert.deepEqual(rule.bySetPos, [2, -1]);
    assert.deepEqual(rule.byHour, [9, 17]);
    assert.deepEqual(rule.byMinute, [0, 30]);
  });

  const rejected: [string, string][] = [
    ['', 'empty'],
    ['RRULE:', 'empty after prefix'],
    ['INTERVAL=2', 'no FREQ'],
    ['FREQ=HOURLY', 'sub-daily frequency'],
    ['FREQ=MINUTELY', 'sub-daily frequency'],
    ['FREQ=SECONDLY', 'sub-daily frequency'],
    ['FREQ=FORTNIGHTLY', 'unknown frequency'],
    ['FREQ=DAILY;FREQ=WEEKLY', 'duplicate part'],
    ['FREQ=DAILY;;COUNT=2', 'empty part'],
    ['FREQ=DAILY;COLOR=RED', 'unknown part'],
    ['FREQ=YEARLY;BYWEEKNO=20', 'unsupported part'],
    ['FREQ=YEARLY;BYYEARDAY=100', 'unsupported part'],
    ['FREQ=DAILY;BYSECOND=0', 'unsupported part'],
    ['FREQ=DAILY;INTERVAL=0', 'interval < 1'],
    ['FREQ=DAILY;INTERVAL=-2', 'negative interval'],
    ['FREQ=DAILY;INTERVAL=1.5', 'fractional interval'],
    ['FREQ=DAILY;COUNT=0', 'count < 1'],
    ['FREQ=DAILY;COUNT=', 'empty value'],
    ['FREQ=DAILY;COUNT=3;UNTIL=20270101T000000Z', 'COUNT and UNTIL'],
    ['FREQ=DAILY;UNTIL=20270230', 'impossible UNTIL date'],
    ['FREQ=DAILY;UNTIL=2027-01-01', 'UNTIL not in RFC form'],
    ['FREQ=DAILY;UNTIL=20270101T250000Z', 'UNTIL hour 25'],
    ['FREQ=MONTHLY;BYMONTHDAY=32', 'BYMONTHDAY out of range'],
    ['FREQ=MONTHLY;BYMONTHDAY=0', 'BYMONTHDAY zero'],
    ['FREQ=MONTHLY;BYMONTHDAY=1,,2', 'empty list item'],
    ['FREQ=YEARLY;BYMONTH=13', 'BYMONTH out of range'],
    ['FREQ=YEARLY;BYMONTH=0', 'BYMONTH zero'],
    ['FREQ=WEEKLY;BYDAY=XX', 'unknown weekday'],
    ['FREQ=WEEKLY;BYDAY=1MO', 'ordinal with WEEKLY'],
    ['FREQ=DAILY;BYDAY=-1FR', 'ordinal with DAILY'],
    ['FREQ=MONTHLY;BYDAY=6MO', 'ordinal beyond 5 within a month'],
    ['FREQ=YEARLY;BYDAY=54MO', 'ordinal beyond 53'],
    ['FREQ=MONTHLY;BYDAY=0MO', 'ordinal zero'],
    ['FREQ=WEEKLY;BYMONTHDAY=1', 'BYMONTHDAY with WEEKLY'],
    ['FREQ=MONTHLY;BYDAY=MO;BYSETPOS=0', 'BYSETPOS zero'],
    ['FREQ=MONTHLY;BYDAY=MO;BYSETPOS=367', 'BYSETPOS out of range'],
    ['FREQ=MONTHLY;BYDAY=MO;BYSETPOS=-367', 'BYSETPOS out of range'],
    ['FREQ=MONTHLY;BYSETPOS=1', 'BYSETPOS alone'],
    ['FREQ=DAILY;BYHOUR=24', 'BYHOUR out of range'],
    ['FREQ=DAILY;BYMINUTE=60', 'BYMINUTE out of range'],
    ['FREQ=DAILY;WKST=XX', 'bad WKST'],
    ['FREQ', 'part without value'],
  ];
  for (const [text, why] of rejected) {
    test(`rejects ${JSON.stringify(text)} (${why})`, () => {
      assert.throws(() => parseRRule(text), invalidRecurrence);
    });
  }

  test('error messages say what is wrong', () => {
    assert.throws(() => parseRRule('FREQ=HOURLY'), /HOURLY is not supported/);
    assert.throws(() => parseRRule('FREQ=DAILY;COUNT=3;UNTIL=20270101'), /COUNT and UNTIL/);
    assert.throws(() => parseRRule('FREQ=DAILY;FOO=1'), /unknown RRULE part FOO/);
  });
});

describe('formatRRule', () => {
  test('canonical strings round-trip exactly', () => {
    const canonical = [
      'FREQ=DAILY',
      'FREQ=DAILY;INTERVAL=3;COUNT=5',
      'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR',
      'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;WKST=SU',
      'FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1',
      'FREQ=MONTHLY;BYMONTHDAY=1,15,-1',
      'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1',
      'FREQ=MONTHLY;BYDAY=1MO,-1FR',
      'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=28,29;BYSETPOS=-1',
      'FREQ=YEARLY;BYMONTH=11;BYDAY=4TH',
      'FREQ=DAILY;BYHOUR=9,17;BYMINUTE=0,30',
      'FREQ=DAILY;UNTIL=20270131T235959Z',
      'FREQ=DAILY;UNTIL=20270131',
      'FREQ=DAILY;UNTIL=20270131T090000',
    ];
    for (const text of canonical) assert.equal(formatRRule(parseRRule(text)), text);
  });

  test('normalizes order, case, defaults and the prefix', () => {
    assert.equal(
      formatRRule(parseRRule('RRULE:wkst=mo;byday=th,mo;interval=1;freq=weekly;count=4')),
      'FREQ=WEEKLY;BYDAY=MO,TH;COUNT=4',
    );
    assert.equal(
      formatRRule(parseRRule('UNTIL=20270101T000000Z;BYSETPOS=-1;BYDAY=FR;BYMONTHDAY=-1,-2;BYMONTH=3,1;INTERVAL=2;FREQ=YEARLY')),
      'FREQ=YEARLY;INTERVAL=2;BYMONTH=1,3;BYMONTHDAY=-1,-2;BYDAY=FR;BYSETPOS=-1;UNTIL=20270101T000000Z',
    );
  });

  test('validates rules built in code', () => {
    const base = parseRRule('FREQ=DAILY');
    assert.throws(() => formatRRule({ ...base, interval: 0 }), invalidRecurrence);
    assert.throws(() => formatRRule({ ...base, count: 2, until: new Date('2027-01-01T00:00:00Z') }), invalidRecurrence);
    assert.throws(() => formatRRule({ ...base, byMonthDay: [40] }), invalidRecurrence);
    assert.throws(() => formatRRule({ ...base, until: new Date(Number.NaN) }), invalidRecurrence);
    assert.equal(formatRRule({ ...base, until: new Date('2027-03-04T05:06:07.890Z') }), 'FREQ=DAILY;UNTIL=20270304T050607Z');
  });
});
