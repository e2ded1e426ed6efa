/**
 * Validation of `kes` apart from `kes.auth`: the Key Vault endpoint, the KES image, the EK names (prefix, letter
 * case, repeats), replicas, admin mode, cache expiry, pod annotations and the KES config Secret.
 */
import { KesAdminMode, MinioSseDeclaration } from './declaration';
import { AzureAuth } from './azure-auth';
import {
  DeclarationCollector,
  RESERVED_ANNOTATION_PREFIX,
  checkImage,
  isReservedAnnotation,
  showValue,
} from './checks';
import { KesImageInfo, parseKesImage } from './kes-image';
import { checkPullSecretsAreNotCredentials, checkTotalAnnotationSize } from './limits';
import { FieldKind, describe, fieldPath, isRecord } from './problems';
import { OperatorRelease } from './release';
import {
  checkDnsSubdomain,
  checkGoDuration,
  checkKeyName,
  checkKeyNamePrefix,
  checkKeyVaultEndpoint,
  checkPortableText,
  checkQualifiedName,
} from './rules';
import { TenantPart } from './validate-tenant';

/** What the later parts need of `kes`: its (unchecked) input and its checked or defaulted values. */
export interface KesPart {
  /** `decl.kes`, or an empty object when missing (already reported). */
  readonly k: MinioSseDeclaration['kes'];
  /** `kes.image` or the release's KES image (not rewritten under `imageRegistry`). */
  readonly image: string;
  /** What the KES image supports; `undefined` when it is invalid (already reported). */
  readonly imageInfo?: KesImageInfo;
  /** `kes.keyNamePrefix` when valid. */
  readonly prefix?: string;
  /**
   * Check one EK name at `path` (rule, prefix, letter case against every EK checked before).
   * @returns true when valid
   */
  readonly checkEk: (path: string, name: unknown) => boolean;
  readonly declaredKeys: string[];
  readonly replicas: number;
  readonly adminMode: KesAdminMode;
  readonly cacheExpiryAny: string;
  readonly cacheExpiryUnused: string;
  readonly podAnnotations: Record<string, string>;
  readonly configSecretName: string;
}

/** Check `decl.kes` (without `kes.auth`, see `checkKesAuth`) into `c`. */
export function checkKes(
  c: DeclarationCollector,
  decl: MinioSseDeclaration,
  rel: OperatorRelease,
  tenant: TenantPart,
): KesPart {
  const { t, tenantNameOk } = tenant;
  const k = decl.kes ?? ({} as MinioSseDeclaration['kes']);
  if (!decl.kes) {
    c.add('kes', 'is required');
  }
  c.check('kes.keyVaultEndpoint', k.keyVaultEndpoint, checkKeyVaultEndpoint, 'Key Vault endpoint');
  const image = k.image ?? rel.kesImage;
  let imageInfo: KesImageInfo | undefined;
  if (typeof image !== 'string') {
    c.add('kes.image', `${showValue(image)} must be a string`);
  } else {
    const parsed = checkImage(image) ?? parseKesImage(image);
    if (typeof parsed === 'string') {
      c.add('kes.image', `${showValue(image)} is not a usable KES image: ${parsed}`);
    } else {
      imageInfo = parsed;
    }
  }
  const prefixInput = k.keyNamePrefix;
  const prefix =
    prefixInput !== undefined && c.check('kes.keyNamePrefix', prefixInput, checkKeyNamePrefix, 'key-name prefix')
      ? prefixInput
      : undefined;
  // Key Vault secret names are case-insensitive: `alpha` and `Alpha` would be one secret, hence one key.
  const ekByLowerCase = new Map<string, { name: string; path: string }>();
  const checkEk = (path: string, name: unknown): boolean => {
    if (!c.check(path, name, checkKeyName, 'EK name')) {
      return false;
    }
    const ek = name as string;
    if (prefix !== undefined && !ek.startsWith(prefix)) {
      c.add(
        path,
        `${showValue(ek)} does not start with kes.keyNamePrefix ${showValue(prefix)}; the KES policy would refuse it`,
      );
      return false;
    }
    const other = ekByLowerCase.get(ek.toLowerCase());
    if (other && other.name !== ek) {
      c.add(
        path,
        `${showValue(ek)} differs from ${showValue(other.name)} (${other.path}) only in letter case; Key Vault secret names are case-insensitive, so both would be the same key`,
      );
      return false;
    }
    ekByLowerCase.set(ek.toLowerCase(), { name: ek, path });
    return true;
  };
  checkEk('kes.defaultKeyName', k.defaultKeyName);
  const declaredKeys = k.keys ?? [];
  if (!Array.isArray(declaredKeys)) {
    c.add('kes.keys', 'must be a list of EK names');
  } else {
    const seen = new Set<string>();
    Array.from(declaredKeys).forEach((name, i) => {
      if (checkEk(`kes.keys[${i}]`, name)) {
        if (seen.has(name)) {
          c.add(`kes.keys[${i}]`, `${showValue(name)} is listed twice`);
        }
        seen.add(name);
      }
    });
  }
  const replicas = k.replicas ?? 2;
  c.int('kes.replicas', replicas, 1, 64);
  const adminMode = k.adminMode ?? KesAdminMode.DISABLED;
  c.oneOf('kes.adminMode', adminMode, Object.values(KesAdminMode));
  const cacheExpiryAny = k.cacheExpiryAny ?? '5m0s';
  const cacheExpiryUnused = k.cacheExpiryUnused ?? '20s';
  c.check('kes.cacheExpiryAny', cacheExpiryAny, checkGoDuration, 'Go duration');
  c.check('kes.cacheExpiryUnused', cacheExpiryUnused, checkGoDuration, 'Go duration');
  const podAnnotations = k.podAnnotations ?? {};
  if (!isRecord(podAnnotations)) {
    c.add('kes.podAnnotations', `${describe(podAnnotations)} must be a map of annotation names to string values`);
  } else {
    for (const [key, value] of Object.entries(podAnnotations)) {
      const path = fieldPath('kes.podAnnotations', key, true);
      if (c.check(path, key, checkQualifiedName, 'annotation name')) {
        if (isReservedAnnotation(key)) {
          c.add(path, `is reserved: the library sets annotations under ${RESERVED_ANNOTATION_PREFIX}`);
        } else if (key === 'constructor') {
          // cdk8s sanitizeValue reads `obj.constructor.name` of every map it writes (cdk8s `src/_util.ts`,
          // v2.70.106): a map with this key fails serialization after validation.
          c.add(path, 'is refused: cdk8s cannot serialize a map with a key named "constructor"');
        }
      }
      // Annotation values are free text: never shown (a token or password may be pasted there by mistake).
      c.check(path, value, checkPortableText, 'annotation value', FieldKind.SECRET);
    }
    checkTotalAnnotationSize(c, 'kes.podAnnotations', podAnnotations);
  }
  const configSecretName = k.configSecretName ?? `${tenantNameOk ? t.name : 'tenant'}-kes-config`;
  if (k.configSecretName !== undefined || tenantNameOk) {
    c.check('kes.configSecretName', configSecretName, checkDnsSubdomain, 'Secret name', FieldKind.SECRET);
  }

  // The operator creates these Secrets in the tenant namespace (minio/operator `pkg/apis/minio.min.io/v2/helper.go`
  // MinIOTLSSecretName, KESTLSSecretName, MinIOClientTLSSecretName, tag v5.0.4).
  if (tenantNameOk) {
    const operatorOwned = [`${t.name}-tls`, `${t.name}-kes-tls`, `${t.name}-client-tls`];
    const named: [string, unknown][] = [
      ['tenant.configurationSecretName', t.configurationSecretName],
      ['kes.configSecretName', configSecretName],
      ['kes.auth.secretName', AzureAuth.isAzureAuth(k.auth) ? k.auth.clientSecretOptions?.secretName : undefined],
    ];
    for (const [path, name] of named) {
      if (typeof name === 'string' && operatorOwned.includes(name)) {
        c.add(
          path,
          'names a Secret the operator creates for this tenant (<tenant>-tls, <tenant>-kes-tls or <tenant>-client-tls); choose another name',
        );
      }
    }
  }
  checkPullSecretsAreNotCredentials(c, decl.imagePullSecrets, [
    ['tenant.configurationSecretName', t.configurationSecretName],
    ['kes.configSecretName', configSecretName],
    ['kes.auth.secretName', AzureAuth.isAzureAuth(k.auth) ? k.auth.clientSecretOptions?.secretName : undefined],
  ]);
  if (typeof configSecretName === 'string' && configSecretName === t.configurationSecretName) {
    c.add(
      'kes.configSecretName',
      'must differ from tenant.configurationSecretName: the KES config Secret is generated and would replace the root credentials',
    );
  }
  return {
    k,
    image,
    imageInfo,
    prefix,
    checkEk,
    declaredKeys,
    replicas,
    adminMode,
    cacheExpiryAny,
    cacheExpiryUnused,
    podAnnotations,
    configSecretName,
  };
}
