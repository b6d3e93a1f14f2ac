'use client';
// The assistant side panel: a complementary region beside the task list (over it on narrow screens),
// so tasks the assistant creates can be seen arriving in the list. Esc or Close hides it and returns
// focus to the header button; the conversation stays while it is hidden.
import { useEffect, useId, useMemo } from 'react';
import { canSend } from '../../lib/assistant';
import type { AssistantPanelControl } from './use-assistant-panel';
import { useConversation } from './use-conversation';
import { Composer } from './composer';
import { ErrorLine } from './error-line';
import { MessageLog } from './message-log';
import { Suggestions } from './suggestions';
import styles from './assistant.module.css';

export function AssistantPanel({ panel }: { panel: AssistantPanelControl }) {
  const titleId = useId();
  const { state, restore, send, press, retry, reset } = useConversation();
  const { open, close, inputRef } = panel;

  // The stored conversation is fetched the first time the panel is shown, not on every page load.
  useEffect(() => {
    if (open) restore();
  }, [open, restore]);

  const ready = canSend(state);
  const buttons = useMemo(() => ({ disabled: !ready, press: (label: string, action: Parameters<typeof press>[1]) => void press(label, action), say: (text: string) => void send(text) }), [ready, press, send]);
  const empty = state.entries.length === 0 && state.phase === 'ready';
  // Both controls leave the page (a disabled button, a chip removed): focus goes to the message box.
  const startOver = () => {
    reset();
    inputRef.current?.focus();
  };
  const sendSuggestion = (text: string) => {
    send(text);
    inputRef.current?.focus();
  };

  return (
    <aside
      id={panel.panelId}
      className={styles.panel}
      aria-labelledby={titleId}
      hidden={!open}
      onKeyDown={(e) => {
        if (e.key !== 'Escape' || e.defaultPrevented || e.nativeEvent.isComposing) return;
        e.preventDefault();
        close({ returnFocus: true });
      }}
    >
      <div className={styles.header}>
        <h2 id={titleId} className={styles.title}>
          Assistant
        </h2>
        <button type="button" className="button" disabled={empty && !state.error} onClick={startOver}>
          New conversation
        </button>
        <button type="button" className="button icon" aria-label="Close assistant" onClick={() => close({ returnFocus: true })}>
          <span aria-hidden="true">×</span>
        </button>
      </div>
      <MessageLog entries={state.entries} phase={state.phase} visible={open} buttons={buttons} />
      {empty ? <Suggestions disabled={!ready} onPick={sendSuggestion} /> : null}
      {state.error ? <ErrorLine error={state.error} onRetry={retry} /> : null}
      <Composer inputRef={inputRef} ready={ready} onSend={send} />
    </aside>
  );
}
