import type { RedisClient } from '@sessions/redis';

/** The name of every command a client sends, in order (wraps `sendCommand`; test-only). */
export function logCommands(client: RedisClient): string[] {
  const sent: string[] = [];
  const target = client as unknown as { sendCommand: (command: { name: string }, ...rest: unknown[]) => unknown };
  const original = target.sendCommand.bind(client);
  target.sendCommand = (command, ...rest) => {
    sent.push(command.name);
    return original(command, ...rest);
  };
  return sent;
}
