export * from './app.ts';
export * from './auth.ts';
export * from './errors.ts';
export * from './dapr-app.ts';
export type { ApiForwarder, WebPages } from './routes/web.ts';
