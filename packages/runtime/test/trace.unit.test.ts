import assert from 'node:assert/strict';
import { test } from 'node:test';
import { childTrace, currentTrace, parseTraceparent, withTrace } from '../src/trace.ts';

test('traceparent: valid headers parse, malformed and all-zero ids do not', () => {
  assert.deepEqual(parseTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'), {
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    spanId: '00f067aa0ba902b7',
    traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
  });
  for (const bad of [undefined, '', 'garbage', '00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01', '00-00000000000000000000000000000000-00f067aa0ba902b7-01', '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01']) {
    assert.equal(parseTraceparent(bad), null, String(bad));
  }
});

test('a child keeps the trace and gets a new span; no parent starts a new trace', () => {
  const parent = parseTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01');
  const child = childTrace(parent);
  assert.equal(child.traceId, parent?.traceId);
  assert.notEqual(child.spanId, parent?.spanId);
  assert.match(childTrace(null).traceparent, /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
});

test('the context follows async work inside withTrace and not outside', async () => {
  const t = childTrace(null);
  assert.equal(currentTrace(), undefined);
  await withTrace(t, async () => {
    await new Promise((r) => setTimeout(r, 1));
    assert.equal(currentTrace()?.traceId, t.traceId);
  });
  assert.equal(currentTrace(), undefined);
});
