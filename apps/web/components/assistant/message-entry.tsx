'use client';
// One message of the conversation: a user or assistant bubble (line breaks kept) and, under an
// answer, one small line per tool the assistant ran ("✓ add_task", "✗ complete_task: TASK_NOT_FOUND").
import { memo } from 'react';
import { type ChatEntry, describeToolCall } from '../../lib/assistant';
import type { ToolCallRecord } from '../../lib/types';
import styles from './assistant.module.css';

export const MessageEntry = memo(function MessageEntry({ entry }: { entry: ChatEntry }) {
  const mine = entry.role === 'user';
  return (
    <div className={`${styles.entry} ${mine ? styles.fromUser : styles.fromAssistant}`}>
      <p className={styles.bubble}>
        {/* Screen readers hear who said it; the sides and colours say it on screen. */}
        <span className="visually-hidden">{mine ? 'You: ' : 'Assistant: '}</span>
        {entry.content}
      </p>
      {entry.status === 'failed' ? <p className={styles.notSent}>Not sent</p> : null}
      {entry.toolCalls.length > 0 ? <ToolCallLines calls={entry.toolCalls} /> : null}
    </div>
  );
});

function ToolCallLines({ calls }: { calls: ToolCallRecord[] }) {
  return (
    <ul className={styles.toolCalls} aria-label="Actions taken">
      {calls.map((call, i) => {
        const { ok, text, detail } = describeToolCall(call);
        return (
          <li key={i} title={detail}>
            <span className={ok ? styles.toolOk : styles.toolFailed} aria-hidden="true">
              {ok ? '✓' : '✗'}
            </span>
            <span className="visually-hidden">{ok ? 'Done: ' : 'Failed: '}</span> {text}
          </li>
        );
      })}
    </ul>
  );
}
