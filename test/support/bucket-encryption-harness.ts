import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bucketEncryptionScript, bucketEncryptionScriptParts } from '../../lib/k8s/bucket-encryption';
import { OperatorRelease } from '../../lib/declaration';

/**
 * Runs the bucket-encryption script exactly as the Job's ConfigMap ships it (`bucketEncryptionScript()`, the
 * concatenated parts of lib/k8s/bucket-encryption/) under a POSIX shell with the fake `mc`
 * (test/support/fake-mc/mc) in the profile of one mc release, and a PATH holding only the commands the script
 * may use in the mc image (cp, mkdir, sleep, tr), so a call to anything else (sed, grep, cat, ...) fails the run.
 * Single parts can be run alone with {@link runParts}.
 */

export const FAKE_MC_DIR = path.resolve(__dirname, 'fake-mc');

/** The mc release (`RELEASE.…`) in a release's `mcImage`, which names the fake-mc profile it is tested with. */
export function mcReleaseOf(release: OperatorRelease): string {
  const m = /:(RELEASE\.[0-9TZ-]+)$/.exec(release.mcImage);
  if (!m) {
    throw new Error(`mcImage ${release.mcImage} has no RELEASE tag`);
  }
  return m[1];
}

/** Every supported operator release with its mc release (= fake-mc profile). */
export const RELEASES = OperatorRelease.all().map((release) => ({
  release,
  tag: release.tag,
  mc: mcReleaseOf(release),
}));

let scriptFile: string | undefined;
/** The shipped script, written once to a temporary file. */
export function scriptPath(): string {
  if (!scriptFile) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sse-script-'));
    scriptFile = path.join(dir, 'bucket-encryption.sh');
    fs.writeFileSync(scriptFile, bucketEncryptionScript(), { mode: 0o444 });
  }
  return scriptFile;
}
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
  /** The mc release whose fake-mc profile answers (`RELEASE.…`, see {@link RELEASES}). Required. */
  readonly mc: string;
  /** Reuse the fake's state (and config.env, CA) of an earlier run: a second run on the same state. */
  readonly after?: RunResult;
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
  /** One line per mc invocation of this run: its argv. */
  readonly calls: string[];
  /** Every mc invocation on this state, earlier runs included. */
  readonly allCalls: string[];
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

/** The environment and files of one run (shared by {@link runScript} and {@link startScript}). */
function prepare(opts: RunOptions): {
  env: Record<string, string>;
  dir: string;
  stateDir: string;
  mcConfigDir: string;
  caFile: string;
} {
  const dir = opts.after?.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'sse-run-'));
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
    FAKE_MC_PROFILE: opts.mc,
    SSE_MC_TIMEOUT_SECONDS: '20',
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
  return { env, dir, stateDir, mcConfigDir, caFile };
}

type Prepared = ReturnType<typeof prepare>;

function collect(
  prep: Prepared,
  callsBefore: number,
  status: number | null,
  stdout: string,
  stderr: string,
): RunResult {
  const lines = (f: string) => {
    const p = path.join(prep.stateDir, f);
    return fs.existsSync(p)
      ? fs
          .readFileSync(p, 'utf8')
          .split('\n')
          .filter((l) => l !== '')
      : [];
  };
  const seenPath = path.join(prep.stateDir, 'config.json.seen');
  return {
    status,
    stdout,
    stderr,
    output: `${stdout}${stderr}`,
    calls: lines('calls').slice(callsBefore),
    allCalls: lines('calls'),
    checks: lines('checks').slice(callsBefore),
    seenConfig: fs.existsSync(seenPath) ? JSON.parse(fs.readFileSync(seenPath, 'utf8')) : undefined,
    dir: prep.dir,
    mcConfigDir: prep.mcConfigDir,
    caFile: prep.caFile,
    stateDir: prep.stateDir,
  };
}

export function runScript(opts: RunOptions): RunResult {
  const prep = prepare(opts);
  const callsBefore = opts.after ? opts.after.allCalls.length : 0;
  const shell = opts.shell ?? shells()[0];
  const r = spawnSync(shell.command, [...shell.args, scriptPath()], {
    env: prep.env,
    encoding: 'utf8',
    timeout: 60_000,
    input: '',
  });
  if (r.error) {
    throw r.error;
  }
  return collect(prep, callsBefore, r.status, r.stdout, r.stderr);
}

/** A run in the background, for signal tests. */
export interface StartedRun {
  readonly pid: number;
  /** Resolves once the fake mc has recorded a call starting with `prefix` (polls every 20 ms, up to 20 s). */
  waitForCall(prefix: string): Promise<void>;
  /** Resolves once the script's stdout or stderr contains `text` (polls every 20 ms, up to 20 s). */
  waitForOutput(text: string): Promise<void>;
  /** Sends a signal to the shell running the script (PID 1 in the Job's container gets it the same way). */
  kill(signal: NodeJS.Signals): void;
  /** Resolves when the shell has exited, with how long it took after the last kill (ms). */
  readonly done: Promise<RunResult & { readonly signal: NodeJS.Signals | null; readonly msAfterKill: number }>;
}

export function startScript(opts: RunOptions): StartedRun {
  const prep = prepare(opts);
  const shell = opts.shell ?? shells()[0];
  const child = spawn(shell.command, [...shell.args, scriptPath()], {
    env: prep.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  let killedAt = 0;
  const done = new Promise<RunResult & { signal: NodeJS.Signals | null; msAfterKill: number }>((resolve) => {
    child.on('close', (code, signal) => {
      resolve({ ...collect(prep, 0, code, stdout, stderr), signal, msAfterKill: Date.now() - killedAt });
    });
  });
  const callsFile = path.join(prep.stateDir, 'calls');
  return {
    pid: child.pid ?? -1,
    done,
    kill(signal) {
      killedAt = Date.now();
      child.kill(signal);
    },
    async waitForCall(prefix) {
      const until = Date.now() + 20_000;
      while (Date.now() < until) {
        const calls = fs.existsSync(callsFile) ? fs.readFileSync(callsFile, 'utf8').split('\n') : [];
        if (calls.some((c) => c.startsWith(prefix))) {
          return;
        }
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error(`no mc call starting with "${prefix}" within 20 s; stdout so far: ${stdout}`);
    },
    async waitForOutput(text) {
      const until = Date.now() + 20_000;
      while (Date.now() < until) {
        if (stdout.includes(text) || stderr.includes(text)) {
          return;
        }
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error(`no output containing "${text}" within 20 s; stdout so far: ${stdout}; stderr: ${stderr}`);
    },
  };
}

/**
 * The fake's object store after a run: every key, bucket, bucket default, lock setting, stored object version,
 * delete marker and removed version, with its content. Two equal snapshots mean nothing changed.
 */
export function storeSnapshot(stateDir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fs.readdirSync(stateDir).sort()) {
    if (/^(key|bucket|sse|lock|obj|marker|removed)-/.test(f)) {
      out[f] = fs.readFileSync(path.join(stateDir, f), 'utf8');
    }
  }
  return out;
}

/** Object versions left in the store (`<bucket>/<object>@<version>`), with `retained` when a retention keeps them. */
export function storedObjects(stateDir: string): string[] {
  return fs
    .readdirSync(stateDir)
    .filter((f) => f.startsWith('obj-') && !f.endsWith('.retained'))
    .map((f) => {
      const [bucket, object, version] = f.slice('obj-'.length).split('--');
      const retained = fs.existsSync(path.join(stateDir, `${f}.retained`)) ? ' retained' : '';
      return `${bucket}/${object}@${version}${retained}`;
    })
    .sort();
}

/**
 * Runs some parts of the script alone: sources the named parts (file names in lib/k8s/bucket-encryption/, in the
 * order given) and then `snippet`, under `shell`, with `env` (PATH limited as for the whole script, fake mc first).
 * `files` are written into `$TMPDIR` first (name -> content).
 */
export function runParts(
  parts: string[],
  snippet: string,
  opts: { env?: Record<string, string>; shell?: Shell; mc?: string; files?: Record<string, string> } = {},
): { status: number | null; stdout: string; stderr: string; stateDir: string } {
  const all = bucketEncryptionScriptParts();
  const files = parts.map((name) => {
    const found = all.find((p) => p.name === name);
    if (!found) {
      throw new Error(`no script part ${name}: have ${all.map((p) => p.name).join(', ')}`);
    }
    return found.file;
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sse-part-'));
  const stateDir = path.join(dir, 'state');
  fs.mkdirSync(stateDir);
  const program = path.join(dir, 'program.sh');
  fs.writeFileSync(program, `${files.map((f) => `. '${f}'`).join('\n')}\n${snippet}\n`);
  for (const [name, text] of Object.entries(opts.files ?? {})) {
    fs.writeFileSync(path.join(dir, name), text);
  }
  const shell = opts.shell ?? shells()[0];
  const r = spawnSync(shell.command, [...shell.args, program], {
    env: {
      PATH: `${FAKE_MC_DIR}${path.delimiter}${restrictedBinDir()}`,
      FAKE_MC_PATH: process.env.PATH ?? '/usr/bin:/bin',
      FAKE_MC_STATE: stateDir,
      FAKE_MC_PROFILE: opts.mc ?? RELEASES[RELEASES.length - 1].mc,
      TMPDIR: dir,
      ...(opts.env ?? {}),
    },
    encoding: 'utf8',
    timeout: 30_000,
    input: '',
  });
  if (r.error) {
    throw r.error;
  }
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, stateDir };
}
