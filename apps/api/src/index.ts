export * from './app.ts';
export * from './auth.ts';
export * from './errors.ts';
export * from './dapr-app.ts';
export type { ApiForwarder, WebPages } from './routes/web.ts';
export * from './origin.ts';
export * from './password-policy.ts';
export * from './html-csp.ts';
export * from './security-headers.ts';
