/**
 * The environment of untrusted code (custom codemods, a consumer's local checks): built from an allow
 * list, never from a copy of ours minus a few names. The rule, in this order:
 *
 *   1. From our own environment only what a build needs: PATH, LANG, LANGUAGE, LC_*, TZ, TERM, CI and
 *      the CA bundle variables (NODE_EXTRA_CA_CERTS, SSL_CERT_FILE, SSL_CERT_DIR). Nothing else —
 *      not NODE_OPTIONS (it can `--require` code and carry our flags), not npm_config_* (a registry
 *      token can live there), not proxies (their URLs carry credentials).
 *   2. HOME and TMPDIR (and TMP, TEMP) point at folders of the untrusted code's own, never ours: no
 *      ~/.npmrc, ~/.gitconfig, ~/.config/gh or cloud credentials files reachable through $HOME.
 *   3. Then the variables the operator configured for it (`extra`), e.g. the local forge's `checkEnv`
 *      (they may replace PATH, not HOME or the temp folders).
 *   4. Whatever the source, a name that looks like a secret or like the host's control plane is
 *      dropped, even when the operator configured it: GITHUB_*, GH_*, INPUT_*, ACTIONS_*, RUNNER_*,
 *      AWS_*, AZURE_*, GOOGLE_*, GCP_*, PAGERDUTY*, BACKSTAGE*, SSH_AUTH_SOCK, and any name containing
 *      TOKEN, SECRET, PASSWORD, PASSWD, CREDENTIAL, PRIVATE_KEY, or ending in _KEY / _KEY_ID. FLEETWAVE_*
 *      never comes from our own environment; the operator may configure non-secret FLEETWAVE_* values
 *      (the demo's FLEETWAVE_LAKE, the data a check reads), and the caller adds its own (FLEETWAVE_REPO).
 *
 * `refused` names what step 4 dropped from the operator's variables (names only, never values), so the
 * caller can say so once in its log.
 */
import { delimiter } from 'node:path';

const ALLOWED = /^(PATH|LANG|LANGUAGE|LC_[A-Z_]+|TZ|TERM|CI|NODE_EXTRA_CA_CERTS|SSL_CERT_FILE|SSL_CERT_DIR)$/;

/** Fleetwave's own settings: never inherited (they include the App's), allowed from the operator unless secret-looking. */
const OURS = /^FLEETWAVE_/i;

const DENIED = [
  /^(GITHUB|GH|INPUT|ACTIONS|RUNNER|AWS|AZURE|GOOGLE|GCP)_/i,
  /^(PAGERDUTY|BACKSTAGE)/i,
  /^SSH_AUTH_SOCK$/i,
  /TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|PRIVATE_?KEY/i,
  /_KEY(_ID)?$/i,
];

/** True when `name` may never reach untrusted code, whoever asks. */
export function isSecretName(name: string): boolean {
  return DENIED.some((re) => re.test(name));
}

export interface UntrustedEnvOptions {
  /** The untrusted code's own home folder. */
  home: string;
  /** The untrusted code's own temp folder. */
  tmp: string;
  /** Variables the operator configured (checked against the deny rule all the same). */
  extra?: Record<string, string>;
  /** Folders put first on PATH (e.g. a toolchain's `.bin`). */
  pathPrefix?: string[];
  /** Our environment; process.env unless a test says otherwise. */
  from?: NodeJS.ProcessEnv;
}

export function untrustedEnv(options: UntrustedEnvOptions): { env: Record<string, string>; refused: string[] } {
  const from = options.from ?? process.env;
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(from)) if (v !== undefined && ALLOWED.test(k) && !isSecretName(k) && !OURS.test(k)) env[k] = v;
  const refused: string[] = [];
  for (const [k, v] of Object.entries(options.extra ?? {})) {
    if (isSecretName(k)) refused.push(k);
    else env[k] = v;
  }
  env.HOME = options.home;
  env.TMPDIR = env.TMP = env.TEMP = options.tmp;
  const path = [...(options.pathPrefix ?? []), env.PATH ?? '/usr/local/bin:/usr/bin:/bin'].filter(Boolean);
  env.PATH = path.join(delimiter);
  return { env, refused };
}
