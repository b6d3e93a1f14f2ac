import type { Env } from '../config.ts';
import type { Mode } from './adapters.ts';
import { daprMode } from './dapr.ts';
import { embeddedMode } from './embedded.ts';

export * from './adapters.ts';
export { assertEmbeddedRoles, EVENT_ROLES } from './embedded.ts';

/** The one place a mode is chosen: everything mode-specific comes from its factory. */
export const MODES: Record<Env['DUEFLOW_MODE'], Mode> = { embedded: embeddedMode, dapr: daprMode };
