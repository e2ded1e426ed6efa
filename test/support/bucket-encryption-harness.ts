import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * Runs the real lib/k8s/bucket-encryption.sh under a POSIX shell with the fake `mc` (test/support/fake-mc/mc)
 * and a PATH holding only the commands the script may use in the mc image (cp, mkdir, sleep, tr), so a call to
 * anything else (sed, grep, cat, ...) fails the run.
 */

export const SCRIPT = path.resolve(__dirname, '../../lib/k8s/bucket-encryption.sh');
export const FAKE_MC_DIR = path.resolve(__dirname, 'fake-mc');
/** Commands, besides shell builtins and mc, the script may run (present in the ubi-micro based mc image). */
export const ALLOWED_COMMANDS = ['cp', 'mkdir', 'sleep', 'tr'];

/** Canary root credentials: characters that break URLs (`@ : / % #`), JSON (`" \`) and shells (`$() \` ; & | * ?`). */
export const CANARY_USER = 'canary-user-Zq7';
export const CANARY_PASSWORD = 'p@ss:w/rd%25#"x\\y z$(id)`id`;&|*?';

export const MINIO_URL = 'https://minio.minio-tenant-1.svc.cluster.local:443';

/** A shell to run the script with. */
export interface Shell {
  readonly name: string;
  readonly command: string;
  readonly args: string[];
}

function which(cmd: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const p = path.join(dir, cmd);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** `sh` (dash on Debian) always; `bash --posix` when bash is installed. */
export function shells(): Shell[] {
  const sh = which('sh');
  if (!sh) {
    throw new Error('no sh on PATH');
  }
  const out: Shell[] = [{ name: 'sh', command: sh, args: [] }];
  const bash = which('bash');
  if (bash) {
    out.push({ name: 'bash --posix', command: bash, args: ['--posix'] });
  }
  return out;
}

let restrictedBin: string | undefined;
function restrictedBinDir(): string {
  if (!restrictedBin) {
    restrictedBin = fs.mkdtempSync(path.join(os.tmpdir(), 'sse-bin-'));
    for (const cmd of ALLOWED_COMMANDS) {
      const target = which(cmd);
      if (!target) {
        throw new Error(`${cmd} not found on PATH`);
      }
      fs.symlinkSync(target, path.join(restrictedBin, cmd));
    }
  }
  return restrictedBin;
}

/** Options of one run. */
export interface RunOptions {
  /** Extra or overriding SSE_* env of the script. */
  readonly env?: Record<string, string | undefined>;
  /** FAKE_MC_* scenario variables. */
  readonly fake?: Record<string, string>;
  /** config.env content. @default export lines with the canaries */
  readonly configEnv?: string;
  /** Write the CA file. @default true */
  readonly ca?: boolean;
  /** @default the first of {@link shells} */
  readonly shell?: Shell;
}

/** What a run produced. */
export interface RunResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout + stderr. */
  readonly output: string;
  /** One line per mc invocation: its argv. */
  readonly calls: string[];
  /** One line per mc invocation: what mc saw (config.json, CA, MC_HOST_* count). */
  readonly checks: string[];
  /** The mc config.json as the fake saw it on its last call, parsed. */
  readonly seenConfig?: any;
  /** The temporary root of this run. */
  readonly dir: string;
  readonly mcConfigDir: string;
  readonly caFile: string;
  readonly stateDir: string;
}

export const CA_PEM = '-----BEGIN CERTIFICATE-----\nMIIBcanaryCA\n-----END CERTIFICATE-----\n';

export function defaultConfigEnv(user = CANARY_USER, password = CANARY_PASSWORD): string {
  return `export MINIO_ROOT_USER="${user}"\nexport MINIO_ROOT_PASSWORD="${password}"\nexport MINIO_STORAGE_CLASS_STANDARD="EC:2"\nexport MINIO_BROWSER="on"\n`;
}

export function runScript(opts: RunOptions = {}): RunResult {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sse-run-'));
  const stateDir = path.join(dir, 'state');
  const secretDir = path.join(dir, 'secret');
  const caDir = path.join(dir, 'ca');
  const mcConfigDir = path.join(dir, 'tmp', '.mc');
  for (const d of [stateDir, secretDir, caDir]) {
    fs.mkdirSync(d, { recursive: true });
  }
  const configEnvFile = path.join(secretDir, 'config.env');
  fs.writeFileSync(configEnvFile, opts.configEnv ?? defaultConfigEnv());
  const caFile = path.join(caDir, 'ca.crt');
  if (opts.ca ?? true) {
    fs.writeFileSync(caFile, CA_PEM);
  }
  const env: Record<string, string> = {
    PATH: `${FAKE_MC_DIR}${path.delimiter}${restrictedBinDir()}`,
    FAKE_MC_PATH: process.env.PATH ?? '/usr/bin:/bin',
    FAKE_MC_STATE: stateDir,
    SSE_MINIO_URL: MINIO_URL,
    SSE_TENANT: 'minio-tenant-1',
    SSE_DEFAULT_KEY: 'default-key',
    SSE_KEYS: 'default-key logs-key data-key',
    SSE_BUCKETS: 'logs=logs-key data=data-key archive=logs-key',
    SSE_READINESS_ATTEMPTS: '5',
    SSE_READINESS_INTERVAL_SECONDS: '0',
    SSE_INSECURE: 'false',
    SSE_CONFIG_ENV_FILE: configEnvFile,
    SSE_CONFIG_SECRET_NAME: 'minio-tenant-1-env-configuration',
    SSE_CA_FILE: caFile,
    SSE_CA_CONFIGMAP_NAME: 'kube-root-ca.crt',
    SSE_POD_NAME: 'minio-tenant-1-sse-0123456789-abcde',
    MC_CONFIG_DIR: mcConfigDir,
    FAKE_MC_KEYS_EXIST: 'default-key',
    ...(opts.fake ?? {}),
  };
  for (const [k, v] of Object.entries(opts.env ?? {})) {
    if (v === undefined) {
      delete env[k];
    } else {
      env[k] = v;
    }
  }
  const shell = opts.shell ?? shells()[0];
  const r = spawnSync(shell.command, [...shell.args, SCRIPT], { env, encoding: 'utf8', timeout: 30_000, input: '' });
  if (r.error) {
    throw r.error;
  }
  const lines = (f: string) => {
    const p = path.join(stateDir, f);
    return fs.existsSync(p) ? fs.readFileSync(p, 'utf8').split('\n').filter((l) => l !== '') : [];
  };
  const seenPath = path.join(stateDir, 'config.json.seen');
  return {
    status: r.status,
    stdout: r.stdout,
    stderr: r.stderr,
    output: `${r.stdout}${r.stderr}`,
    calls: lines('calls'),
    checks: lines('checks'),
    seenConfig: fs.existsSync(seenPath) ? JSON.parse(fs.readFileSync(seenPath, 'utf8')) : undefined,
    dir,
    mcConfigDir,
    caFile,
    stateDir,
  };
}
