/**
 * The real stores the storage tests run against, each started as a child process on a free port:
 * the S3-compatible server (./s3-server.mjs: s3rver behind a front that answers as S3 does) and
 * Azure's emulator Azurite (npm `azurite`, in memory).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
/** The repository's root, from test/data/storage/ or (the benchmarks import this too) build/test/data/storage/. */
const root = join(here, ...(here.includes(join('build', 'test')) ? ['..', '..', '..', '..'] : ['..', '..', '..']));
const require = createRequire(import.meta.url);

export interface RunningServer {
  endpoint: string;
  stop(): Promise<void>;
}

function stopper(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.stdin?.end();
      child.kill('SIGTERM');
    });
}

export interface S3TestServer extends RunningServer {
  accessKey: string;
  secret: string;
  bucket: string;
  /** Only the standard AWS variables that reach it, as a user's workflow sets them. */
  env: Record<string, string>;
  /** Requests by S3 operation since the last reset. */
  requests(reset?: boolean): Promise<Record<string, number>>;
}

export async function startS3Server(bucket = 'fleetwave'): Promise<S3TestServer> {
  const accessKey = 'fleetwave-test';
  const secret = randomBytes(20).toString('base64url');
  const child = spawn(process.execPath, ['--openssl-legacy-provider', join(root, 'test', 'data', 'storage', 's3-server.mjs')], {
    cwd: root,
    env: {
      ...process.env,
      S3RVER_MAIN: require.resolve('s3rver'),
      S3_TEST_ACCESS_KEY: accessKey,
      S3_TEST_SECRET: secret,
      S3_TEST_BUCKETS: bucket,
    },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the S3 test server stopped (${code}) before it listened`)));
    createInterface({ input: child.stdout! }).once('line', (line) => resolve((JSON.parse(line) as { port: number }).port));
  });
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    accessKey,
    secret,
    bucket,
    env: { AWS_ENDPOINT_URL_S3: endpoint, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: accessKey, AWS_SECRET_ACCESS_KEY: secret },
    stop: stopper(child),
    async requests(reset = false) {
      // A kept-alive socket the server has closed meanwhile fails the first try: ask again.
      for (let attempt = 1; ; attempt++) {
        try {
          const answer = await fetch(`${endpoint}/__requests`, { method: reset ? 'DELETE' : 'GET' });
          return (await answer.json()) as Record<string, number>;
        } catch (err) {
          if (attempt >= 3) throw err;
        }
      }
    },
  };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Azurite's well-known development account (public, documented by Microsoft: not a secret). */
export const AZURITE_ACCOUNT = 'devstoreaccount1';
export const AZURITE_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export async function startAzurite(): Promise<RunningServer & { connectionString: string }> {
  const port = await freePort();
  const main = require.resolve('azurite/dist/src/blob/main.js');
  const child = spawn(
    process.execPath,
    [
      main,
      '--blobHost',
      '127.0.0.1',
      '--blobPort',
      String(port),
      '--inMemoryPersistence',
      '--silent',
      '--skipApiVersionCheck',
      '--disableTelemetry',
      '--extentMemoryLimit',
      '256',
    ],
    { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`Azurite stopped (${code}) before it listened`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (/successfully listens/i.test(line)) resolve();
    });
  });
  const endpoint = `http://127.0.0.1:${port}/${AZURITE_ACCOUNT}`;
  return {
    endpoint,
    connectionString: `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};BlobEndpoint=${endpoint};`,
    stop: stopper(child),
  };
}
