import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, LOOPBACK } from './free-port.js';
import { clusterHealthy, redisCli } from './redis-cli.js';
import { startRedis, type RedisHandle } from './redis-server.js';
import { isAddressInUse, waitUntil } from './wait-until.js';

/** Redis Cluster talks to its peers on the client port + 10000. */
const CLUSTER_BUS_OFFSET = 10_000;

/** A running throwaway Redis Cluster: masters, and replicas when asked for. */
export interface RedisClusterHandle {
  /** Every node, masters first then replicas as `--cluster create` paired them (roles change on failover). */
  readonly nodes: { host: string; port: number }[];
  /** `127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3`, the value of `SESSIONS_REDIS_CLUSTER_NODES`. */
  readonly nodesEnv: string;
  /** The temp dir holding one dir per node; removed by `stop()`. */
  readonly dir: string;
  /** Stops every node and removes the temp dir. Idempotent. */
  stop(): Promise<void>;
  /** SIGKILLs every node. */
  kill(): Promise<void>;
  /** Restarts every node on its port and dir; resolves when the cluster is healthy again. */
  restart(): Promise<void>;
  /** SIGKILLs node `index` (0-based): its slots become unavailable. */
  killNode(index: number): Promise<void>;
  /** Restarts node `index` (same port, same `nodes.conf`, empty data); resolves when the cluster is healthy again. */
  restartNode(index: number): Promise<void>;
}

/** Options of {@link startRedisCluster}. */
export interface RedisClusterOptions {
  /** @default 3 */
  masters?: number;
  /**
   * Replicas of each master (`--cluster-replicas`). The default cluster has none, so it starts
   * as fast as possible; a test of failovers asks for 1.
   * @default 0
   */
  replicasPerMaster?: number;
  /** More `redis-server` arguments for every node, e.g. `['--cluster-require-full-coverage', 'no']`. */
  extraArgs?: string[];
  /**
   * How long a node may be unreachable before the others mark it failed.
   * @default 3000
   */
  nodeTimeoutMs?: number;
}

async function startNode(dir: string, nodeTimeoutMs: number, more: string[] = []): Promise<RedisHandle> {
  await mkdir(dir, { recursive: true });
  const extraArgs = [
    '--cluster-enabled', 'yes',
    '--cluster-config-file', 'nodes.conf',
    '--cluster-node-timeout', String(nodeTimeoutMs),
    ...more,
  ];
  for (let attempt = 1; ; attempt++) {
    try {
      return await startRedis({ port: await freePort(CLUSTER_BUS_OFFSET), dir, extraArgs });
    } catch (error) {
      if (attempt >= 5 || !isAddressInUse(error)) throw error;
    }
  }
}

/** `true` for a master, or a replica whose link to its master is up (so `WAIT` can count it). */
async function replicaSynced(port: number): Promise<boolean> {
  const info = await redisCli(port, ['info', 'replication']);
  return /^role:master/m.test(info) || /^master_link_status:up/m.test(info);
}

/**
 * Starts `masters × (1 + replicasPerMaster)` cluster-enabled redis-servers, joins them with
 * `redis-cli --cluster create ... --cluster-replicas <replicasPerMaster>`, and resolves once
 * every node reports `cluster_state:ok` with all 16384 slots served.
 */
export async function startRedisCluster(options: RedisClusterOptions = {}): Promise<RedisClusterHandle> {
  const masters = options.masters ?? 3;
  const replicasPerMaster = options.replicasPerMaster ?? 0;
  const size = masters * (1 + replicasPerMaster);
  const nodeTimeoutMs = options.nodeTimeoutMs ?? 3_000;
  const root = await mkdtemp(join(tmpdir(), 'sessions-redis-cluster-'));
  const nodes: RedisHandle[] = [];
  const waitHealthy = () =>
    Promise.all(
      nodes.map((node) =>
        waitUntil(`Redis Cluster node ${node.port}`, async () => (await clusterHealthy(node.port, size)) && (replicasPerMaster === 0 || (await replicaSynced(node.port)))),
      ),
    ).then(() => undefined);
  const stopAll = async () => {
    await Promise.all(nodes.map((node) => node.stop()));
    await rm(root, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < size; i++) nodes.push(await startNode(join(root, `node-${i}`), nodeTimeoutMs, options.extraArgs));
    const addresses = nodes.map((node) => `${LOOPBACK}:${node.port}`);
    const [first] = nodes;
    if (first === undefined) throw new Error('[test-services] a cluster needs at least one node');
    await redisCli(first.port, ['--cluster', 'create', ...addresses, '--cluster-replicas', String(replicasPerMaster), '--cluster-yes'], 60_000);
    await waitHealthy();
  } catch (error) {
    await stopAll();
    throw error;
  }
  const node = (index: number): RedisHandle => {
    const found = nodes[index];
    if (found === undefined) throw new Error(`[test-services] no cluster node ${index}; indexes are 0..${size - 1}`);
    return found;
  };
  let stopped = false;
  return {
    nodes: nodes.map((n) => ({ host: LOOPBACK, port: n.port })),
    nodesEnv: nodes.map((n) => `${LOOPBACK}:${n.port}`).join(','),
    dir: root,
    async stop() {
      if (stopped) return;
      stopped = true;
      await stopAll();
    },
    kill: async () => {
      await Promise.all(nodes.map((n) => n.kill()));
    },
    async restart() {
      await Promise.all(nodes.map((n) => n.restart()));
      await waitHealthy();
    },
    killNode: (index) => node(index).kill(),
    async restartNode(index) {
      await node(index).restart();
      await waitHealthy();
    },
  };
}
