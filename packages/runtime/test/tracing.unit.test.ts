import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import { createLogger, currentTrace, type FinishedSpan, inSpan, OtlpTraceExporter, otlpTraceRequest, parseTraceparent, setSpanSink, startSpan } from '../src/index.ts';

const logger = createLogger({ level: 'silent' });
after(() => setSpanSink(null));

test('spans nest: a child keeps the trace, names its parent, and a thrown error marks it failed', async () => {
  const ended: FinishedSpan[] = [];
  setSpanSink((s) => ended.push(s));
  const caller = parseTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01');
  await inSpan('PATCH /api/v1/tasks/:id/complete', 'server', caller, { 'http.route': '/api/v1/tasks/:id/complete' }, async (server) => {
    assert.equal(currentTrace()?.spanId, server.context.spanId, 'the span is the current context inside');
    await assert.rejects(
      inSpan('task-events publish', 'producer', undefined, {}, async () => {
        throw new Error('broker unavailable');
      }),
    );
    startSpan('invoke api', 'client').end();
  });
  setSpanSink(null);
  assert.deepEqual(ended.map((s) => s.name), ['task-events publish', 'invoke api', 'PATCH /api/v1/tasks/:id/complete']);
  const [publish, invoke, server] = ended as [FinishedSpan, FinishedSpan, FinishedSpan];
  assert.equal(server.parentSpanId, '00f067aa0ba902b7');
  for (const s of ended) assert.equal(s.traceId, '4bf92f3577b34da6a3ce929d0e0e4736');
  assert.equal(publish.parentSpanId, server.spanId);
  assert.equal(invoke.parentSpanId, server.spanId);
  assert.equal(publish.error, 'broker unavailable');
  assert.equal(server.error, null);
  assert.ok(server.endUnixNano >= server.startUnixNano);
  assert.equal(currentTrace(), undefined, 'nothing leaks out of the span');
});

test('the OTLP/HTTP JSON body has hex ids, numeric kinds, nanosecond strings and an error status', () => {
  const span: FinishedSpan = {
    traceId: 'a'.repeat(32),
    spanId: 'b'.repeat(16),
    parentSpanId: null,
    name: 'task-events process',
    kind: 'consumer',
    startUnixNano: 1_700_000_000_000_000_000n,
    endUnixNano: 1_700_000_000_500_000_000n,
    attributes: { 'messaging.destination.name': 'task-events', attempt: 2, ok: false, ratio: 0.5 },
    error: 'delivery RETRY',
  };
  const body = otlpTraceRequest([span], { 'service.name': 'dueflow-recurring' });
  const rs = body.resourceSpans[0];
  assert.deepEqual(rs?.resource.attributes, [{ key: 'service.name', value: { stringValue: 'dueflow-recurring' } }]);
  const out = rs?.scopeSpans[0]?.spans[0];
  assert.deepEqual(out, {
    traceId: 'a'.repeat(32),
    spanId: 'b'.repeat(16),
    name: 'task-events process',
    kind: 5,
    startTimeUnixNano: '1700000000000000000',
    endTimeUnixNano: '1700000000500000000',
    attributes: [
      { key: 'messaging.destination.name', value: { stringValue: 'task-events' } },
      { key: 'attempt', value: { intValue: '2' } },
      { key: 'ok', value: { boolValue: false } },
      { key: 'ratio', value: { doubleValue: 0.5 } },
    ],
    status: { code: 2, message: 'delivery RETRY' },
  });
});

test('the exporter posts batches to the collector and survives a collector that is down', async () => {
  const received: unknown[] = [];
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      received.push({ path: req.url, type: req.headers['content-type'], auth: req.headers['x-api-key'], body: JSON.parse(text) });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const exporter = new OtlpTraceExporter({ url: `http://127.0.0.1:${port}/v1/traces`, resource: { 'service.name': 'dueflow-api' }, headers: { 'x-api-key': 'k' }, logger, maxBatch: 2 });
  setSpanSink(exporter.sink);
  for (const name of ['a', 'b', 'c']) startSpan(name, 'internal', null).end();
  await exporter.flush();
  setSpanSink(null);
  const names = received.flatMap((r) => (r as { body: ReturnType<typeof otlpTraceRequest> }).body.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans.map((s) => s.name))));
  assert.deepEqual(names, ['a', 'b', 'c']);
  assert.equal(received.length, 2, 'batches of at most two');
  assert.deepEqual((received[0] as { path: string; type: string; auth: string }).path, '/v1/traces');
  assert.equal((received[0] as { type: string }).type, 'application/json');
  assert.equal((received[0] as { auth: string }).auth, 'k');
  await new Promise<void>((r) => server.close(() => r()));

  // Nothing listens any more: the spans are dropped, nothing throws.
  const down = new OtlpTraceExporter({ url: `http://127.0.0.1:${port}/v1/traces`, resource: { 'service.name': 'x' }, logger });
  down.sink({ ...startSpanData(), name: 'lost' });
  await down.shutdown();
});

function startSpanData(): FinishedSpan {
  return { traceId: 'c'.repeat(32), spanId: 'd'.repeat(16), parentSpanId: null, name: 'x', kind: 'internal', startUnixNano: 1n, endUnixNano: 2n, attributes: {}, error: null };
}
