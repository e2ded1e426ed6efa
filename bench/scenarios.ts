/**
 * The declarations the in-process benchmark synthesizes, and how an App is built for each: the seed, the seed with
 * N buckets, and N tenants under one operator. N tenants use the platform construct of `lib/k8s/platform.ts` when
 * the tree has one (issue 11), else one `OperatorChart` with N `TenantChart`s in one App.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Yaml } from 'cdk8s';
import {
  MinioSseCharts,
  MinioSseDeclaration,
  OperatorChart,
  OperatorCrds,
  OperatorRelease,
  resolveDeclaration,
  TenantChart,
} from '../lib';
import { seedDeclaration } from '../examples/seed';

/** Which declaration family. */
export type ScenarioKind = 'seed' | 'buckets' | 'tenants';

/** One size of the in-process benchmark. */
export interface Scenario {
  readonly kind: ScenarioKind;
  /** Bucket count (`buckets`) or tenant count (`tenants`); 1 for the seed. */
  readonly n: number;
}

/** A label such as `seed`, `buckets=100`, `tenants=10`. */
export function scenarioLabel(s: Scenario): string {
  return s.kind === 'seed' ? 'seed' : `${s.kind}=${s.n}`;
}

const pad = (i: number): string => String(i).padStart(4, '0');

/** The seed declaration with `n` buckets, each with its own EK (`bucket-0001` → `bucket-key-0001`). */
export function bucketsDeclaration(release: OperatorRelease, n: number): MinioSseDeclaration {
  return {
    ...seedDeclaration({ release }),
    buckets: Array.from({ length: n }, (_, i) => ({
      name: `bucket-${pad(i + 1)}`,
      encryptionKey: `bucket-key-${pad(i + 1)}`,
    })),
  };
}

/**
 * Tenant `i` (1-based) of the multi-tenant scenario: the seed with its own name, namespace, configuration Secret,
 * Key Vault, EKs and one bucket, so no cross-tenant rule (unique names, disjoint EKs per vault) is hit.
 */
export function tenantDeclaration(release: OperatorRelease, i: number): MinioSseDeclaration {
  const seed = seedDeclaration({ release, vaultName: `minio-kes-t${pad(i)}` });
  const name = `tenant-${pad(i)}`;
  const key = (k: string): string => `t${pad(i)}-${k}`;
  return {
    ...seed,
    tenant: { ...seed.tenant, name, namespace: name, configurationSecretName: `${name}-env-configuration` },
    kes: { ...seed.kes, defaultKeyName: key('alpha'), keys: [key('alpha'), key('baker'), key('charlie')] },
    buckets: [{ name: `${name}-bucket`, encryptionKey: key('bucket') }],
  };
}

/** One chart's resolved objects, in synthesis order. */
export interface ChartObjects {
  readonly id: string;
  readonly objects: Record<string, unknown>[];
}

/** What one library synthesis yields. */
export interface Synthesis {
  /** The multi-document YAML of every chart, in apply order. */
  readonly yaml: string;
  /** Reads the synthesized objects back, per chart (called once, outside the timed region). */
  charts(): ChartObjects[];
}

/** Builds the library's charts for a scenario into a fresh App and synthesizes them in memory. */
export interface ScenarioBuilder {
  /** What builds the charts, e.g. `MinioSseCharts`, `OperatorChart + N TenantChart`, `MinioSsePlatform`. */
  readonly name: string;
  /** Why the platform construct was not used, when the tree has one but the bench could not drive it. */
  readonly note?: string;
  /** Build and synthesize (no disk). */
  synth(crds: OperatorCrds): Synthesis;
  /** What to use instead when the first synthesis throws (the platform construct, if the bench cannot drive it). */
  readonly fallback?: ScenarioBuilder;
}

/** `app.synthYaml()`, with the App's charts read back on demand. */
function appSynthesis(app: App): Synthesis {
  const yaml = app.synthYaml();
  return {
    yaml,
    charts: () => app.charts.map((c) => ({ id: c.node.id, objects: c.toJson() as Record<string, unknown>[] })),
  };
}

/** The builder for a scenario (the platform construct for `tenants` when the tree has one). */
export function scenarioBuilder(s: Scenario, release: OperatorRelease): ScenarioBuilder {
  if (s.kind === 'seed' || s.kind === 'buckets') {
    const declaration = s.kind === 'seed' ? seedDeclaration({ release }) : bucketsDeclaration(release, s.n);
    return {
      name: 'MinioSseCharts',
      synth(crds) {
        const app = new App({ outdir: '.' });
        new MinioSseCharts(app, { declaration, crds });
        return appSynthesis(app);
      },
    };
  }
  const declarations = Array.from({ length: s.n }, (_, i) => tenantDeclaration(release, i + 1));
  const charts: ScenarioBuilder = {
    name: 'OperatorChart + N TenantChart',
    synth(crds) {
      const app = new App({ outdir: '.' });
      const specs = declarations.map((d) => resolveDeclaration(d));
      const operatorChart = new OperatorChart(app, 'minio-operator', { spec: specs[0], crds });
      const tenantCrdSchema = crds.tenantSchema(release);
      for (const spec of specs) {
        new TenantChart(app, spec.tenant.name, { spec, operatorChart, tenantCrdSchema });
      }
      return appSynthesis(app);
    },
  };
  const platform = platformBuilder(declarations, release);
  return platform ? { ...platform, fallback: charts } : charts;
}

/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * The platform construct of issue 11, `MinioSsePlatform` of `lib/k8s/platform.ts`, when the tree has one:
 * `new MinioSsePlatform(app, { declaration: { release, operatorNamespace, tenants }, crds })`, synthesized in
 * memory with its linear path `manifests()` and rendered with cdk8s's YAML writer (the bytes its `synth()` writes).
 * Typed loosely so the bench compiles before the module lands. Returns `undefined` when the module is absent; when
 * its first synthesis throws, the in-process child falls back to OperatorChart + N TenantChart and says why.
 */
function platformBuilder(declarations: MinioSseDeclaration[], release: OperatorRelease): ScenarioBuilder | undefined {
  const file = path.resolve(__dirname, '..', 'lib', 'k8s', 'platform.js');
  if (!fs.existsSync(file) || !fs.existsSync(path.resolve(__dirname, '..', '..', 'lib', 'k8s', 'platform.ts'))) {
    return undefined;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Platform = (require(file) as Record<string, any>).MinioSsePlatform;
  const builder: ScenarioBuilder = {
    name: 'MinioSsePlatform',
    synth(crds) {
      const app = new App({ outdir: '.' });
      const platform = new Platform(app, {
        declaration: { release, operatorNamespace: declarations[0].operatorNamespace, tenants: declarations },
        crds,
      });
      const manifests = platform.manifests() as {
        chart: { node: { id: string } };
        objects: Record<string, unknown>[];
      }[];
      const yaml = Yaml.stringify(...manifests.flatMap((m) => m.objects));
      return { yaml, charts: () => manifests.map((m) => ({ id: m.chart.node.id, objects: [...m.objects] })) };
    },
  };
  return typeof Platform === 'function'
    ? builder
    : { ...builder, note: 'lib/k8s/platform.ts exports no MinioSsePlatform class' };
}
