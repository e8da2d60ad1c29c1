/**
 * The values the global setup `provide`s to test workers (read them with `inject`), typed
 * for vitest: each service's address, or why it is unavailable.
 */
declare module 'vitest' {
  export interface ProvidedContext {
    SESSIONS_REDIS_URL?: string;
    SESSIONS_REDIS_CLUSTER_NODES?: string;
    SESSIONS_POSTGRES_URL?: string;
    SESSIONS_DYNAMO_ENDPOINT?: string;
    SESSIONS_REDIS_UNAVAILABLE?: string;
    SESSIONS_REDIS_CLUSTER_UNAVAILABLE?: string;
    SESSIONS_POSTGRES_UNAVAILABLE?: string;
    SESSIONS_DYNAMO_UNAVAILABLE?: string;
  }
}

/** The keys the harness provides to the workers. */
export type ServiceContextKey = keyof import('vitest').ProvidedContext & `SESSIONS_${string}`;
