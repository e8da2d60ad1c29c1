/**
 * Attribute and instrument names, from the OpenTelemetry semantic conventions for database
 * client calls (stable names, plus `db.system` for back ends that still read the old one).
 * Kept here rather than imported, so the package needs `@opentelemetry/api` only.
 */
export const ATTR_DB_SYSTEM_NAME = 'db.system.name';
export const ATTR_DB_SYSTEM = 'db.system';
export const ATTR_DB_OPERATION_NAME = 'db.operation.name';
export const ATTR_SERVER_ADDRESS = 'server.address';
export const ATTR_SERVER_PORT = 'server.port';
export const ATTR_ERROR_TYPE = 'error.type';
/** How many messages a call wrote or returned (never their content). */
export const ATTR_MESSAGE_COUNT = 'sessions.message.count';

/** Duration of each store call, in seconds (the conventions' own histogram). */
export const METRIC_OPERATION_DURATION = 'db.client.operation.duration';
export const METRIC_CALLS = 'sessions.client.calls';
export const METRIC_ERRORS = 'sessions.client.errors';
export const METRIC_MESSAGES_APPENDED = 'sessions.messages.appended';
export const METRIC_MESSAGES_READ = 'sessions.messages.read';

/** `db.system.name` for each backend name a store reports. */
const SYSTEMS: Readonly<Record<string, string>> = {
  redis: 'redis',
  postgres: 'postgresql',
  pglite: 'postgresql',
  dynamo: 'aws.dynamodb',
  dynamodb: 'aws.dynamodb',
  sqlite: 'sqlite',
  memory: 'other_sql',
};

/** The `db.system.name` value for a store's `backend`. */
export function dbSystemOf(backend: string): string {
  return SYSTEMS[backend] ?? backend;
}
