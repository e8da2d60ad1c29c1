import { isSessionStoreError, openStore } from '@sessions/core';
import { describe, expect, it } from 'vitest';
import { DynamoSessionStore, dynamoUrlOptions, parseDynamoUrl } from '../src/index.js';
import { dynamoEndpoint, freshTableName, newClient } from './support/dynamo.js';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';

function invalid(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (isSessionStoreError(error) && error.code === 'INVALID_ARGUMENT') return error.message;
    throw error;
  }
  throw new Error('expected INVALID_ARGUMENT');
}

describe('dynamodb: URLs (the grammar of fromUrl, openStore and the CLI)', () => {
  it('reads a local or compatible endpoint, with its table, region and TLS', () => {
    expect(parseDynamoUrl('dynamodb://localhost:8000/sessions')).toEqual({ endpoint: 'http://localhost:8000', tableName: 'sessions' });
    expect(parseDynamoUrl('dynamodb://ddb.example.com:443/app.sessions?region=eu-west-1&tls=1')).toEqual({
      endpoint: 'https://ddb.example.com:443',
      region: 'eu-west-1',
      tableName: 'app.sessions',
    });
    // No table in the URL: the tableName option (or its default) applies.
    expect(parseDynamoUrl('dynamodb://127.0.0.1:8000')).toEqual({ endpoint: 'http://127.0.0.1:8000' });
  });

  it('reads an AWS table, credentials and region from the environment unless ?region= says', () => {
    expect(parseDynamoUrl('dynamodb:sessions')).toEqual({ tableName: 'sessions' });
    expect(parseDynamoUrl('dynamodb:sessions?region=ap-south-1')).toEqual({ region: 'ap-south-1', tableName: 'sessions' });
  });

  it('turns a URL into store options: the URL wins, a local endpoint gets placeholder credentials', () => {
    const local = dynamoUrlOptions('dynamodb://localhost:8000/t_one?region=us-west-2', { tableName: 'other', ttlMs: 5000, readPageSize: 10 });
    expect(local).toMatchObject({ endpoint: 'http://localhost:8000', region: 'us-west-2', tableName: 't_one', ttlMs: 5000, readPageSize: 10 });
    if (!process.env['AWS_ACCESS_KEY_ID']) expect(local.clientConfig?.credentials).toEqual({ accessKeyId: 'local', secretAccessKey: 'local' });
    const aws = dynamoUrlOptions('dynamodb:t_two', { region: 'eu-north-1' });
    expect(aws).toMatchObject({ region: 'eu-north-1', tableName: 't_two' });
    expect(aws.endpoint).toBeUndefined();
    expect(aws.clientConfig).toBeUndefined();
  });

  it('?streams=1 turns on watches over the table stream, keeping stream options given in code; ?streams=0 turns them off', () => {
    expect(parseDynamoUrl('dynamodb:sessions?streams=1')).toEqual({ tableName: 'sessions', streams: true });
    expect(dynamoUrlOptions('dynamodb://localhost:8000/t_one?streams=1', {}).streams).toBe(true);
    expect(dynamoUrlOptions('dynamodb:t_one?streams=true', { streams: { pollIntervalMs: 100 } }).streams).toEqual({ pollIntervalMs: 100 });
    expect(dynamoUrlOptions('dynamodb:t_one?streams=0', { streams: true }).streams).toBe(false);
    expect(dynamoUrlOptions('dynamodb:t_one', { streams: true }).streams).toBe(true);
    expect(invalid(() => parseDynamoUrl('dynamodb:sessions?streams=yes'))).toContain('?streams= takes 1 or 0');
  });

  it('refuses other forms with INVALID_ARGUMENT naming what is expected', () => {
    expect(invalid(() => parseDynamoUrl('dynamodb://host:1/a/b'))).toContain('dynamodb://host:port/table');
    expect(invalid(() => parseDynamoUrl('dynamodb:ab'))).toContain('table name');
    expect(invalid(() => parseDynamoUrl('dynamodb:sessions?keyPrefix=x'))).toContain('keyPrefix');
    expect(invalid(() => parseDynamoUrl('dynamodb:sessions?tls=1'))).toContain('tls');
    expect(invalid(() => parseDynamoUrl('http://localhost:8000'))).toContain('dynamodb://host:port/table');
  });

  it.skipIf(!dynamoEndpoint)('opens the same store through openStore and fromUrl, which owns (and closes) its client', async () => {
    const tableName = freshTableName('url');
    const url = `${dynamoEndpoint!.replace(/^http:/, 'dynamodb:')}/${tableName}?region=us-east-1`;
    const viaOpen = await openStore<DynamoSessionStore>(url, { ttlMs: 60_000 });
    expect(viaOpen).toBeInstanceOf(DynamoSessionStore);
    expect(viaOpen.tableName).toBe(tableName);
    await viaOpen.setup();
    await viaOpen.append('u', 's', { role: 'user', content: 'hi' });
    const viaFromUrl = await DynamoSessionStore.fromUrl(url);
    expect((await viaFromUrl.getMessages('u', 's')).map((m) => m.message)).toEqual([{ role: 'user', content: 'hi' }]);
    expect((await viaFromUrl.getSession('u', 's'))?.expiresAt).not.toBeNull();
    await viaOpen.close();
    await viaFromUrl.close();
    const client = newClient();
    await client.send(new DeleteTableCommand({ TableName: tableName }));
    client.destroy();
  });
});
