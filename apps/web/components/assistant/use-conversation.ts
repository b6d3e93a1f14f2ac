'use client';
// The assistant conversation of this tab: restored from sessionStorage when the panel first opens,
// messages sent one at a time, a failed one retried, "New conversation" starting over.
import { useCallback, useEffect, useReducer, useRef } from 'react';
import {
  assistantApi,
  canSend,
  type ChatAction,
  type ChatButton,
  chatReducer,
  type ChatState,
  failureText,
  initialChatState,
  isConversationGone,
  prepareMessage,
  readConversationId,
  type StorageLike,
  writeConversationId,
} from '../../lib/assistant';

function tabStorage(): StorageLike | null {
  try {
    return typeof window === 'undefined' ? null : window.sessionStorage;
  } catch {
    return null; // storage blocked by the browser's settings
  }
}

export interface ConversationApi {
  state: ChatState;
  /** Loads the stored conversation if that has not happened yet. */
  restore(): void;
  /** False when there was nothing to send or another message is still on its way. */
  send(draft: string): boolean;
  /** A button: its words go into the log, the action to the server (Yes, No, Undo). */
  press(label: string, action: ChatButton): boolean;
  retry(): void;
  reset(): void;
}

export function useConversation(): ConversationApi {
  const [state, dispatch] = useReducer(chatReducer, null, () => initialChatState(readConversationId(tabStorage())));
  // The state as of the last action, so two quick sends cannot both pass the "one at a time" check.
  const stateRef = useRef(state);
  stateRef.current = state;
  const nextKey = useRef(0);

  const act = useCallback((action: ChatAction) => {
    stateRef.current = chatReducer(stateRef.current, action);
    dispatch(action);
  }, []);

  // The stored id follows the state: set when the server names a conversation, dropped on reset or 404.
  useEffect(() => writeConversationId(tabStorage(), state.conversationId), [state.conversationId]);

  const restore = useCallback(() => {
    const { conversationId, phase } = stateRef.current;
    if (!conversationId || phase !== 'unloaded') return;
    act({ type: 'restore-started' });
    assistantApi.conversation(conversationId).then(
      (conversation) => act({ type: 'restored', conversation }),
      (err: unknown) => act(isConversationGone(err) ? { type: 'conversation-gone', id: conversationId } : { type: 'restore-failed', message: failureText(err) }),
    );
  }, [act]);

  const post = useCallback(
    (key: string, text: string, conversationId: string | null, action?: ChatButton) => {
      const stillWaiting = () => stateRef.current.entries.some((e) => e.key === key && e.status === 'sending');
      assistantApi.send(text, conversationId, action).then(
        (reply) => {
          act({ type: 'answered', key, reply });
          if (action?.type === 'undo') act({ type: 'undone', changeId: action.change_id });
        },
        (err: unknown) => {
          // The conversation expired on the server before anything ran: send it again as a new one
          // (unless the user started over meanwhile, which would run the request behind their back).
          if (conversationId && isConversationGone(err)) {
            act({ type: 'conversation-gone', id: conversationId });
            // A button belongs to the conversation that is gone: it is not replayed into a new one.
            if (stillWaiting() && !action) post(key, text, null);
            else act({ type: 'send-failed', key, message: 'This conversation has expired.' });
            return;
          }
          act({ type: 'send-failed', key, message: failureText(err) });
        },
      );
    },
    [act],
  );

  const send = useCallback(
    (draft: string) => {
      const text = prepareMessage(draft);
      if (!text || !canSend(stateRef.current)) return false;
      const key = `local-${++nextKey.current}`;
      const { conversationId } = stateRef.current;
      act({ type: 'sent', key, text });
      post(key, text, conversationId);
      return true;
    },
    [act, post],
  );

  const press = useCallback(
    (label: string, action: ChatButton) => {
      if (!canSend(stateRef.current) || !stateRef.current.conversationId) return false;
      const key = `local-${++nextKey.current}`;
      const { conversationId } = stateRef.current;
      act({ type: 'sent', key, text: label });
      post(key, label, conversationId, action);
      return true;
    },
    [act, post],
  );

  const retry = useCallback(() => {
    const { error, entries, conversationId } = stateRef.current;
    if (error?.kind === 'restore') {
      restore();
      return;
    }
    if (error?.kind !== 'send') return;
    const failed = entries.find((e) => e.key === error.entryKey);
    if (!failed) return;
    act({ type: 'retried', key: failed.key });
    post(failed.key, failed.content, conversationId);
  }, [act, post, restore]);

  const reset = useCallback(() => act({ type: 'reset' }), [act]);

  return { state, restore, send, press, retry, reset };
}
