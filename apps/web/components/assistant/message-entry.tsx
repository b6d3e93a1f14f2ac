'use client';
// One message of the conversation: a user or assistant bubble (line breaks kept) and, under an
// answer, one small line per tool the assistant ran ("✓ add_task", "✗ complete_task: TASK_NOT_FOUND").
import { memo } from 'react';
import { type ChatButton, type ChatEntry, type ChatQuestion, describeToolCall } from '../../lib/assistant';
import type { ToolCallRecord } from '../../lib/types';
import styles from './assistant.module.css';

/** What the buttons under an answer do; `disabled` while another message is on its way. */
export interface EntryButtons {
  disabled: boolean;
  press(label: string, action: ChatButton): void;
  /** A choice is sent as words ("2"), like typing the number. */
  say(text: string): void;
}

export const MessageEntry = memo(function MessageEntry({ entry, buttons }: { entry: ChatEntry; buttons: EntryButtons }) {
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
      {entry.question ? <QuestionButtons question={entry.question} buttons={buttons} /> : null}
      {entry.changeId ? (
        <div className={styles.answerButtons}>
          <button type="button" className="button" disabled={buttons.disabled} onClick={() => buttons.press('Undo', { type: 'undo', change_id: entry.changeId ?? '' })}>
            Undo
          </button>
        </div>
      ) : null}
    </div>
  );
});

/** Yes/No for a confirmation; one button per task for "which one?". */
function QuestionButtons({ question, buttons }: { question: ChatQuestion; buttons: EntryButtons }) {
  const cancel = () => buttons.press('No', { type: 'cancel', token: question.token });
  if (question.kind === 'confirm') {
    return (
      <div className={styles.answerButtons} role="group" aria-label="Answer">
        <button type="button" className="button primary" disabled={buttons.disabled} onClick={() => buttons.press('Yes', { type: 'confirm', token: question.token })}>
          Yes
        </button>
        <button type="button" className="button" disabled={buttons.disabled} onClick={cancel}>
          No
        </button>
      </div>
    );
  }
  return (
    <div className={styles.answerButtons} role="group" aria-label="Which task">
      {question.tasks.map((t, i) => (
        <button key={t.id} type="button" className="button" disabled={buttons.disabled} onClick={() => buttons.say(String(i + 1))}>
          {t.title}
        </button>
      ))}
      <button type="button" className="button" disabled={buttons.disabled} onClick={cancel}>
        Neither
      </button>
    </div>
  );
}

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
