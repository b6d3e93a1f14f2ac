/** Secrets by name (env, a generated file in embedded mode, or the Dapr secret store). */
export interface Secrets {
  get(name: string): Promise<string | undefined>;
}

/** Key/value state for services that keep documents outside the relational model. */
export interface StateStore {
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown): Promise<void>;
  delete(key: string): Promise<void>;
}
