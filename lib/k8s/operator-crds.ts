import * as fs from 'node:fs';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { OperatorRelease } from '../declaration';
import {
  crdFileUrl,
  DEFAULT_CRD_BASE_URL,
  defaultCrdCacheDir,
  fetchCrd,
  fetchCrdSync,
  sha256Hex,
} from './crd-download';

/** Upstream file names of the operator CRDs (`resources/base/crds/<file>` in minio/operator). */
export const CRD_FILES = {
  tenants: 'minio.min.io_tenants.yaml',
  policyBindings: 'sts.min.io_policybindings.yaml',
} as const;

/** How the CRDs were obtained. */
export enum OperatorCrdsKind {
  RELEASE_URL = 'releaseUrl',
  DIRECTORY = 'directory',
  FILES = 'files',
  ALREADY_INSTALLED = 'alreadyInstalled',
}

/** One loaded CRD file: its bytes' digest and its parsed objects. */
export interface LoadedCrdFile {
  readonly source: string;
  readonly sha256: string;
  readonly objects: readonly Record<string, any>[];
}

/** Options of {@link OperatorCrds.fromRelease}. */
export interface FromReleaseOptions {
  /**
   * Base URL of a mirror, replacing `https://raw.githubusercontent.com/minio/operator`: files are fetched from
   * `<baseUrl>/<tag>/resources/base/crds/<file>` (the layout of the public `minio/operator` repository).
   * @default - `MINIO_SSE_CRDS_BASE_URL` when set and not empty, else `https://raw.githubusercontent.com/minio/operator`
   */
  readonly baseUrl?: string;
  /**
   * Folder of the download cache (files stored by SHA-256, re-checked on every read).
   * @default - `$XDG_CACHE_HOME/minio-sse-azure`, else `~/.cache/minio-sse-azure`
   */
  readonly cacheDir?: string;
}

/** Options of {@link OperatorCrds.alreadyInstalled}. */
export interface AlreadyInstalledOptions {
  /**
   * Where to read the Tenant CRD schema from, to keep validating the Tenant at synth time although no CRD is
   * emitted, e.g. `OperatorCrds.fromRelease()` or `OperatorCrds.fromDirectory(dir)`.
   * @default - none: the Tenant is NOT checked against its CRD (a warning says so)
   */
  readonly schema?: OperatorCrds;
}

/**
 * Where the MinIO Operator CRDs come from. The CRDs are upstream files under a copyleft licence: the library never vendors them
 * (DESIGN.md §5); it reads them at synth time and checks their SHA-256 against the release table.
 *
 * - {@link OperatorCrds.fromRelease}: download the release's files (default), from GitHub or a mirror, through the
 *   proxy of the environment, cached by digest so later syntheses are offline;
 * - {@link OperatorCrds.fromDirectory}: a local folder holding `<tag>/minio.min.io_tenants.yaml` and
 *   `<tag>/sts.min.io_policybindings.yaml` (or the two files directly);
 * - {@link OperatorCrds.fromFiles}: two explicit files;
 * - {@link OperatorCrds.alreadyInstalled}: emit no CRDs (installed by another tool), optionally still validating
 *   the Tenant against a schema source.
 *
 * Parsing a CRD file and compiling its schema validator happen once per file digest in a process, however many
 * `OperatorCrds` instances read it.
 */
export class OperatorCrds {
  /**
   * Download the pinned release files and verify their SHA-256.
   *
   * cdk8s constructs are synchronous, so the download happens in one of two ways: call `await crds.prefetch(release)`
   * before building the charts (in-process; `examples/cdk8s/main.ts` does), or let the charts load the files
   * synchronously, which on a cache miss runs the download in a child Node process. Either way the files land in the
   * cache (`<cacheDir>/crds/<sha256>.yaml`) and the next synthesis needs no network. `HTTPS_PROXY`/`NO_PROXY` and
   * `NODE_EXTRA_CA_CERTS` are honoured.
   * @throws Error when `baseUrl` is not an http(s) URL
   */
  public static fromRelease(options: FromReleaseOptions = {}): OperatorCrds {
    const baseUrl = options.baseUrl ?? (process.env.MINIO_SSE_CRDS_BASE_URL || DEFAULT_CRD_BASE_URL);
    crdFileUrl(baseUrl, 'v0', CRD_FILES.tenants); // refuse a bad base now, not at synth
    return new OperatorCrds(OperatorCrdsKind.RELEASE_URL, {
      baseUrl,
      cacheDir: options.cacheDir ?? defaultCrdCacheDir(),
    });
  }

  /**
   * Read the CRDs from a folder: `<dir>/<tag>/<file>` if that exists, else `<dir>/<file>`.
   * @param dir folder path
   * @param options.verifyDigest check the SHA-256 against the release table @default true
   */
  public static fromDirectory(dir: string, options: { verifyDigest?: boolean } = {}): OperatorCrds {
    return new OperatorCrds(OperatorCrdsKind.DIRECTORY, { dir, verifyDigest: options.verifyDigest ?? true });
  }

  /**
   * Read the CRDs from two files.
   * @param options.verifyDigest check the SHA-256 against the release table @default true
   */
  public static fromFiles(
    tenantsCrdFile: string,
    policyBindingsCrdFile: string,
    options: { verifyDigest?: boolean } = {},
  ): OperatorCrds {
    return new OperatorCrds(OperatorCrdsKind.FILES, {
      tenantsFile: tenantsCrdFile,
      policyBindingsFile: policyBindingsCrdFile,
      verifyDigest: options.verifyDigest ?? true,
    });
  }

  /**
   * Emit no CRDs: they are installed and upgraded by another tool (their version must match the release).
   *
   * Without `options.schema` the Tenant is not validated against its CRD at synth time (the library's own rules
   * still apply): a warning is printed to the console once per instance when the schema is asked for. Give a schema
   * source to keep that check: `OperatorCrds.alreadyInstalled({ schema: OperatorCrds.fromRelease() })`.
   * @throws Error when `options.schema` is itself `alreadyInstalled`
   */
  public static alreadyInstalled(options: AlreadyInstalledOptions = {}): OperatorCrds {
    if (options.schema?.kind === OperatorCrdsKind.ALREADY_INSTALLED) {
      throw new Error(
        'OperatorCrds.alreadyInstalled: schema must be a source that reads the CRD files (fromRelease, fromDirectory or fromFiles), not alreadyInstalled',
      );
    }
    return new OperatorCrds(OperatorCrdsKind.ALREADY_INSTALLED, { schema: options.schema });
  }

  private readonly cache = new Map<string, LoadedCrdFile[]>();
  private warnedNoSchema = false;

  private constructor(
    /** How the CRDs are obtained. */
    public readonly kind: OperatorCrdsKind,
    private readonly options: {
      dir?: string;
      tenantsFile?: string;
      policyBindingsFile?: string;
      verifyDigest?: boolean;
      baseUrl?: string;
      cacheDir?: string;
      schema?: OperatorCrds;
    },
  ) {}

  /** Base URL the files are downloaded from (`fromRelease` only). */
  public get baseUrl(): string | undefined {
    return this.options.baseUrl;
  }

  /** Whether the Tenant is validated against its CRD schema at synth time (false for `alreadyInstalled()` without `schema`). */
  public get validatesTenant(): boolean {
    return this.kind !== OperatorCrdsKind.ALREADY_INSTALLED || this.options.schema !== undefined;
  }

  /**
   * Download (or take from the cache) the files of these releases ahead of a synchronous synthesis, in-process.
   * Does nothing for local sources; for `alreadyInstalled({ schema })` it prefetches the schema source.
   * @throws Error as {@link OperatorCrds.load} does, for the first release that fails
   */
  public async prefetch(...releases: OperatorRelease[]): Promise<void> {
    if (this.kind === OperatorCrdsKind.ALREADY_INSTALLED) {
      await this.options.schema?.prefetch(...releases);
      return;
    }
    if (this.kind !== OperatorCrdsKind.RELEASE_URL) {
      return;
    }
    for (const release of releases) {
      for (const [file, sha] of releaseFiles(release)) {
        await fetchCrd(crdFileUrl(this.options.baseUrl!, release.tag, file), sha, { cacheDir: this.options.cacheDir });
      }
    }
  }

  /**
   * Load the two CRD files for a release (tenants first), each object a fresh copy the caller may change. Empty for
   * `alreadyInstalled`.
   * @throws Error when a file is missing, cannot be downloaded (message names the URL and the HTTP status or
   *   cause), does not parse, or its SHA-256 differs from the release table (message names the file, the expected
   *   and the actual digest)
   */
  public load(release: OperatorRelease): LoadedCrdFile[] {
    // A JSON round trip (the objects are plain YAML core-schema data) rather than structuredClone, so the copies'
    // arrays belong to the caller's realm (`instanceof Array` holds under jest's VM contexts and Pulumi's serializer).
    return this.loadShared(release).map((f) => ({
      ...f,
      objects: f.objects.map((o) => JSON.parse(JSON.stringify(o))),
    }));
  }

  /**
   * The `openAPIV3Schema` of `tenants.minio.min.io` v2, when this source reads the CRD files (or, for
   * `alreadyInstalled`, its `schema` source does); else `undefined`, with a console warning that the Tenant CRD
   * check is off. The object is shared and frozen.
   */
  public tenantSchema(release: OperatorRelease): Record<string, any> | undefined {
    if (this.kind === OperatorCrdsKind.ALREADY_INSTALLED) {
      if (this.options.schema) {
        return this.options.schema.tenantSchema(release);
      }
      if (!this.warnedNoSchema) {
        this.warnedNoSchema = true;
        console.warn(
          `warning: OperatorCrds.alreadyInstalled() has no schema source, so the Tenant is not validated against the ${release.tag} Tenant CRD; ` +
            'pass alreadyInstalled({ schema: OperatorCrds.fromRelease() }) or fromDirectory(<dir>) to keep that check',
        );
      }
      return undefined;
    }
    for (const file of this.loadShared(release)) {
      const schema = parsedByDigest.get(file.sha256)?.tenantSchema;
      if (schema) {
        return schema;
      }
    }
    return undefined;
  }

  private loadShared(release: OperatorRelease): LoadedCrdFile[] {
    const cached = this.cache.get(release.tag);
    if (cached) {
      return cached;
    }
    let files: LoadedCrdFile[];
    switch (this.kind) {
      case OperatorCrdsKind.ALREADY_INSTALLED:
        files = [];
        break;
      case OperatorCrdsKind.RELEASE_URL:
        files = releaseFiles(release).map(([file, sha]) => {
          const url = crdFileUrl(this.options.baseUrl!, release.tag, file);
          return loadBytes(url, fetchCrdSync(url, sha, { cacheDir: this.options.cacheDir }), sha);
        });
        break;
      case OperatorCrdsKind.DIRECTORY: {
        const dir = this.options.dir!;
        const base = fs.existsSync(path.join(dir, release.tag)) ? path.join(dir, release.tag) : dir;
        files = [
          loadFile(
            path.join(base, CRD_FILES.tenants),
            this.options.verifyDigest ? release.tenantsCrdSha256 : undefined,
          ),
          loadFile(
            path.join(base, CRD_FILES.policyBindings),
            this.options.verifyDigest ? release.policyBindingsCrdSha256 : undefined,
          ),
        ];
        break;
      }
      case OperatorCrdsKind.FILES:
        files = [
          loadFile(this.options.tenantsFile!, this.options.verifyDigest ? release.tenantsCrdSha256 : undefined),
          loadFile(
            this.options.policyBindingsFile!,
            this.options.verifyDigest ? release.policyBindingsCrdSha256 : undefined,
          ),
        ];
        break;
    }
    this.cache.set(release.tag, files);
    return files;
  }
}

function releaseFiles(release: OperatorRelease): [string, string][] {
  return [
    [CRD_FILES.tenants, release.tenantsCrdSha256],
    [CRD_FILES.policyBindings, release.policyBindingsCrdSha256],
  ];
}

/** Parsed CRD files by SHA-256 of their bytes, shared by every instance (objects deep-frozen). */
const parsedByDigest = new Map<
  string,
  { objects: readonly Record<string, any>[]; tenantSchema?: Record<string, any> }
>();

function loadFile(file: string, expectedSha256: string | undefined): LoadedCrdFile {
  if (!fs.existsSync(file)) {
    throw new Error(
      `operator CRD file ${JSON.stringify(file)} does not exist (a CRD folder holds <tag>/<file> or the two files ` +
        `directly, e.g. v7.1.1/minio.min.io_tenants.yaml and v7.1.1/sts.min.io_policybindings.yaml)`,
    );
  }
  return loadBytes(file, fs.readFileSync(file), expectedSha256);
}

function loadBytes(source: string, bytes: Buffer, expectedSha256: string | undefined): LoadedCrdFile {
  const sha256 = sha256Hex(bytes);
  if (expectedSha256 !== undefined && sha256 !== expectedSha256) {
    throw new Error(
      `operator CRD ${JSON.stringify(source)} has SHA-256 ${sha256}, expected ${expectedSha256} (the pinned upstream file for this release)`,
    );
  }
  let parsed = parsedByDigest.get(sha256);
  if (!parsed) {
    const objects = readParsedCache(sha256) ?? writeParsedCache(sha256, parseCrdYaml(source, bytes.toString('utf8')));
    parsed = { objects, tenantSchema: findTenantSchema(objects) };
    parsedByDigest.set(sha256, parsed);
  }
  return { source, sha256, objects: parsed.objects };
}

/**
 * Folder of parsed CRD files as JSON, `<sha256 of the YAML bytes>.json`, beside the compiled library: `dist-lib/crd-parsed`
 * (created by `npm run build` and `npm run synth`, never published: `files` lists `dist-lib/lib` only). When the folder
 * exists, a CRD file whose digest was just verified is read from it (JSON.parse: a few ms, where parsing the 160 kB
 * Tenant CRD's YAML takes 60–250 ms), and a file parsed from YAML is added to it. From the TypeScript sources (tests,
 * ts-node) it resolves to `<repo>/crd-parsed`, which does not exist, so nothing is read or written.
 */
export const PARSED_CRD_CACHE_DIR = path.join(__dirname, '..', '..', 'crd-parsed');

function readParsedCache(sha256: string): readonly Record<string, unknown>[] | undefined {
  let objects: unknown;
  try {
    objects = JSON.parse(fs.readFileSync(path.join(PARSED_CRD_CACHE_DIR, `${sha256}.json`), 'utf8'));
  } catch {
    return undefined; // absent or unreadable: parse the YAML
  }
  const crds =
    Array.isArray(objects) &&
    objects.length > 0 &&
    objects.every((o) => (o as Record<string, unknown> | null)?.kind === 'CustomResourceDefinition');
  return crds ? deepFreeze(objects as Record<string, unknown>[]) : undefined;
}

/** Stores `objects` when the cache folder exists and JSON holds them exactly (written atomically); returns them. */
function writeParsedCache<T extends readonly Record<string, unknown>[]>(sha256: string, objects: T): T {
  if (!fs.existsSync(PARSED_CRD_CACHE_DIR)) {
    return objects;
  }
  const json = JSON.stringify(objects);
  if (!isDeepStrictEqual(JSON.parse(json), objects)) {
    return objects; // e.g. a YAML .inf or .nan, which JSON cannot hold
  }
  const file = path.join(PARSED_CRD_CACHE_DIR, `${sha256}.json`);
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(tmp, json);
    fs.renameSync(tmp, file);
  } catch {
    fs.rmSync(tmp, { force: true }); // a read-only install: keep parsing the YAML
  }
  return objects;
}

/**
 * Parse a multi-document CRD file with js-yaml's YAML 1.2 core schema (about 5× faster than `yaml` on the 250 kB
 * Tenant CRD, with identical objects — a test compares both parsers on every pinned file).
 */
export function parseCrdYaml(source: string, text: string): readonly Record<string, any>[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: only a CRD parse pays for loading js-yaml
  const jsyaml = require('js-yaml') as {
    loadAll(text: string, iterator: undefined, options: object): unknown[];
    CORE_SCHEMA: object;
  };
  let docs: unknown[];
  try {
    docs = jsyaml.loadAll(text, undefined, { schema: jsyaml.CORE_SCHEMA, filename: source });
  } catch (e) {
    throw new Error(
      `operator CRD ${JSON.stringify(source)} does not parse as YAML: ${(e as Error | undefined)?.message}`,
    );
  }
  const objects = docs.filter((o) => o !== null && o !== undefined) as Record<string, any>[];
  if (!objects.every((o) => o?.kind === 'CustomResourceDefinition')) {
    throw new Error(`operator CRD ${JSON.stringify(source)} holds objects that are not CustomResourceDefinitions`);
  }
  return deepFreeze(objects);
}

function findTenantSchema(objects: readonly Record<string, any>[]): Record<string, any> | undefined {
  for (const obj of objects) {
    const crd = obj as { kind?: unknown; metadata?: { name?: unknown }; spec?: { versions?: unknown } };
    if (crd.kind === 'CustomResourceDefinition' && crd.metadata?.name === 'tenants.minio.min.io') {
      const versions = Array.isArray(crd.spec?.versions) ? (crd.spec.versions as unknown[]) : [];
      const v2 = versions.find((v) => (v as { name?: unknown } | null)?.name === 'v2') as
        { schema?: { openAPIV3Schema?: Record<string, any> } } | undefined;
      return v2?.schema?.openAPIV3Schema;
    }
  }
  return undefined;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) {
      deepFreeze(v);
    }
  }
  return value;
}
