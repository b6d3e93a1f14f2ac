'use client';
// Personal access tokens for scripts, the CLI and MCP clients: create (the token is shown once), list, revoke.
import { type FormEvent, useCallback, useEffect, useId, useState } from 'react';
import { api, type AccessToken, type CreatedAccessToken } from '../../lib/api';
import { Dialog } from '../ui/dialog';
import styles from './tokens.module.css';

const EXPIRY_CHOICES = [
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
  { value: '365', label: '1 year' },
  { value: 'never', label: 'Never' },
] as const;

const dateText = (iso: string | null) => (iso ? new Date(iso).toLocaleDateString(undefined, { dateStyle: 'medium' }) : null);

export function TokensDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const formId = useId();
  const [tokens, setTokens] = useState<AccessToken[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [scope, setScope] = useState<'read' | 'read-write'>('read');
  const [expiry, setExpiry] = useState<string>('90');
  const [created, setCreated] = useState<CreatedAccessToken | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => {
    api
      .listTokens()
      .then((r) => setTokens(r.tokens))
      .catch((err: unknown) => setError(err instanceof Error ? err.message : 'Could not load your tokens.'));
  }, []);

  useEffect(() => {
    if (!open) return;
    setCreated(null);
    setError(null);
    load();
  }, [open, load]);

  const create = (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const expiresAt = expiry === 'never' ? null : new Date(Date.now() + Number(expiry) * 86_400_000).toISOString();
    api
      .createToken({ name: name.trim(), scope, expires_at: expiresAt })
      .then((t) => {
        setCreated(t);
        setName('');
        load();
      })
      .catch((err: unknown) => setError(err instanceof Error ? err.message : 'Could not create the token.'))
      .finally(() => setBusy(false));
  };

  const revoke = (t: AccessToken) => {
    setError(null);
    api
      .revokeToken(t.id)
      .then(() => {
        if (created?.id === t.id) setCreated(null);
        load();
      })
      .catch((err: unknown) => setError(err instanceof Error ? err.message : 'Could not revoke the token.'));
  };

  return (
    <Dialog open={open} onClose={onClose} title="Access tokens">
      <p className={styles.meta}>For scripts, the dueflow command and MCP clients: send one as <code>Authorization: Bearer &lt;token&gt;</code>.</p>
      {created && (
        <div className={styles.secret} role="status">
          <label htmlFor={`${formId}-secret`}>
            <strong>{created.name}</strong>: copy it now, it is not shown again.
          </label>
          <div className={styles.row}>
            <input id={`${formId}-secret`} className={`input ${styles.secretValue}`} readOnly value={created.token} onFocus={(e) => e.currentTarget.select()} />
            <button type="button" className="button" onClick={() => void navigator.clipboard?.writeText(created.token).catch(() => undefined)}>
              Copy
            </button>
          </div>
        </div>
      )}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      {tokens === null ? (
        <p className={styles.empty}>Loading…</p>
      ) : tokens.length === 0 ? (
        <p className={styles.empty}>No tokens yet.</p>
      ) : (
        <ul className={styles.list} aria-label="Your access tokens">
          {tokens.map((t) => (
            <li key={t.id} className={styles.item}>
              <div>
                <p className={styles.name}>{t.name}</p>
                <p className={styles.meta}>
                  {t.scope === 'read' ? 'Read only' : 'Read and write'} · {t.prefix}… · {t.expires_at ? `expires ${dateText(t.expires_at)}` : 'never expires'}
                  {t.last_used_at ? ` · last used ${dateText(t.last_used_at)}` : ' · never used'}
                </p>
              </div>
              <button type="button" className="button danger" aria-label={`Revoke ${t.name}`} onClick={() => revoke(t)}>
                Revoke
              </button>
            </li>
          ))}
        </ul>
      )}
      <form className={styles.form} onSubmit={create} aria-label="New access token">
        <div className="field">
          <label htmlFor={`${formId}-name`}>Token name</label>
          <input id={`${formId}-name`} className="input" required maxLength={100} value={name} placeholder="Backup script" onChange={(e) => setName(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${formId}-scope`}>Access</label>
          <select id={`${formId}-scope`} className="select" value={scope} onChange={(e) => setScope(e.target.value === 'read-write' ? 'read-write' : 'read')}>
            <option value="read">Read only</option>
            <option value="read-write">Read and write</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${formId}-expiry`}>Expires after</label>
          <select id={`${formId}-expiry`} className="select" value={expiry} onChange={(e) => setExpiry(e.target.value)}>
            {EXPIRY_CHOICES.map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button primary" disabled={busy || name.trim() === ''}>
          {busy ? 'Creating…' : 'Create token'}
        </button>
      </form>
    </Dialog>
  );
}
