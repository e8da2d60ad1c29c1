/**
 * The values the global setup `provide`s to test workers (read them with `inject`), typed
 * for vitest.
 */
export interface SessionsProvidedContext {
  SESSIONS_REDIS_URL?: string;
  SESSIONS_REDIS_CLUSTER_NODES?: string;
  SESSIONS_POSTGRES_URL?: string;
  SESSIONS_DYNAMO_ENDPOINT?: string;
  SESSIONS_REDIS_UNAVAILABLE?: string;
  SESSIONS_REDIS_CLUSTER_UNAVAILABLE?: string;
  SESSIONS_POSTGRES_UNAVAILABLE?: string;
  SESSIONS_DYNAMO_UNAVAILABLE?: string;
}

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  export interface ProvidedContext extends SessionsProvidedContext {}
}
