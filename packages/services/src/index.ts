export * from './tasks/task-service.ts';
export * from './tasks/events.ts';
export * from './audit/audit-consumer.ts';
export * from './recurring/recurring-consumer.ts';
export * from './notification/notification-service.ts';
export * from './notification/push.ts';
export * from './realtime/hub.ts';
export * from './consume.ts';
