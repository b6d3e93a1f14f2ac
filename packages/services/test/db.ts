// A migrated throwaway database for the services' tests (PGlite, or PostgreSQL with DUEFLOW_TEST_DB=postgres).
import { type Database, migrate, openDatabase } from '@dueflow/db';
import { createTestDatabase } from '@dueflow/db/testing';

export async function openTestDatabase(): Promise<{ database: Database; close: () => Promise<void> }> {
  const test = await createTestDatabase();
  const database = await openDatabase(test.options);
  await migrate(database);
  return {
    database,
    close: async () => {
      await database.close();
      await test.drop();
    },
  };
}

export async function addUser(database: Database, id: string): Promise<void> {
  await database.query(`INSERT INTO users (id, name, email) VALUES ($1, $1, $1 || '@example.com')`, [id]);
}

export async function outboxEvents(database: Database): Promise<Array<{ topic: string; type: string; task_id: number | null; traceparent: string | null }>> {
  return database.query(
    `SELECT topic, event->>'type' AS type, (event->'data'->>'task_id')::int AS task_id, event->>'traceparent' AS traceparent FROM outbox ORDER BY id`,
  );
}
