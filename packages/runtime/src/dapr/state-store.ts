import type { StateStore } from '../ports/misc.ts';
import type { Sidecar } from './sidecar.ts';

/** StateStore over a Dapr state component (PostgreSQL v1 here). */
export class DaprStateStore implements StateStore {
  constructor(
    private readonly sidecar: Sidecar,
    private readonly store: string,
  ) {}

  async get<T>(key: string): Promise<T | undefined> {
    const res = await this.sidecar.call('GET', `/v1.0/state/${this.store}/${encodeURIComponent(key)}`);
    if (res.status === 204) return undefined;
    const text = await res.text();
    return text ? (JSON.parse(text) as T) : undefined;
  }

  async set(key: string, value: unknown): Promise<void> {
    await this.sidecar.call('POST', `/v1.0/state/${this.store}`, [{ key, value }]);
  }

  async delete(key: string): Promise<void> {
    await this.sidecar.call('DELETE', `/v1.0/state/${this.store}/${encodeURIComponent(key)}`);
  }
}
