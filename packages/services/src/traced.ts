import type { OutboxMessage } from '@dueflow/db';
import { currentTrace } from '@dueflow/runtime';

/** Stamps the current trace context on outgoing events, so consumers continue the same trace. */
export function traced(messages: OutboxMessage[]): OutboxMessage[] {
  const t = currentTrace();
  if (!t) return messages;
  return messages.map((m) => (m.event.traceparent ? m : { ...m, event: { ...m.event, traceparent: t.traceparent } }));
}
