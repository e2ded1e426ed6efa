/**
 * The API server suite (`npm run test:apiserver`, started by run.sh): the README's apply steps, run literally
 * with the machine's kubectl against a real kube-apiserver, for each operator release, then the upgrade
 * v5.0.4 → v7.1.1 over a live install. Prints `ok`/`not ok` per check and ends with `N passed, N failed`.
 *
 * Usage: ts-node --transpile-only test/apiserver/suite.ts <control-plane binary> <work dir>
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { OperatorCrds, OperatorRelease, synthesize } from '../../lib';
import { seedDeclaration } from '../../examples/seed';
import { ControlPlane, startControlPlane } from './control-plane';
import { ReadmeCommand, readmeApplyCommands, readmeCommandsUnder } from './readme';

type Obj = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [k: string]: unknown };
  [k: string]: unknown;
};

const repo = path.resolve(__dirname, '..', '..');
const [bin, workDir] = process.argv.slice(2);
const RELEASES = ['v5.0.4', 'v7.1.1'] as const;
const TENANT_NS = 'minio-tenant-1';
const OPERATOR_NS = 'minio-operator';

let passed = 0;
let failed = 0;
const summaryFile = workDir ? path.join(workDir, 'counts') : '';

function record(name: string, problem: string | undefined): boolean {
  if (problem === undefined) {
    passed++;
    console.log(`ok - ${name}`);
  } else {
    failed++;
    console.log(`not ok - ${name}\n    ${problem.split('\n').join('\n    ')}`);
  }
  fs.writeFileSync(summaryFile, `${passed} ${failed}\n`);
  return problem === undefined;
}

/** Runs `fn`; a thrown Error is the failure reason. */
function check(name: string, fn: () => void): boolean {
  try {
    fn();
    return record(name, undefined);
  } catch (e) {
    return record(name, (e as Error).message);
  }
}

function note(text: string): void {
  console.log(`# ${text}`);
}

interface Run {
  readonly status: number;
  readonly out: string;
}

function kubectl(cp: ControlPlane, args: string[], input?: string): Run {
  const r = spawnSync('kubectl', args, {
    encoding: 'utf8',
    input,
    env: { ...process.env, KUBECONFIG: cp.kubeconfig },
    timeout: 120_000,
  });
  return { status: r.status ?? 1, out: `${r.stdout ?? ''}${r.stderr ?? ''}`.trim() };
}

function kubectlJson(cp: ControlPlane, args: string[]): any {
  const r = kubectl(cp, [...args, '-o', 'json']);
  if (r.status !== 0) {
    throw new Error(`kubectl ${args.join(' ')}: ${r.out}`);
  }
  return JSON.parse(r.out);
}

/** The README's commands run in one bash (shell variables carry over), in `cwd`, each with its exit code. */
function runReadme(
  cp: ControlPlane,
  cwd: string,
  commands: readonly ReadmeCommand[],
): { cmd: ReadmeCommand; run: Run }[] {
  const todo = commands.filter((c) => c.skip === undefined);
  const script = ['exec 2>&1']
    .concat(todo.map((c, i) => `printf '\\n::start ${i}\\n'\n${c.run}\nprintf '\\n::rc ${i} %s\\n' "$?"`))
    .join('\n');
  const r = spawnSync('bash', ['-c', script], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, KUBECONFIG: cp.kubeconfig },
    timeout: 300_000,
  });
  const out = r.stdout ?? '';
  return todo.map((cmd, i) => {
    const m = out.match(new RegExp(`::start ${i}\\n([\\s\\S]*?)\\n::rc ${i} (\\d+)`));
    return {
      cmd,
      run: m ? { status: Number(m[2]), out: m[1].trim() } : { status: 1, out: `did not run: ${out.slice(-500)}` },
    };
  });
}

function readObjects(file: string): Obj[] {
  return parseAllDocuments(fs.readFileSync(file, 'utf8'))
    .map((d) => d.toJS() as Obj)
    .filter((o) => o !== null);
}

const objectName = (o: Obj) => `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;

/**
 * Every field we sent must be in the live object with the same value (lists: same length, item by item).
 * Fields the API server adds (defaults, metadata) are allowed. Secret values are compared but never printed.
 */
function fieldDiff(ours: unknown, live: unknown, at: string, out: string[], secret: boolean): void {
  if (ours === null || typeof ours !== 'object') {
    if (ours !== live) {
      out.push(secret ? `${at}: differs` : `${at}: sent ${JSON.stringify(ours)}, live ${JSON.stringify(live)}`);
    }
    return;
  }
  if (Array.isArray(ours)) {
    if (!Array.isArray(live)) {
      out.push(`${at}: sent a list, live ${live === undefined ? 'has none (pruned)' : 'is not a list'}`);
      return;
    }
    if (live.length !== ours.length) {
      out.push(`${at}: sent ${ours.length} items, live has ${live.length}`);
    }
    ours.forEach((v, i) => fieldDiff(v, live[i], `${at}[${i}]`, out, secret));
    return;
  }
  if (live === null || typeof live !== 'object' || Array.isArray(live)) {
    out.push(`${at}: sent an object, live ${live === undefined ? 'has none (pruned)' : 'is not an object'}`);
    return;
  }
  for (const [k, v] of Object.entries(ours as Record<string, unknown>)) {
    const l = (live as Record<string, unknown>)[k];
    if (l === undefined) {
      out.push(`${at}.${k}: sent, missing live (pruned or dropped)`);
      continue;
    }
    fieldDiff(v, l, `${at}.${k}`, out, secret);
  }
}

/** What we sent, in the form the API server stores it (Secret stringData is written into data, base64). */
function asStored(o: Obj): Obj {
  if (o.kind !== 'Secret' || o.stringData === undefined) {
    return o;
  }
  const { stringData, ...rest } = o;
  const data: Record<string, string> = { ...((o.data as Record<string, string>) ?? {}) };
  for (const [k, v] of Object.entries(stringData as Record<string, string>)) {
    data[k] = Buffer.from(v, 'utf8').toString('base64');
  }
  return { ...rest, data } as Obj;
}

/** One check per object of `file`: it exists and holds every field we sent. */
function checkAsSent(cp: ControlPlane, label: string, file: string): void {
  const ours = readObjects(file);
  let live: Obj[] = [];
  const got = kubectl(cp, ['get', '-f', file, '-o', 'json']);
  if (got.status === 0) {
    const parsed = JSON.parse(got.out);
    live = parsed.kind === 'List' ? parsed.items : [parsed];
  }
  for (const o of ours) {
    check(`${label}: ${objectName(o)} exists as sent (no field pruned, changed or defaulted away)`, () => {
      const l = live.find(
        (x) =>
          x.kind === o.kind && x.metadata.name === o.metadata.name && x.metadata.namespace === o.metadata.namespace,
      );
      if (!l) {
        throw new Error(got.status === 0 ? 'not found live' : `kubectl get -f: ${got.out}`);
      }
      const problems: string[] = [];
      fieldDiff(asStored(o), l, '', problems, o.kind === 'Secret');
      if (problems.length > 0) {
        throw new Error(problems.slice(0, 20).join('\n'));
      }
    });
  }
}

/** uid → resourceVersion of every object in `files`. */
function versions(cp: ControlPlane, files: string[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const f of files) {
    const parsed = kubectlJson(cp, ['get', '-f', f]);
    for (const o of parsed.kind === 'List' ? parsed.items : [parsed]) {
      m.set(`${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`, o.metadata.resourceVersion);
    }
  }
  return m;
}

function countCel(value: unknown): number {
  if (value === null || typeof value !== 'object') {
    return 0;
  }
  let n = 0;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    n += k === 'x-kubernetes-validations' && Array.isArray(v) ? v.length : countCel(v);
  }
  return n;
}

function synthRelease(release: string, outdir: string): void {
  // The README's command, with the output folder moved into the work dir.
  const r = spawnSync('npm', ['run', '-s', 'synth'], {
    cwd: repo,
    encoding: 'utf8',
    env: { ...process.env, MINIO_SSE_RELEASE: release, CDK8S_OUTDIR: outdir },
  });
  if (r.status !== 0) {
    throw new Error(`MINIO_SSE_RELEASE=${release} npm run synth: ${r.stdout}${r.stderr}`);
  }
}

/**
 * The seed scenario with one bucket more, synthesized in-process with the library's synthesize(). The CRDs come
 * from where `npm run synth` takes them (examples/cdk8s/main.ts): MINIO_SSE_CRDS_DIR, else
 * ../shared/fixtures/minio-operator when it exists, else the pinned download.
 */
async function synthChangedBuckets(release: string, outdir: string): Promise<void> {
  const dir = process.env.MINIO_SSE_CRDS_DIR;
  const shared = path.resolve(repo, '../shared/fixtures/minio-operator');
  const crds = dir
    ? OperatorCrds.fromDirectory(path.resolve(repo, dir))
    : dir === undefined && fs.existsSync(shared)
      ? OperatorCrds.fromDirectory(shared)
      : OperatorCrds.fromRelease();
  const tag = OperatorRelease.fromTag(release);
  await crds.prefetch(tag);
  const seed = seedDeclaration({ release: tag });
  synthesize({
    declaration: {
      ...seed,
      buckets: [...(seed.buckets ?? []), { name: 'secondbucket', encryptionKey: 'second-bucket-key' }],
    },
    outdir,
    crds,
  });
}

const applyCommands = (cmds: readonly ReadmeCommand[]) => cmds.filter((c) => /^kubectl (apply|wait)\b/.test(c.run));
const fileOf = (dir: string, prefix: string) => {
  const f = fs.readdirSync(path.join(dir, 'dist')).find((x) => x.startsWith(prefix));
  if (!f) {
    throw new Error(`${dir}/dist: no ${prefix}* file`);
  }
  return path.join(dir, 'dist', f);
};

function podFrom(template: any, name: string, namespace: string): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels: template.metadata?.labels },
    spec: template.spec,
  };
}

/** Server-side dry-run create of a Pod; returns kubectl's exit code and output. */
function dryRunPod(cp: ControlPlane, pod: Obj): Run {
  return kubectl(cp, ['create', '--dry-run=server', '-o', 'name', '-f', '-'], JSON.stringify(pod));
}

function checkPodSecurity(cp: ControlPlane, label: string, dir: string): void {
  const tenantObjs = readObjects(fileOf(dir, '0001-'));
  const operatorObjs = readObjects(fileOf(dir, '0000-'));
  const job = tenantObjs.find((o) => o.kind === 'Job') as any;
  const deploy = operatorObjs.find((o) => o.kind === 'Deployment') as any;
  const ns = operatorObjs.find((o) => o.kind === 'Namespace' && o.metadata.name === TENANT_NS) as any;
  // The library labels the tenant Namespace enforce=restricted where the operator's containers allow it (v7.1.1);
  // the suite labels only what the library does not, so that the Job Pod is still checked under "restricted".
  const synthesized = ns?.metadata?.labels?.['pod-security.kubernetes.io/enforce'];
  note(
    `${label}: the synthesized Namespace ${TENANT_NS} has pod-security.kubernetes.io/enforce=${synthesized ?? '(unset)'}` +
      `${synthesized === 'restricted' ? '' : '; the suite sets it to restricted'}`,
  );
  for (const n of [TENANT_NS, OPERATOR_NS]) {
    // No controller manager runs, so the "default" ServiceAccount it would create is created here.
    kubectl(cp, ['-n', n, 'create', 'serviceaccount', 'default']);
    if (n !== TENANT_NS || synthesized !== 'restricted') {
      kubectl(cp, ['label', 'namespace', n, 'pod-security.kubernetes.io/enforce=restricted', '--overwrite']);
    }
  }
  check(`${label}: namespace ${TENANT_NS} labelled pod-security.kubernetes.io/enforce=restricted`, () => {
    const live = kubectlJson(cp, ['get', 'namespace', TENANT_NS]);
    const v = live.metadata.labels?.['pod-security.kubernetes.io/enforce'];
    if (v !== 'restricted') {
      throw new Error(`label is ${JSON.stringify(v)}`);
    }
  });
  check(
    `${label}: a Pod from the Job ${job.metadata.name} template is admitted in ${TENANT_NS} (server-side dry run)`,
    () => {
      const r = dryRunPod(cp, podFrom(job.spec.template, `${job.metadata.name}-probe`, TENANT_NS));
      if (r.status !== 0) {
        throw new Error(r.out);
      }
    },
  );
  check(`${label}: control: the same Pod with capability NET_RAW added is refused by Pod Security restricted`, () => {
    const pod = podFrom(
      JSON.parse(JSON.stringify(job.spec.template)),
      `${job.metadata.name}-net-raw`,
      TENANT_NS,
    ) as any;
    const sc = pod.spec.containers[0].securityContext ?? {};
    pod.spec.containers[0].securityContext = { ...sc, capabilities: { ...sc.capabilities, add: ['NET_RAW'] } };
    const r = dryRunPod(cp, pod);
    if (r.status === 0 || !r.out.includes('violates PodSecurity "restricted')) {
      throw new Error(`expected a PodSecurity "restricted" refusal, got exit ${r.status}: ${r.out}`);
    }
  });
  check(
    `${label}: a Pod from the operator Deployment template is admitted in ${OPERATOR_NS} labelled restricted`,
    () => {
      const r = dryRunPod(cp, podFrom(deploy.spec.template, 'minio-operator-probe', OPERATOR_NS));
      if (r.status !== 0) {
        throw new Error(r.out);
      }
    },
  );
}

function checkCel(cp: ControlPlane, label: string, dir: string): void {
  const crd = readObjects(fileOf(dir, '0000-')).find(
    (o) => o.kind === 'CustomResourceDefinition' && o.metadata.name === 'tenants.minio.min.io',
  );
  const sent = countCel(crd);
  const live = countCel(kubectlJson(cp, ['get', 'crd', 'tenants.minio.min.io']).spec);
  check(`${label}: the live Tenant CRD holds the ${sent} CEL rule(s) we sent`, () => {
    if (live !== sent) {
      throw new Error(`sent ${sent}, live ${live}`);
    }
  });
  if (sent === 0) {
    note(
      `${label}: this release's Tenant CRD has no x-kubernetes-validations; the Tenant's schema validation is what ran`,
    );
    return;
  }
  // The Tenant was admitted with every rule evaluated; the control proves the rules do run on this server.
  check(
    `${label}: CEL control: changing pools[0].servers on the live Tenant is refused ("servers is immutable")`,
    () => {
      const r = kubectl(cp, [
        '-n',
        TENANT_NS,
        'patch',
        'tenant',
        TENANT_NS,
        '--type=json',
        '--dry-run=server',
        '-p',
        '[{"op":"replace","path":"/spec/pools/0/servers","value":8}]',
      ]);
      if (r.status === 0 || !r.out.includes('servers is immutable')) {
        throw new Error(`expected the CEL refusal, got exit ${r.status}: ${r.out}`);
      }
    },
  );
}

/** Fresh control plane: README steps, objects as sent, re-apply no-op, CEL, Pod Security, changed bucket list. */
async function scenario(release: string, commands: readonly ReadmeCommand[], upgradeTo?: string): Promise<void> {
  const dir = path.join(workDir, release);
  const label = `${release}`;
  const cp = await startControlPlane(bin, workDir, `cp-${release}`);
  try {
    note(`${label}: kube-apiserver ready at ${cp.server}`);
    for (const { cmd, run } of runReadme(cp, dir, commands)) {
      record(
        `${label}: README step \`${cmd.text.length > 110 ? `${cmd.text.slice(0, 107)}...` : cmd.text}\``,
        run.status === 0 ? undefined : `exit ${run.status}: ${run.out}`,
      );
    }
    for (const c of commands.filter((x) => x.skip)) {
      note(`${label}: README step \`${c.text}\` not run: ${c.skip}`);
    }
    const files = [fileOf(dir, '0000-'), fileOf(dir, '0001-')];
    for (const f of files) {
      checkAsSent(cp, label, f);
    }
    const before = versions(cp, files);
    const again = runReadme(cp, dir, applyCommands(commands));
    check(`${label}: re-applying the same files succeeds and changes nothing (every resourceVersion kept)`, () => {
      const bad = again.filter((a) => a.run.status !== 0);
      if (bad.length > 0) {
        throw new Error(bad.map((b) => `${b.cmd.text}: ${b.run.out}`).join('\n'));
      }
      const after = versions(cp, files);
      const changed = [...before].filter(([k, v]) => after.get(k) !== v).map(([k]) => k);
      if (changed.length > 0) {
        throw new Error(`changed: ${changed.join(', ')}`);
      }
    });
    checkCel(cp, label, dir);
    checkPodSecurity(cp, label, dir);

    // A changed bucket list: a new Job name, so no "field is immutable".
    const changedDir = path.join(workDir, `${release}-changed`);
    await synthChangedBuckets(release, path.join(changedDir, 'dist'));
    const tenantApply = commands.find((c) => /^kubectl apply -f dist\/0001-/.test(c.run));
    if (!tenantApply) {
      record(
        `${label}: README has the tenant apply step`,
        'no `kubectl apply -f dist/0001-…` command in the README block',
      );
    } else {
      const [res] = runReadme(cp, changedDir, [tenantApply]);
      check(`${label}: a changed bucket list applies (no "field is immutable")`, () => {
        if (res.run.status !== 0 || res.run.out.includes('field is immutable')) {
          throw new Error(`exit ${res.run.status}: ${res.run.out}`);
        }
      });
      const oldJob = readObjects(files[1]).find((o) => o.kind === 'Job')!;
      const newJob = readObjects(fileOf(changedDir, '0001-')).find((o) => o.kind === 'Job')!;
      check(
        `${label}: the changed declaration gives a new Job name (${newJob.metadata.name} after ${oldJob.metadata.name})`,
        () => {
          if (newJob.metadata.name === oldJob.metadata.name) {
            throw new Error('same Job name');
          }
        },
      );
      checkAsSent(cp, `${label} changed buckets`, fileOf(changedDir, '0001-'));
    }

    if (upgradeTo) {
      await upgrade(cp, release, upgradeTo, commands);
    }
  } finally {
    await cp.stop();
  }
}

const UPGRADE_HEADING = '### Upgrade notes: v5.0.4 to v7.1.1';
const STRATEGY_REFUSAL =
  "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'";

/**
 * The upgrade: on the live `from` install, the README's apply steps with the `to` output. What the API server
 * accepts and refuses is asserted step by step; the README's upgrade notes say the same, and their command is
 * run from the README before the steps are applied again.
 */
async function upgrade(cp: ControlPlane, from: string, to: string, commands: readonly ReadmeCommand[]): Promise<void> {
  const label = `upgrade ${from} -> ${to}`;
  const dir = path.join(workDir, to);
  const fromDir = path.join(workDir, from);
  const oldTenantObjs = readObjects(fileOf(fromDir, '0001-'));
  const first = runReadme(cp, dir, applyCommands(commands));
  for (const { cmd, run } of first) {
    if (/0000-/.test(cmd.run)) {
      check(
        `${label}: README step \`${cmd.text}\` applies everything but the operator Deployment, refused as the upgrade notes say`,
        () => {
          const appliedLines = run.out.split('\n').filter((l) => l.endsWith(' serverside-applied'));
          const sent = readObjects(fileOf(dir, '0000-')).filter((o) => o.kind !== 'Deployment').length;
          if (run.status === 0 || !run.out.includes(STRATEGY_REFUSAL) || appliedLines.length !== sent) {
            throw new Error(
              `expected ${sent} objects applied and the refusal "${STRATEGY_REFUSAL}"; exit ${run.status}: ${run.out}`,
            );
          }
        },
      );
    } else {
      record(
        `${label}: README step \`${cmd.text}\` accepted`,
        run.status === 0 ? undefined : `exit ${run.status}: ${run.out}`,
      );
    }
  }
  check(`${label}: the refused Deployment is still the ${from} one`, () => {
    const d = kubectlJson(cp, ['-n', OPERATOR_NS, 'get', 'deployment', 'minio-operator']);
    const image: string = d.spec.template.spec.containers[0].image;
    if (!image.endsWith(`:${from}`)) {
      throw new Error(`image ${image}`);
    }
  });
  for (const { cmd, run } of runReadme(cp, dir, readmeCommandsUnder(path.join(repo, 'README.md'), UPGRADE_HEADING))) {
    record(
      `${label}: upgrade notes step \`${cmd.text}\``,
      run.status === 0 ? undefined : `exit ${run.status}: ${run.out}`,
    );
  }
  for (const { cmd, run } of runReadme(cp, dir, applyCommands(commands))) {
    record(
      `${label}: after the upgrade notes step, README step \`${cmd.text}\` accepted`,
      run.status === 0 ? undefined : `exit ${run.status}: ${run.out}`,
    );
  }
  for (const f of [fileOf(dir, '0000-'), fileOf(dir, '0001-')]) {
    checkAsSent(cp, label, f);
  }
  check(`${label}: the Tenant CRD's stored versions after the upgrade are served by the new CRD`, () => {
    const crd = kubectlJson(cp, ['get', 'crd', 'tenants.minio.min.io']);
    const served = (crd.spec.versions as { name: string; served: boolean }[])
      .filter((v) => v.served)
      .map((v) => v.name);
    const stored: string[] = crd.status.storedVersions ?? [];
    const missing = stored.filter((v) => !served.includes(v));
    note(`${label}: Tenant CRD served versions ${served.join(', ')}; status.storedVersions ${stored.join(', ')}`);
    if (missing.length > 0 || stored.length === 0) {
      throw new Error(`stored ${stored.join(', ') || '(none)'}, served ${served.join(', ')}`);
    }
  });
  for (const kind of ['Job', 'ConfigMap']) {
    const old = oldTenantObjs.find((o) => o.kind === kind)!;
    check(`${label}: the ${from} ${kind} ${old.metadata.name} is left in place (kubectl apply does not prune)`, () => {
      kubectlJson(cp, ['-n', TENANT_NS, 'get', kind.toLowerCase(), old.metadata.name]);
    });
  }
}

/**
 * The multi-tenant example (`npm run synth:platform`, dist-platform/) on a fresh control plane, in the order its
 * README section gives: the operator file (server-side, as in the apply steps), the README's CRD wait line, then
 * every `tenant-*.k8s.yaml`. Asserts each step, every object as sent, and that re-applying changes nothing.
 */
async function platformScenario(release: string, commands: readonly ReadmeCommand[]): Promise<void> {
  const label = `platform ${release}`;
  const dir = path.join(workDir, `platform-${release}`);
  const r = spawnSync('npm', ['run', '-s', 'synth:platform'], {
    cwd: repo,
    encoding: 'utf8',
    env: { ...process.env, MINIO_SSE_RELEASE: release, CDK8S_OUTDIR: path.join(dir, 'dist-platform') },
  });
  if (
    !record(
      `${label}: MINIO_SSE_RELEASE=${release} npm run synth:platform`,
      r.status === 0 ? undefined : `${r.stdout}${r.stderr}`,
    )
  ) {
    return;
  }
  const names = fs.readdirSync(path.join(dir, 'dist-platform')).filter((f) => f.endsWith('.k8s.yaml'));
  const tenants = names.filter((f) => f.startsWith('tenant-')).sort();
  const wait = commands.find((c) => /^kubectl wait\b/.test(c.run));
  if (!names.includes('minio-operator.k8s.yaml') || tenants.length === 0 || !wait) {
    record(
      `${label}: dist-platform has the operator file and tenant files, and the README a CRD wait step`,
      `files: ${names.join(', ')}`,
    );
    return;
  }
  const cmd = (run: string): ReadmeCommand => ({ text: run, run });
  const steps = [cmd('kubectl apply --server-side -f dist-platform/minio-operator.k8s.yaml'), wait].concat(
    tenants.map((f) => cmd(`kubectl apply -f dist-platform/${f}`)),
  );
  const files = ['minio-operator.k8s.yaml', ...tenants].map((f) => path.join(dir, 'dist-platform', f));
  const cp = await startControlPlane(bin, workDir, `cp-platform-${release}`);
  try {
    for (const { cmd: c, run } of runReadme(cp, dir, steps)) {
      record(
        `${label}: \`${c.text.length > 110 ? `${c.text.slice(0, 107)}...` : c.text}\``,
        run.status === 0 ? undefined : `exit ${run.status}: ${run.out}`,
      );
    }
    for (const f of files) {
      checkAsSent(cp, label, f);
    }
    const before = versions(cp, files);
    const again = runReadme(cp, dir, steps);
    check(`${label}: re-applying every file succeeds and changes nothing (every resourceVersion kept)`, () => {
      const bad = again.filter((a) => a.run.status !== 0);
      if (bad.length > 0) {
        throw new Error(bad.map((b) => `${b.cmd.text}: ${b.run.out}`).join('\n'));
      }
      const after = versions(cp, files);
      const changed = [...before].filter(([k, v]) => after.get(k) !== v).map(([k]) => k);
      if (changed.length > 0) {
        throw new Error(`changed: ${changed.join(', ')}`);
      }
    });
  } finally {
    await cp.stop();
  }
}

async function main(): Promise<void> {
  if (!bin || !workDir) {
    throw new Error('usage: suite.ts <control-plane binary> <work dir>');
  }
  const started = Date.now();
  const kv = spawnSync('kubectl', ['version', '--client', '-o', 'json'], { encoding: 'utf8' });
  note(
    `kubectl client ${kv.status === 0 ? JSON.parse(kv.stdout).clientVersion.gitVersion : `unavailable: ${kv.stderr}`}`,
  );
  const commands = readmeApplyCommands(path.join(repo, 'README.md'));
  for (const release of RELEASES) {
    synthRelease(release, path.join(workDir, release, 'dist'));
  }
  await scenario('v5.0.4', commands, 'v7.1.1');
  await scenario('v7.1.1', commands);
  for (const release of RELEASES) {
    await platformScenario(release, commands);
  }
  note(`suite took ${Math.round((Date.now() - started) / 1000)} s`);
}

main()
  .catch((e) => {
    record('the suite ran to the end', (e as Error).stack ?? String(e));
  })
  .finally(() => {
    console.log(`${passed} passed, ${failed} failed`);
    fs.writeFileSync(path.join(workDir, 'done'), '');
    process.exitCode = failed === 0 ? 0 : 1;
  });
