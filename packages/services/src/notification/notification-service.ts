import { createHash, randomUUID } from 'node:crypto';
import {
  type CloudEvent,
  idToJson,
  type NotificationCreatedData,
  type ReminderDueData,
  type Task,
  TASK_EVENT_TYPES,
  Topics,
} from '@dueflow/core';
import { type Database, notificationsRepo, tasksRepo } from '@dueflow/db';
import type { Logger, Metrics, Scheduler, Subscription } from '@dueflow/runtime';
import { eventData } from '../consume.ts';
import { eventMessage } from '../event-message.ts';
import { UnitOfWork } from '../unit-of-work.ts';
import { toNotificationDto } from './dto.ts';
import type { WebPushSender } from './push.ts';

export const NOTIFICATION_CONSUMER = 'notification';
export const REMINDER_CONSUMER = 'notification-delivery';
const SOURCE = 'dueflow/notification';

export interface NotificationDeps {
  database: Database;
  scheduler: Scheduler;
  push: WebPushSender | null;
  logger: Logger;
  metrics: Metrics;
  now: () => Date;
  afterCommit: () => void;
  /** Missed reminders older than this are not delivered late (default 7 days). */
  catchUpMs?: number;
  /** Reminders this far ahead are loaded into the scheduler at start and by each sweep (default 24 h). */
  horizonMs?: number;
  /** Reload upcoming reminders on each sweep (timers that die with the process); false for durable jobs. */
  reloadUpcoming?: boolean;
}

const jobName = (taskId: string | number) => `reminder-${taskId}`;

/** A job that fires at most this early waits for its time; earlier ones are scheduled again. */
const MAX_EARLY_WAIT_MS = 5_000;

interface ReminderJobData {
  task_id: number;
  user_id: string;
  remind_at: string;
}

/**
 * Reminders: schedules one job per task at `reminder_at`, turns a fired job into a `reminder.due`
 * event (through the outbox, so it is durable), and delivers each reminder once: stored
 * notification, live update, Web Push, log line. A sweep catches what was missed while down.
 */
export class NotificationService {
  private readonly catchUpMs: number;
  private readonly horizonMs: number;
  private readonly work: UnitOfWork;

  constructor(private readonly deps: NotificationDeps) {
    this.work = new UnitOfWork(deps.database, deps.afterCommit);
    this.catchUpMs = deps.catchUpMs ?? 7 * 24 * 3600_000;
    this.horizonMs = deps.horizonMs ?? 24 * 3600_000;
    deps.scheduler.onFire(async (job) => this.onJobFired(job.data as ReminderJobData));
  }

  /** Keeps the scheduler in step with task changes. */
  taskEventsSubscription(): Subscription {
    return {
      consumer: NOTIFICATION_CONSUMER,
      topic: Topics.taskEvents,
      handle: async (event: CloudEvent) => {
        if (!(TASK_EVENT_TYPES as readonly string[]).includes(event.type)) return;
        const data = eventData(event, event.type as (typeof TASK_EVENT_TYPES)[number]);
        const t = data.task_data;
        const wantsReminder =
          data.event_type !== 'task.deleted' && !t.completed && t.reminder_at !== null && Date.parse(t.reminder_at) > this.deps.now().getTime();
        if (!wantsReminder) {
          // Nothing to fire for this snapshot; a task created without a reminder needs no work at all.
          if (data.event_type !== 'task.created') await this.deps.scheduler.cancel(jobName(data.task_id));
          return;
        }
        // The event is a snapshot; the database has the truth (a later change may have landed).
        const task = await tasksRepo.findTaskById(this.deps.database.db, String(t.id));
        await this.syncJob(String(data.task_id), task);
      },
    };
  }

  /** Delivers `reminder.due` events. */
  remindersSubscription(): Subscription {
    return {
      consumer: REMINDER_CONSUMER,
      topic: Topics.reminders,
      handle: async (event: CloudEvent) => {
        if (event.type !== 'reminder.due') return;
        await this.deliver(eventData(event, 'reminder.due'));
      },
    };
  }

  /** At start: load upcoming reminders into the scheduler, deliver the ones missed while down. */
  async start(): Promise<void> {
    await this.sweep();
  }

  /** Periodic (in-process timer, or the Dapr cron binding): catch missed, load upcoming. */
  async sweep(): Promise<{ missed: number; scheduled: number }> {
    const now = this.deps.now();
    const db = this.deps.database.db;
    const missed = await tasksRepo.missedReminders(db, new Date(now.getTime() - this.catchUpMs), now);
    for (const task of missed) {
      if (task.reminderAt) await this.emitReminderDue({ task_id: idToJson(task.id), user_id: task.userId, remind_at: task.reminderAt.toISOString() });
    }
    const upcoming =
      this.deps.reloadUpcoming === false
        ? []
        : await tasksRepo.tasksWithReminderBetween(db, new Date(now.getTime() + 1), new Date(now.getTime() + this.horizonMs), 10_000);
    for (const task of upcoming) await this.syncJob(task.id, task);
    if (missed.length > 0) this.deps.logger.info({ missed: missed.length }, 'delivering reminders missed while down');
    return { missed: missed.length, scheduled: upcoming.length };
  }

  private async syncJob(taskId: string, task: Task | null): Promise<void> {
    const now = this.deps.now();
    if (task && !task.completed && task.reminderAt && task.reminderAt.getTime() > now.getTime()) {
      const data: ReminderJobData = { task_id: idToJson(task.id), user_id: task.userId, remind_at: task.reminderAt.toISOString() };
      await this.deps.scheduler.schedule({ name: jobName(taskId), at: task.reminderAt, data });
    } else {
      await this.deps.scheduler.cancel(jobName(taskId));
    }
  }

  /**
   * A job fired: publish `reminder.due` durably. Never before the time asked for: a timer or the
   * Dapr scheduler may fire a little early (Node's timers run on a coarse loop clock), so the rest is
   * waited out here; a job much too early is put back in the scheduler.
   */
  async onJobFired(job: ReminderJobData): Promise<void> {
    const at = Date.parse(job.remind_at);
    let early = at - this.deps.now().getTime();
    if (early > 0 && early <= MAX_EARLY_WAIT_MS) {
      await new Promise((resolve) => setTimeout(resolve, early + 1));
      early = at - this.deps.now().getTime();
    }
    if (early > 0) {
      await this.deps.scheduler.schedule({ name: jobName(String(job.task_id)), at: new Date(at), data: job });
      return;
    }
    await this.emitReminderDue(job);
  }

  private async emitReminderDue(job: ReminderJobData): Promise<void> {
    await this.work.run(async (tx, events) => {
      const task = await tasksRepo.findTaskById(tx, String(job.task_id));
      if (!isStillDue(task, job.remind_at)) return;
      const data: ReminderDueData = {
        // One event id per (task, reminder time): a job fired twice yields one outbox row.
        event_id: reminderEventId(job.task_id, job.remind_at),
        timestamp: this.deps.now().toISOString(),
        task_id: job.task_id,
        // The task's owner, never what the job says: job data is not trusted to name the user.
        user_id: task.userId,
        title: task.title,
        due_at: task.dueDate ? task.dueDate.toISOString() : null,
        remind_at: job.remind_at,
      };
      await events.addIfAbsent(eventMessage('reminder.due', SOURCE, data, `task/${job.task_id}`));
    });
  }

  private async deliver(r: ReminderDueData): Promise<void> {
    const db = this.deps.database.db;
    const task = await tasksRepo.findTaskById(db, String(r.task_id));
    if (!isStillDue(task, r.remind_at)) return;
    const now = this.deps.now();
    const created = await this.work.run(async (tx, events): Promise<NotificationCreatedData | null> => {
      const n = await notificationsRepo.insertNotification(tx, {
        userId: r.user_id,
        taskId: String(r.task_id),
        title: r.title,
        dueAt: r.due_at ? new Date(r.due_at) : null,
        remindAt: new Date(r.remind_at),
        deliveredAt: now,
      });
      if (!n) return null;
      const data: NotificationCreatedData = {
        event_id: randomUUID(),
        timestamp: now.toISOString(),
        user_id: r.user_id,
        notification: toNotificationDto(n),
      };
      events.add(eventMessage('notification.created', SOURCE, data, `task/${r.task_id}`));
      return data;
    });
    if (!created) return;
    const lateness = (now.getTime() - Date.parse(r.remind_at)) / 1000;
    this.deps.metrics.reminderLateness.observe(Math.max(0, lateness));
    this.deps.logger.info(
      { user_id: r.user_id, task_id: r.task_id, notification_id: created.notification.id, remind_at: r.remind_at, lateness_s: lateness },
      'reminder delivered',
    );
    if (this.deps.push) {
      // Off the delivery path: a slow push service must not hold up other users' events.
      void this.deps.push.sendToUser(r.user_id, {
        title: r.title,
        body: r.due_at ? `Due ${r.due_at}` : 'Reminder',
        task_id: r.task_id,
        notification_id: created.notification.id,
        due_at: r.due_at ?? null,
        // The web UI opens a task from its query string.
        url: `/?task=${r.task_id}`,
      }).catch((err: unknown) => this.deps.logger.warn({ user_id: r.user_id, err: String(err) }, 'web push failed'));
    }
  }
}

/** A reminder is still wanted when its task is open and still set to remind at that time. */
function isStillDue(task: Task | null, remindAt: string): task is Task {
  return task !== null && !task.completed && task.reminderAt !== null && task.reminderAt.getTime() === Date.parse(remindAt);
}

/** A stable UUID (v5-like layout) from task and reminder time, so duplicates collapse on event_id. */
export function reminderEventId(taskId: number, remindAt: string): string {
  const h = createHashHex(`reminder:${taskId}:${remindAt}`);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h.slice(16, 17), 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const createHashHex = (s: string) => createHash('sha1').update(s).digest('hex');
