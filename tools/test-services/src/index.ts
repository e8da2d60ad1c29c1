export { startRedis, type RedisHandle, type RedisOptions } from './redis-server.js';
export { startRedisCluster, type RedisClusterHandle, type RedisClusterOptions } from './redis-cluster.js';
export { startPostgres, TEST_DATABASE, type PostgresHandle } from './postgres-server.js';
export { startDynamoLocal, dynamoPing, type DynamoLocalHandle } from './dynamo-local.js';
export { freePort, isPortFree, LOOPBACK } from './free-port.js';
export { MissingBinaryError } from './binaries.js';
export {
  ensureServices,
  parseServices,
  startService,
  isCi,
  SERVICE_ENV,
  SERVICE_NAMES,
  type ServiceName,
  type StartedService,
} from './services.js';
export { requireService, describeWithService } from './require-service.js';
export type { ServiceContextKey } from './provided-context.js';
