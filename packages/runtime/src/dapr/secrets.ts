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

/**
 * Every secret from ONE secret of a Dapr secret store: on Kubernetes, one Secret object whose keys are
 * the names (BETTER_AUTH_SECRET, DATABASE_URL, …), read once through the sidecar's secretstores.kubernetes
 * component. Kubernetes object names cannot be those upper-case names, so a lookup per name cannot work there.
 */
export class DaprSecretBundle implements Secrets {
  private values: Promise<Record<string, string>> | null = null;

  constructor(
    private readonly sidecar: Sidecar,
    private readonly store: string,
    private readonly secretName: string,
  ) {}

  async get(name: string): Promise<string | undefined> {
    this.values ??= this.load();
    return (await this.values)[name];
  }

  private async load(): Promise<Record<string, string>> {
    try {
      const res = await this.sidecar.call('GET', `/v1.0/secrets/${this.store}/${encodeURIComponent(this.secretName)}`);
      return (await res.json()) as Record<string, string>;
    } catch (err) {
      this.values = null;
      if (err instanceof SidecarError && (err.status === 404 || err.status === 500 || err.status === 400 || err.status === 403)) {
        throw new Error(`secret "${this.secretName}" not readable from the "${this.store}" secret store: ${err.message}`);
      }
      throw err;
    }
  }
}
