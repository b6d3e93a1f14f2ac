// Drizzle view of migrations/*.sql. The SQL files are the source of truth; keep both in step.
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  customType,
  integer,
  jsonb,
  pgTable,
  smallint,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';

const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

export const users = pgTable('users', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  email: text('email').notNull().unique(),
  emailVerified: boolean('email_verified').notNull().default(false),
  image: text('image'),
  timezone: text('timezone').notNull().default('UTC'),
  createdAt: tstz('created_at').notNull().defaultNow(),
  updatedAt: tstz('updated_at').notNull().defaultNow(),
});

export const sessions = pgTable('sessions', {
  id: text('id').primaryKey(),
  userId: text('user_id').notNull(),
  token: text('token').notNull().unique(),
  expiresAt: tstz('expires_at').notNull(),
  ipAddress: text('ip_address'),
  userAgent: text('user_agent'),
  createdAt: tstz('created_at').notNull().defaultNow(),
  updatedAt: tstz('updated_at').notNull().defaultNow(),
});

export const accounts = pgTable('accounts', {
  id: text('id').primaryKey(),
  userId: text('user_id').notNull(),
  accountId: text('account_id').notNull(),
  providerId: text('provider_id').notNull(),
  accessToken: text('access_token'),
  refreshToken: text('refresh_token'),
  idToken: text('id_token'),
  accessTokenExpiresAt: tstz('access_token_expires_at'),
  refreshTokenExpiresAt: tstz('refresh_token_expires_at'),
  scope: text('scope'),
  password: text('password'),
  createdAt: tstz('created_at').notNull().defaultNow(),
  updatedAt: tstz('updated_at').notNull().defaultNow(),
});

export const verifications = pgTable('verifications', {
  id: text('id').primaryKey(),
  identifier: text('identifier').notNull(),
  value: text('value').notNull(),
  expiresAt: tstz('expires_at').notNull(),
  createdAt: tstz('created_at').notNull().defaultNow(),
  updatedAt: tstz('updated_at').notNull().defaultNow(),
});

export const tasks = pgTable('tasks', {
  id: bigint('id', { mode: 'bigint' }).primaryKey().generatedAlwaysAsIdentity(),
  userId: text('user_id').notNull(),
  title: text('title').notNull(),
  description: text('description').notNull().default(''),
  completed: boolean('completed').notNull().default(false),
  completedAt: tstz('completed_at'),
  priority: text('priority', { enum: ['high', 'medium', 'low'] }).notNull().default('medium'),
  priorityRank: smallint('priority_rank').generatedAlwaysAs(sql`CASE priority WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END`),
  tags: text('tags').array().notNull().default(sql`'{}'`),
  dueDate: tstz('due_date'),
  reminderAt: tstz('reminder_at'),
  reminderSetAt: tstz('reminder_set_at').notNull().defaultNow(),
  remindBeforeMinutes: integer('remind_before_minutes'),
  recurrence: jsonb('recurrence'),
  recurringParentId: bigint('recurring_parent_id', { mode: 'bigint' }),
  seriesId: uuid('series_id'),
  seriesIndex: integer('series_index').notNull().default(1),
  version: integer('version').notNull().default(1),
  createdAt: tstz('created_at').notNull().defaultNow(),
  updatedAt: tstz('updated_at').notNull().defaultNow(),
  titleSort: text('title_sort').generatedAlwaysAs(sql`lower(title)`),
  searchText: text('search_text').generatedAlwaysAs(sql`lower(title || ' ' || description)`),
  searchVector: tsvector('search_vector').generatedAlwaysAs(sql`to_tsvector('simple', title)`),
});

export const outbox = pgTable('outbox', {
  id: bigint('id', { mode: 'bigint' }).primaryKey().generatedAlwaysAsIdentity(),
  eventId: uuid('event_id').notNull().unique(),
  topic: text('topic').notNull(),
  partitionKey: text('partition_key').notNull(),
  event: jsonb('event').notNull(),
  createdAt: tstz('created_at').notNull().defaultNow(),
  publishedAt: tstz('published_at'),
  attempts: integer('attempts').notNull().default(0),
  nextAttemptAt: tstz('next_attempt_at').notNull().defaultNow(),
  claimedUntil: tstz('claimed_until'),
  lastError: text('last_error'),
});

export const processedEvents = pgTable('processed_events', {
  consumer: text('consumer').notNull(),
  eventId: text('event_id').notNull(),
  processedAt: tstz('processed_at').notNull().defaultNow(),
});

export const deadLetters = pgTable('dead_letters', {
  id: bigint('id', { mode: 'bigint' }).primaryKey().generatedAlwaysAsIdentity(),
  consumer: text('consumer').notNull(),
  topic: text('topic').notNull(),
  eventId: text('event_id').notNull(),
  event: jsonb('event').notNull(),
  error: text('error').notNull(),
  attempts: integer('attempts').notNull(),
  createdAt: tstz('created_at').notNull().defaultNow(),
  replays: integer('replays').notNull().default(0),
  replayAt: tstz('replay_at'),
  lastReplayedAt: tstz('last_replayed_at'),
  updatedAt: tstz('updated_at').notNull().defaultNow(),
});

export const activityLog = pgTable('activity_log', {
  id: bigint('id', { mode: 'bigint' }).primaryKey().generatedAlwaysAsIdentity(),
  eventId: uuid('event_id').notNull().unique(),
  userId: text('user_id').notNull(),
  taskId: bigint('task_id', { mode: 'bigint' }).notNull(),
  eventType: text('event_type').notNull(),
  occurredAt: tstz('occurred_at').notNull(),
  data: jsonb('data').notNull(),
});

export const notifications = pgTable('notifications', {
  id: bigint('id', { mode: 'bigint' }).primaryKey().generatedAlwaysAsIdentity(),
  userId: text('user_id').notNull(),
  taskId: bigint('task_id', { mode: 'bigint' }).notNull(),
  title: text('title').notNull(),
  dueAt: tstz('due_at'),
  remindAt: tstz('remind_at').notNull(),
  deliveredAt: tstz('delivered_at').notNull().defaultNow(),
  read: boolean('read').notNull().default(false),
});

export const pushSubscriptions = pgTable('push_subscriptions', {
  id: bigint('id', { mode: 'bigint' }).primaryKey().generatedAlwaysAsIdentity(),
  userId: text('user_id').notNull(),
  endpoint: text('endpoint').notNull().unique(),
  p256dh: text('p256dh').notNull(),
  auth: text('auth').notNull(),
  createdAt: tstz('created_at').notNull().defaultNow(),
});

export const apiTokens = pgTable('api_tokens', {
  id: text('id').primaryKey(),
  userId: text('user_id').notNull(),
  name: text('name').notNull(),
  tokenHash: text('token_hash').notNull().unique(),
  prefix: text('prefix').notNull(),
  scope: text('scope').$type<'read' | 'read-write'>().notNull(),
  createdAt: tstz('created_at').notNull(),
  expiresAt: tstz('expires_at'),
  lastUsedAt: tstz('last_used_at'),
});

export const schema = {
  users,
  sessions,
  accounts,
  verifications,
  tasks,
  outbox,
  processedEvents,
  deadLetters,
  activityLog,
  notifications,
  pushSubscriptions,
  apiTokens,
};
export type Schema = typeof schema;

export const stateEntries = pgTable('state_entries', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: tstz('updated_at').notNull().defaultNow(),
});

export const deletedTasks = pgTable('deleted_tasks', {
  id: bigint('id', { mode: 'bigint' }).primaryKey(),
  userId: text('user_id').notNull(),
  task: jsonb('task').notNull(),
  deletedAt: tstz('deleted_at').notNull(),
});

export const savedFilters = pgTable('saved_filters', {
  id: bigint('id', { mode: 'bigint' }).primaryKey().generatedAlwaysAsIdentity(),
  userId: text('user_id').notNull(),
  name: text('name').notNull(),
  query: text('query').notNull(),
  createdAt: tstz('created_at').notNull().defaultNow(),
  updatedAt: tstz('updated_at').notNull().defaultNow(),
});
