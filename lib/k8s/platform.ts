import * as fs from 'node:fs';
import { runConfigure } from './outdir';
import * as path from 'node:path';
import { ApiObject, App, Chart, DependencyGraph, Yaml } from 'cdk8s';
import { readPlatformProps, readSynthesizeOptions } from './charts-props';
import { IConstruct } from 'constructs';
import { PlatformDeclaration, ResolvedPlatform, resolvePlatform } from '../declaration';
import { OperatorChart, TenantChart } from './charts';
import { OperatorCrds } from './operator-crds';
import { synthesizeInto } from './synthesize';
import { assertFinalObjectsValid } from './final-checks';

/** Props of {@link MinioSsePlatform}. */
export interface MinioSsePlatformProps {
  /** The operator release, its namespace, and the tenants; validated (each tenant and across tenants) first. */
  readonly declaration: PlatformDeclaration;
  /**
   * Where the operator CRDs come from: emitted with the operator install, and read to validate every Tenant
   * against the release's Tenant CRD. @default OperatorCrds.fromRelease()
   */
  readonly crds?: OperatorCrds;
  /**
   * Install the operator (its own chart and file). `false` when it is installed elsewhere (Helm, another team's
   * stack): no operator file is emitted, and `crds` must still read the release's CRDs (`fromRelease()`,
   * `fromDirectory()`, `fromFiles()` or `alreadyInstalled({ schema })`), so every Tenant is still validated against
   * the release's Tenant CRD.
   * @default true
   */
  readonly installOperator?: boolean;
  /** Id of the operator chart, hence its file name `<id><outputFileExtension>`. @default 'minio-operator' */
  readonly operatorChartId?: string;
}

/** One file of the platform: its name (no folder) and its objects in apply order. */
export interface PlatformManifest {
  /** File name, e.g. `minio-operator.k8s.yaml` or `tenant-team-a.k8s.yaml`. */
  readonly fileName: string;
  /** The chart the file holds. */
  readonly chart: Chart;
  /**
   * The objects, in apply order (a tenant's Namespace first). Plain JSON of any Kubernetes kind; typed loosely on
   * purpose so callers can read nested fields (`o.spec.template`) without casts, as with `Testing.synth`.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly objects: readonly Record<string, any>[];
}

/** Prefix of a tenant chart's id (and file name): `tenant-<tenant name>`. */
export const TENANT_CHART_PREFIX = 'tenant-';

/**
 * One MinIO Operator and N tenants in one cdk8s App: the operator install once, in chart `minio-operator`
 * (unless `installOperator: false`), and one chart per tenant, `tenant-<name>`, holding that tenant's Namespace
 * (first), KES config Secret, KES ServiceAccount (workload identity), Tenant and bucket-encryption Job.
 *
 * GitOps diff hygiene: charts have no dependencies on each other, so file names are the chart ids
 * (`minio-operator.k8s.yaml`, `tenant-<name>.k8s.yaml`) — never numbered by position — and a tenant's file holds
 * only that tenant's objects: adding or removing a tenant changes no byte of any other file. Apply order is
 * by stage, not by file number: the operator file first (wait for `crd/tenants.minio.min.io` to be Established),
 * then the tenant files in any order; `tenant-*` sorts after `minio-operator` for tools that apply a folder
 * in name order.
 *
 * Synthesis cost is linear in the number of tenants with {@link synthesizePlatform}, {@link MinioSsePlatform.synth}
 * or {@link MinioSsePlatform.manifests}: every construct is validated once (each Tenant against the CRD once), and
 * each chart is ordered on its own. `app.synth()` writes the same files but, being cdk8s's, re-validates the whole
 * App once per chart.
 *
 * @throws Error listing every problem of the platform (see `resolvePlatform`), before any construct is added;
 *   or when the CRDs cannot be loaded; or when `installOperator: false` and `crds` holds no Tenant CRD; or when
 *   the App already has an OperatorChart
 */
export class MinioSsePlatform {
  /** The validated platform. */
  public readonly declaration: ResolvedPlatform;
  /** The operator chart (`undefined` with `installOperator: false`). */
  public readonly operatorChart?: OperatorChart;
  /** The tenant charts, by tenant name, in declaration order. */
  public readonly tenantCharts: ReadonlyMap<string, TenantChart>;
  /** The `openAPIV3Schema` every Tenant is validated against (`undefined` only with `alreadyInstalled()` CRDs). */
  public readonly tenantCrdSchema?: Record<string, unknown>;

  private readonly app: App;

  constructor(app: App, rawProps: MinioSsePlatformProps) {
    // Any JavaScript value: bad props end in one listing error before anything is added.
    const props = readPlatformProps<MinioSsePlatformProps>(app, rawProps);
    const platform = (this.declaration = resolvePlatform(props.declaration));
    const { release } = platform;
    const crds = props.crds ?? OperatorCrds.fromRelease();
    crds.load(release); // fail before adding anything when the CRDs are unavailable
    this.tenantCrdSchema = crds.tenantSchema(release);
    const install = props.installOperator ?? true;
    if (!install && !this.tenantCrdSchema) {
      throw new Error(
        "installOperator: false needs a CRD source that reads the release's CRDs (OperatorCrds.fromRelease(), fromDirectory(), fromFiles(), or alreadyInstalled({ schema })) to validate every Tenant; OperatorCrds.alreadyInstalled() without a schema has none",
      );
    }
    this.app = app;
    this.operatorChart = install
      ? new OperatorChart(app, props.operatorChartId ?? 'minio-operator', {
          release,
          operatorNamespace: platform.operatorNamespace,
          clusterDomain: platform.clusterDomain,
          imageRegistry: platform.images.registry,
          imagePullSecrets: platform.images.pullSecrets,
          crds,
        })
      : undefined;
    const tenants = new Map<string, TenantChart>();
    for (const declaration of platform.tenants) {
      // No operatorChart: a chart dependency would make cdk8s number every file by position.
      tenants.set(
        declaration.tenant.name,
        new TenantChart(app, `${TENANT_CHART_PREFIX}${declaration.tenant.name}`, {
          declaration,
          tenantCrdSchema: this.tenantCrdSchema,
          emitNamespace: true,
        }),
      );
    }
    this.tenantCharts = tenants;
  }

  /** @deprecated use {@link declaration} (the same validated platform) */
  public get spec(): ResolvedPlatform {
    return this.declaration;
  }

  /** Every chart of the platform, in apply order: the operator chart, then the tenant charts by tenant name. */
  public get charts(): Chart[] {
    const tenants = [...this.tenantCharts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, c]) => c);
    return [...(this.operatorChart ? [this.operatorChart] : []), ...tenants];
  }

  /**
   * Validate every construct of the platform once, then render each chart: linear in the number of tenants.
   * @returns one manifest per chart, in apply order
   * @throws Error listing every validation problem (`invalid MinIO SSE manifests (final objects, after escape-hatch
   *   patches) (N problems):`, then `  - [<construct path>] <problem>` lines)
   */
  public manifests(): PlatformManifest[] {
    const charts = this.charts;
    assertFinalObjectsValid(charts);
    const nodes = charts.map((chart) => ({ chart, all: chart.node.findAll() }));
    return nodes.map(({ chart, all }) => {
      resolveChartDependencies(chart, all);
      const objects = new DependencyGraph(chart.node)
        .topology()
        .filter((x): x is ApiObject => x instanceof ApiObject && Chart.of(x) === chart)
        .map((o) => o.toJson());
      return { fileName: `${chart.node.id}${this.app.outputFileExtension}`, chart, objects };
    });
  }

  /**
   * Write the platform's files to `outdir` (one per chart, as {@link manifests}) with cdk8s's YAML writer, so the
   * bytes are those `app.synth()` writes. Everything is validated and rendered before the disk is touched. Other
   * files of `outdir` are left alone (a removed tenant's file too): {@link synthesizePlatform} gives the platform a
   * folder of its own, swapped in whole, with stale files dropped.
   * @returns the written paths, in apply order
   * @throws Error listing every validation problem; nothing is written then
   */
  public synth(outdir: string = this.app.outdir): string[] {
    const manifests = this.manifests();
    fs.mkdirSync(outdir, { recursive: true });
    return manifests.map((m) => {
      const file = path.join(outdir, m.fileName);
      Yaml.save(file, [...m.objects]);
      return file;
    });
  }
}

/** Options of {@link synthesizePlatform}. */
export interface SynthesizePlatformOptions {
  /** The platform: one operator release, the tenants. */
  readonly declaration: PlatformDeclaration;
  /** Output folder of its own (such as `dist-platform`), replaced as a whole once everything validated and was written. */
  readonly outdir: string;
  /** Where the operator CRDs come from (call `await crds.prefetch(release)` first to download in-process). @default OperatorCrds.fromRelease() */
  readonly crds?: OperatorCrds;
  /** Install the operator (`false`: installed elsewhere; Tenants still validated against `crds`). @default true */
  readonly installOperator?: boolean;
  /** Called after the platform is built and before synthesis, e.g. to add escape-hatch patches. @default - none */
  readonly configure?: (platform: MinioSsePlatform, app: App) => void;
}

/**
 * {@link synthesize} for a platform: validate the platform, build it, validate every construct once, write one file
 * per chart (`minio-operator.k8s.yaml`, `tenant-<name>.k8s.yaml`) into a temporary folder beside `outdir`, then swap
 * it in. Files the previous run wrote (listed in its manifest) and that are not written again — a removed tenant's —
 * are dropped; every other entry of `outdir` is kept. On any failure `outdir` is left exactly as it was.
 * @returns the written file paths (`outdir`-joined), in apply order (operator first)
 * @throws Error listing every problem of the platform or of the final objects; Error naming `outdir` when it is the
 *   current folder or one of its parents; the file-system error when a write or rename fails (after restoring it)
 */
export function synthesizePlatform(rawOptions: SynthesizePlatformOptions): string[] {
  // Any JavaScript value: bad options end in one listing error before anything is touched.
  const options = readSynthesizeOptions(rawOptions, ['installOperator']) as unknown as SynthesizePlatformOptions;
  let names: string[] = [];
  synthesizeInto(options.outdir, (tmp) => {
    const app = new App({ outdir: tmp });
    const platform = new MinioSsePlatform(app, {
      declaration: options.declaration,
      crds: options.crds,
      installOperator: options.installOperator,
    });
    runConfigure(options.configure, platform, app);
    names = platform.synth(tmp).map((f) => path.basename(f));
    return names;
  });
  return names.map((f) => path.join(options.outdir, f));
}

/**
 * Within one chart, turn construct-level dependencies into ApiObject dependencies, as cdk8s's app-wide pass does
 * (a construct that depends on another has each of its ApiObjects depend on each of the other's), so the chart's
 * objects come out in the same order as with `app.synth()`.
 */
function resolveChartDependencies(chart: Chart, all: IConstruct[]): void {
  const apiObjectsOf = (c: IConstruct) =>
    c.node.findAll().filter((x): x is ApiObject => x instanceof ApiObject && Chart.of(x) === chart);
  for (const source of all) {
    for (const target of source.node.dependencies) {
      if (Chart.of(target) !== chart || target instanceof Chart || source instanceof Chart) {
        continue;
      }
      const targets = apiObjectsOf(target);
      for (const s of apiObjectsOf(source)) {
        for (const t of targets) {
          if (s !== t) {
            s.node.addDependency(t);
          }
        }
      }
    }
  }
}
