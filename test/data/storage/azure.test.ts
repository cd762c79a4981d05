/**
 * The Azure Blob adapter against Azurite (npm `azurite`, Microsoft's emulator), configured through
 * `AZURE_STORAGE_CONNECTION_STRING` as in CI, or an account key for a URI's account.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { BlobServiceClient } from '@azure/storage-blob';
import { Readable } from 'node:stream';
import { AzureStorage, azureServiceClient } from '../../../src/data/storage/azure.js';
import { readRange } from '../../../src/data/storage/port.js';
import { storageFor } from '../../../src/data/storage/uri.js';
import { type Subject, conformance } from './conformance.js';
import { AZURITE_ACCOUNT, AZURITE_KEY, type RunningServer, startAzurite } from './servers.js';

const VARIABLES = ['AZURE_STORAGE_CONNECTION_STRING', 'AZURE_STORAGE_KEY', 'AZURE_STORAGE_ACCOUNT_KEY', 'AZURE_STORAGE_SAS_TOKEN'];
const saved = Object.fromEntries(VARIABLES.map((name) => [name, process.env[name]]));
function setEnvironment(values: Record<string, string | undefined>): void {
  for (const name of VARIABLES) delete process.env[name];
  for (const [name, value] of Object.entries(values)) if (value !== undefined) process.env[name] = value;
}

let azurite: RunningServer & { connectionString: string };
let subject: Subject;
const container = 'datasets';

beforeAll(async () => {
  azurite = await startAzurite();
  await BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient(container).create();
  setEnvironment({ AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString });
  const { storage, key } = await storageFor(`az://${AZURITE_ACCOUNT}/${container}/conformance/`);
  subject = {
    storage,
    base: key,
    async denied() {
      const wrong = Buffer.from('not-the-account-key-0123456789').toString('base64');
      const service = BlobServiceClient.fromConnectionString(azurite.connectionString.replace(AZURITE_KEY, wrong));
      return {
        storage: new AzureStorage(AZURITE_ACCOUNT, container, service),
        key: 'denied/object.bin',
        secrets: [wrong, AZURITE_KEY],
        reads: true,
      };
    },
  };
});
afterAll(async () => {
  setEnvironment(saved);
  await azurite?.stop();
});

conformance(() => subject);

describe('Azure adapter', () => {
  it('takes abfss:// URIs to the same container and key', async () => {
    const { storage, key } = await storageFor(`abfss://${container}@${AZURITE_ACCOUNT}.dfs.core.windows.net/conformance/abfss.txt`);
    expect(key).toBe('conformance/abfss.txt');
    await storage.write(key, Readable.from([Buffer.from('via abfss')]));
    expect(storage.uri(key)).toBe(`az://${AZURITE_ACCOUNT}/${container}/conformance/abfss.txt`);
    expect((await subject.storage.head(key)).size).toBe(9);
  });

  it('a missing container is NotFound naming the URI', async () => {
    const { storage, key } = await storageFor(`az://${AZURITE_ACCOUNT}/no-such-container/k`);
    await expect(storage.head(key)).rejects.toMatchObject({ reason: 'not-found', uri: `az://${AZURITE_ACCOUNT}/no-such-container/k` });
    await expect(storage.list('')).rejects.toMatchObject({ reason: 'not-found' });
  });

  it('takes an account key or a SAS token for the URI account, else DefaultAzureCredential when @azure/identity is there', async () => {
    setEnvironment({ AZURE_STORAGE_KEY: AZURITE_KEY });
    try {
      const viaKey = await azureServiceClient('someaccount');
      expect(viaKey.url).toBe('https://someaccount.blob.core.windows.net/');
      setEnvironment({ AZURE_STORAGE_SAS_TOKEN: '?sv=2024-01-01&sig=c2VjcmV0' });
      expect((await azureServiceClient('someaccount')).url).toContain('https://someaccount.blob.core.windows.net/');
      setEnvironment({});
      // azurite brings @azure/identity into this tree; Fleetwave's own install does not.
      const chained = await azureServiceClient('someaccount');
      expect(chained.credential.constructor.name).toBe('DefaultAzureCredential');
    } finally {
      setEnvironment({ AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString });
    }
  });

  it('counts requests per operation: a suffix range asks the size first; a write stages blocks, commits, heads', async () => {
    const service = BlobServiceClient.fromConnectionString(azurite.connectionString);
    const seen: string[] = [];
    // The SDK keeps one request pipeline per service client, shared by its container and blob clients.
    const shared = (service as unknown as { pipeline: { _corePipeline: { addPolicy(p: unknown): void } } }).pipeline;
    shared._corePipeline.addPolicy({
      name: 'count',
      sendRequest(request: { method: string; url: string }, next: (r: unknown) => Promise<unknown>) {
        const comp = new URL(request.url).searchParams.get('comp');
        seen.push(`${request.method}${comp ? ` ${comp}` : ''}`);
        return next(request);
      },
    });
    const storage = new AzureStorage(AZURITE_ACCOUNT, container, service);
    const take = (): string[] => seen.splice(0);
    const key = 'counted/object.bin';
    await storage.write(key, Readable.from([Buffer.alloc(1000)]));
    expect(take()).toEqual(['PUT block', 'PUT blocklist', 'HEAD']);
    await storage.head(key);
    expect(take()).toEqual(['HEAD']);
    for await (const chunk of await storage.read(key)) void chunk;
    expect(take()).toEqual(['GET']);
    await readRange(storage, key, { offset: 10, length: 10 });
    expect(take()).toEqual(['GET']);
    await readRange(storage, key, { suffix: 8 });
    expect(take()).toEqual(['HEAD', 'GET']);
    await storage.list('counted/');
    expect(take()).toEqual(['GET list']);
    async function* twelve(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < 12; i++) yield Buffer.alloc(1024 * 1024, i);
    }
    await storage.write('counted/big.bin', twelve());
    expect(take()).toEqual(['PUT block', 'PUT block', 'PUT block', 'PUT blocklist', 'HEAD']);
  });
});
