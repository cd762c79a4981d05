import { describe, expect, it } from '@jest/globals';
import {
  NotFoundError,
  OtherStorageError,
  PermissionDeniedError,
  PreconditionFailedError,
  TransientStorageError,
  scrubSecrets,
  storageError,
} from '../../../src/data/storage/port.js';
import { storageFor } from '../../../src/data/storage/uri.js';
import { InputError } from '../../../src/util/errors.js';

describe('storage errors', () => {
  const uri = 's3://b/in/part-3.avro';
  it.each([
    [{ code: 'NoSuchKey', status: 404 }, NotFoundError],
    [{ status: 404 }, NotFoundError],
    [{ code: 'AccessDenied', status: 403 }, PermissionDeniedError],
    [{ code: 'EACCES' }, PermissionDeniedError],
    [{ status: 412 }, PreconditionFailedError],
    [{ code: 'BlobAlreadyExists', status: 409 }, PreconditionFailedError],
    [{ code: 'SlowDown', status: 503 }, TransientStorageError],
    [{ code: 'ConditionalRequestConflict', status: 409 }, TransientStorageError],
    [{ code: 'ECONNRESET' }, TransientStorageError],
    [{ status: 500 }, TransientStorageError],
    [{ code: 'InvalidRequest', status: 400 }, OtherStorageError],
  ])('%j is typed by code, then status, and names the URI', (facts, type) => {
    const error = storageError(uri, facts);
    expect(error).toBeInstanceOf(type);
    expect(error.message.startsWith(`${uri}: `)).toBe(true);
    expect(error.uri).toBe(uri);
  });

  it('masks keys, signatures and SAS tokens in what a store said', () => {
    const said =
      'AccountKey=c2VjcmV0a2V5; url?sv=2024&sig=abc%2Bdef&se=1 Authorization: SharedKey acct:c2lnbmF0dXJl Credential=AKIA123/2026, X-Amz-Signature=deadbeef';
    const shown = scrubSecrets(said);
    for (const secret of ['c2VjcmV0a2V5', 'abc%2Bdef', 'c2lnbmF0dXJl', 'AKIA123', 'deadbeef']) expect(shown).not.toContain(secret);
    expect(storageError(uri, { status: 400, message: said }).message).not.toContain('c2VjcmV0a2V5');
  });

  it('storageFor refuses an unknown scheme or a URI without its bucket or container', async () => {
    await expect(storageFor('hdfs://namenode/in/')).rejects.toThrow(
      /hdfs:\/\/namenode\/in\/: no storage for the scheme hdfs:\/\/ \(use a path, file:\/\/, s3:\/\/, gs:\/\//,
    );
    await expect(storageFor('gs:///key')).rejects.toBeInstanceOf(InputError);
    await expect(storageFor('s3:///key')).rejects.toBeInstanceOf(InputError);
    await expect(storageFor('az://account')).rejects.toBeInstanceOf(InputError);
    await expect(storageFor('abfss://nothing/here')).rejects.toBeInstanceOf(InputError);
  });
});
