import type { Secrets } from '../ports/misc.ts';
import { type Sidecar, SidecarError } from './sidecar.ts';

/** Secrets from a Dapr secret store (local file locally, Kubernetes secrets in a cluster). */
export class DaprSecrets implements Secrets {
  constructor(
    private readonly sidecar: Sidecar,
    private readonly store: string,
  ) {}

  async get(name: string): Promise<string | undefined> {
    try {
      const res = await this.sidecar.call('GET', `/v1.0/secrets/${this.store}/${encodeURIComponent(name)}`);
      const body = (await res.json()) as Record<string, string>;
      return body[name];
    } catch (err) {
      if (err instanceof SidecarError && (err.status === 404 || err.status === 500 || err.status === 400)) return undefined;
      throw err;
    }
  }
}
