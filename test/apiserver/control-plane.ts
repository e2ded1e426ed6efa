/**
 * Starts and stops the suite's control plane: an embedded etcd and kube-apiserver, both from the binary that
 * `test/apiserver/build.sh` builds (`control-plane`, see cmd/control-plane/main.go), on 127.0.0.1 with free
 * ports picked at start, a fresh data dir, generated certificates and service-account keys, RBAC authorization
 * and kube-apiserver's default admission plugins (no `--enable-admission-plugins` flag). No controller manager,
 * scheduler or kubelet runs.
 *
 * Every process id is written to `<workDir>/pids/<name>.pid` so that `run.sh`'s trap can stop what is left if
 * this process dies.
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

/** A running control plane. */
export interface ControlPlane {
  /** Path of the admin kubeconfig (client certificate CN=admin, O=system:masters). */
  readonly kubeconfig: string;
  /** https://127.0.0.1:<port> */
  readonly server: string;
  /** Folder of this control plane's logs (etcd.log, kube-apiserver.log). */
  readonly logDir: string;
  /** Stops kube-apiserver, then etcd (SIGTERM, SIGKILL after 10 s), and deletes the data dir. */
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function startProcess(bin: string, args: string[], name: string, dir: string, pidDir: string): ChildProcess {
  const log = fs.openSync(path.join(dir, `${name}.log`), 'a');
  const child = spawn(bin, args, { stdio: ['ignore', log, log], detached: true });
  fs.closeSync(log);
  if (child.pid !== undefined) {
    fs.writeFileSync(path.join(pidDir, `${name}.pid`), String(child.pid));
  }
  return child;
}

async function stopProcess(child: ChildProcess, name: string, pidDir: string): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
  fs.rmSync(path.join(pidDir, `${name}.pid`), { force: true });
}

function tail(file: string, lines: number): string {
  if (!fs.existsSync(file)) {
    return '(no log)';
  }
  return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts etcd and kube-apiserver under `<workDir>/<name>/` and waits until `/readyz` answers `ok`.
 * @param bin the control-plane binary
 * @param workDir the run's temporary folder (holds `pids/`)
 * @param name a folder name for this control plane, e.g. `cp-v5.0.4`
 * @throws Error with the tail of the failing process's log when a process exits early or is not ready in 300 s
 */
export async function startControlPlane(bin: string, workDir: string, name: string): Promise<ControlPlane> {
  const dir = path.join(workDir, name);
  const certs = path.join(dir, 'certs');
  const pidDir = path.join(workDir, 'pids');
  fs.mkdirSync(pidDir, { recursive: true });
  fs.mkdirSync(dir, { recursive: true });
  const gen = spawnSync(bin, ['certs', certs], { encoding: 'utf8' });
  if (gen.status !== 0) {
    throw new Error(`control-plane certs failed: ${gen.stderr}`);
  }
  const [etcdClient, etcdPeer, securePort] = [await freePort(), await freePort(), await freePort()];
  const etcd = startProcess(
    bin,
    ['etcd', path.join(dir, 'etcd-data'), String(etcdClient), String(etcdPeer)],
    `${name}-etcd`,
    dir,
    pidDir,
  );
  const c = (f: string) => path.join(certs, f);
  const apiserver = startProcess(
    bin,
    [
      'kube-apiserver',
      `--etcd-servers=http://127.0.0.1:${etcdClient}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${securePort}`,
      `--cert-dir=${path.join(dir, 'serving')}`,
      `--tls-cert-file=${c('apiserver.crt')}`,
      `--tls-private-key-file=${c('apiserver.key')}`,
      `--client-ca-file=${c('ca.crt')}`,
      `--service-account-key-file=${c('sa.pub')}`,
      `--service-account-signing-key-file=${c('sa.key')}`,
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      '--authorization-mode=RBAC',
      '--service-cluster-ip-range=10.96.0.0/16',
      '--profiling=false',
    ],
    `${name}-kube-apiserver`,
    dir,
    pidDir,
  );
  const server = `https://127.0.0.1:${securePort}`;
  const kubeconfig = path.join(dir, 'kubeconfig');
  fs.writeFileSync(
    kubeconfig,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      `- name: test`,
      `  cluster: {server: "${server}", certificate-authority: "${c('ca.crt')}"}`,
      'users:',
      `- name: admin`,
      `  user: {client-certificate: "${c('admin.crt')}", client-key: "${c('admin.key')}"}`,
      'contexts:',
      '- name: test',
      '  context: {cluster: test, user: admin}',
      'current-context: test',
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  const stop = async () => {
    await stopProcess(apiserver, `${name}-kube-apiserver`, pidDir);
    await stopProcess(etcd, `${name}-etcd`, pidDir);
    fs.rmSync(path.join(dir, 'etcd-data'), { recursive: true, force: true });
  };
  const deadline = Date.now() + 300_000;
  for (;;) {
    for (const [proc, n] of [
      [etcd, 'etcd'],
      [apiserver, 'kube-apiserver'],
    ] as const) {
      if (proc.exitCode !== null || proc.signalCode !== null) {
        await stop();
        throw new Error(
          `${n} exited early (${proc.exitCode ?? proc.signalCode}); last log lines:\n${tail(path.join(dir, `${name}-${n}.log`), 30)}`,
        );
      }
    }
    const r = spawnSync('kubectl', ['--kubeconfig', kubeconfig, 'get', '--raw', '/readyz', '--request-timeout=5s'], {
      encoding: 'utf8',
    });
    if (r.status === 0 && r.stdout.trim() === 'ok') {
      break;
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(
        `kube-apiserver not ready after 300 s; last log lines:\n${tail(path.join(dir, `${name}-kube-apiserver.log`), 30)}`,
      );
    }
    await sleep(1000);
  }
  return { kubeconfig, server, logDir: dir, stop };
}
