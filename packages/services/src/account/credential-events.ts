import { randomUUID } from 'node:crypto';
import { type CredentialRevokedData, makeCloudEvent, Topics } from '@dueflow/core';
import type { OutboxMessage } from '@dueflow/db';

const SOURCE = 'dueflow/api';

/** What a credential is: a browser/app session (Better Auth) or a personal access token. */
export type CredentialKind = CredentialRevokedData['credential'];

/** `credential.revoked` on task-updates, keyed by user so it is ordered with the user's live updates. */
export function credentialRevokedMessage(userId: string, credential: CredentialKind, credentialId: string, now: Date): OutboxMessage {
  const data: CredentialRevokedData = { event_id: randomUUID(), timestamp: now.toISOString(), user_id: userId, credential, credential_id: credentialId };
  return { topic: Topics.taskUpdates, partitionKey: userId, event: makeCloudEvent('credential.revoked', SOURCE, data, `user/${userId}`) };
}
