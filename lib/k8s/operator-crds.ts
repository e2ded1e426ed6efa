import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { OperatorRelease } from '../spec';

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

/**
 * Where the MinIO Operator CRDs come from. The CRDs are upstream files under a copyleft licence: the library never vendors them
 * (DESIGN.md §5); it reads them at synth time and checks their SHA-256 against the release table.
 *
 * - {@link OperatorCrds.fromRelease}: download the release's files from GitHub (default; needs network at synth);
 * - {@link OperatorCrds.fromDirectory}: a local folder holding `<tag>/minio.min.io_tenants.yaml` and
 *   `<tag>/sts.min.io_policybindings.yaml` (or the two files directly);
 * - {@link OperatorCrds.fromFiles}: two explicit files;
 * - {@link OperatorCrds.alreadyInstalled}: emit no CRDs (installed by another tool).
 */
export class OperatorCrds {
  /** Download the pinned release files and verify their SHA-256 (network needed at synth time). */
  public static fromRelease(): OperatorCrds {
    return new OperatorCrds(OperatorCrdsKind.RELEASE_URL, {});
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
  public static fromFiles(tenantsCrdFile: string, policyBindingsCrdFile: string, options: { verifyDigest?: boolean } = {}): OperatorCrds {
    return new OperatorCrds(OperatorCrdsKind.FILES, {
      tenantsFile: tenantsCrdFile,
      policyBindingsFile: policyBindingsCrdFile,
      verifyDigest: options.verifyDigest ?? true,
    });
  }

  /** Emit no CRDs: they are installed and upgraded by another tool (their version must match the release). */
  public static alreadyInstalled(): OperatorCrds {
    return new OperatorCrds(OperatorCrdsKind.ALREADY_INSTALLED, {});
  }

  private readonly cache = new Map<string, LoadedCrdFile[]>();

  private constructor(
    /** How the CRDs are obtained. */
    public readonly kind: OperatorCrdsKind,
    private readonly options: {
      dir?: string;
      tenantsFile?: string;
      policyBindingsFile?: string;
      verifyDigest?: boolean;
    },
  ) {}

  /**
   * Load the two CRD files for a release (tenants first). Empty for `alreadyInstalled`.
   * @throws Error when a file is missing, cannot be downloaded, does not parse, or its SHA-256 differs from the
   *   release table (message names the file, the expected and the actual digest)
   */
  public load(release: OperatorRelease): LoadedCrdFile[] {
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
        files = [
          loadBytes(release.tenantsCrdUrl, download(release.tenantsCrdUrl), release.tenantsCrdSha256),
          loadBytes(release.policyBindingsCrdUrl, download(release.policyBindingsCrdUrl), release.policyBindingsCrdSha256),
        ];
        break;
      case OperatorCrdsKind.DIRECTORY: {
        const dir = this.options.dir!;
        const base = fs.existsSync(path.join(dir, release.tag)) ? path.join(dir, release.tag) : dir;
        files = [
          loadFile(path.join(base, CRD_FILES.tenants), this.options.verifyDigest ? release.tenantsCrdSha256 : undefined),
          loadFile(path.join(base, CRD_FILES.policyBindings), this.options.verifyDigest ? release.policyBindingsCrdSha256 : undefined),
        ];
        break;
      }
      case OperatorCrdsKind.FILES:
        files = [
          loadFile(this.options.tenantsFile!, this.options.verifyDigest ? release.tenantsCrdSha256 : undefined),
          loadFile(this.options.policyBindingsFile!, this.options.verifyDigest ? release.policyBindingsCrdSha256 : undefined),
        ];
        break;
    }
    this.cache.set(release.tag, files);
    return files;
  }

  /** The `openAPIV3Schema` of `tenants.minio.min.io` v2, when the CRDs are loaded here; else `undefined`. */
  public tenantSchema(release: OperatorRelease): Record<string, any> | undefined {
    for (const file of this.load(release)) {
      for (const obj of file.objects) {
        if (obj?.kind === 'CustomResourceDefinition' && obj.metadata?.name === 'tenants.minio.min.io') {
          const v2 = (obj.spec?.versions ?? []).find((v: any) => v.name === 'v2');
          return v2?.schema?.openAPIV3Schema;
        }
      }
    }
    return undefined;
  }
}

function loadFile(file: string, expectedSha256: string | undefined): LoadedCrdFile {
  if (!fs.existsSync(file)) {
    throw new Error(`operator CRD file ${JSON.stringify(file)} does not exist`);
  }
  return loadBytes(file, fs.readFileSync(file), expectedSha256);
}

function loadBytes(source: string, bytes: Buffer, expectedSha256: string | undefined): LoadedCrdFile {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (expectedSha256 !== undefined && sha256 !== expectedSha256) {
    throw new Error(
      `operator CRD ${JSON.stringify(source)} has SHA-256 ${sha256}, expected ${expectedSha256} (the pinned upstream file for this release)`,
    );
  }
  const objects = parseAllDocuments(bytes.toString('utf8'))
    .map((d) => {
      if (d.errors.length > 0) {
        throw new Error(`operator CRD ${JSON.stringify(source)} does not parse as YAML: ${d.errors[0].message}`);
      }
      return d.toJS();
    })
    .filter((o) => o !== null && o !== undefined);
  if (!objects.every((o) => o.kind === 'CustomResourceDefinition')) {
    throw new Error(`operator CRD ${JSON.stringify(source)} holds objects that are not CustomResourceDefinitions`);
  }
  return { source, sha256, objects };
}

/** Synchronous HTTPS GET (cdk8s constructs are synchronous), following redirects, in a child Node process. */
function download(url: string): Buffer {
  const script = `
    const get = (u, n) => require('https').get(u, (r) => {
      if (r.statusCode >= 300 && r.statusCode < 400 && r.headers.location && n > 0) { r.resume(); return get(new URL(r.headers.location, u).toString(), n - 1); }
      if (r.statusCode !== 200) { console.error('HTTP ' + r.statusCode); process.exit(2); }
      r.pipe(process.stdout);
    }).on('error', (e) => { console.error(e.message); process.exit(3); });
    get(process.argv[1], 5);`;
  try {
    return execFileSync(process.execPath, ['-e', script, url], { maxBuffer: 64 * 1024 * 1024, timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e: any) {
    const detail = e?.stderr?.toString().trim() || e?.message;
    throw new Error(
      `could not download operator CRD ${url}: ${detail}. Offline? Use OperatorCrds.fromDirectory(<dir>) with a copy of the release's resources/base/crds`,
    );
  }
}
