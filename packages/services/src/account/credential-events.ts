import { randomUUID } from 'node:crypto';
import type { CredentialRevokedData } from '@dueflow/core';
import type { OutboxMessage } from '@dueflow/db';
import { eventMessage } from '../event-message.ts';

const SOURCE = 'dueflow/api';

/** What a credential is: a browser/app session (Better Auth) or a personal access token. */
export type CredentialKind = CredentialRevokedData['credential'];

/** `credential.revoked` on task-updates, keyed by user so it is ordered with the user's live updates. */
export function credentialRevokedMessage(userId: string, credential: CredentialKind, credentialId: string, now: Date): OutboxMessage {
  const data: CredentialRevokedData = { event_id: randomUUID(), timestamp: now.toISOString(), user_id: userId, credential, credential_id: credentialId };
  return eventMessage('credential.revoked', SOURCE, data, `user/${userId}`);
}
