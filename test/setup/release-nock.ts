/**
 * After each test file: nock's interception released. Jest runs many test files in one worker process,
 * each with its own module registry, but node:http is the process's: a file that left nock active with
 * net connect disabled made the next file's real loopback requests (the S3 and Azure emulators, the App's
 * listeners) fail with "Disallowed net connect", or hang. Every file now starts with plain node:http.
 */
import { afterAll } from '@jest/globals';
import nock from 'nock';

afterAll(() => {
  nock.cleanAll();
  nock.enableNetConnect();
  nock.restore();
});
