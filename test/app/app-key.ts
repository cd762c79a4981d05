/** A throwaway RSA key (PKCS#1 PEM, as GitHub issues App keys) for the App's tests, made once per test process. */
import { generateKeyPairSync } from 'node:crypto';

export const { privateKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});
