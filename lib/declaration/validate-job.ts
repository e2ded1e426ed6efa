/** Validation of `buckets` and `bucketEncryptionJob`. */
import { BucketDeclaration, BucketEncryptionJobOptions, MinioSseDeclaration } from './declaration';
import { DeclarationCollector, INT32_MAX, JOB_WORK_MARGIN_SECONDS, checkPinnedImage, showValue } from './checks';
import { describe, isRecord } from './problems';
import { checkBucketEncryptionMcImage, OperatorRelease } from './release';
import { ResolvedJobOptions } from './resolved';
import { checkBucketName, checkDnsSubdomain } from './rules';

/**
 * Check `decl.buckets` into `c` (names unique, each EK name by `checkEk`).
 * @returns the buckets as given (a list when no problem was recorded)
 */
export function checkBuckets(
  c: DeclarationCollector,
  decl: MinioSseDeclaration,
  checkEk: (path: string, name: unknown) => boolean,
): readonly BucketDeclaration[] {
  const buckets = decl.buckets ?? [];
  if (!Array.isArray(buckets)) {
    c.add('buckets', 'must be a list');
  } else {
    const seen = new Set<string>();
    Array.from(buckets).forEach((b, i) => {
      if (b === null || typeof b !== 'object' || Array.isArray(b)) {
        c.add(`buckets[${i}]`, `${showValue(b)} must be a bucket object ({ name, encryptionKey })`);
        return;
      }
      if (c.check(`buckets[${i}].name`, b.name, checkBucketName, 'bucket name')) {
        if (seen.has(b.name)) {
          c.add(`buckets[${i}].name`, `${showValue(b.name)} is declared twice`);
        }
        seen.add(b.name);
      }
      checkEk(`buckets[${i}].encryptionKey`, b.encryptionKey);
    });
  }
  return buckets;
}

/**
 * Check `decl.bucketEncryptionJob` into `c` and fill in its defaults (the mc image from `rel`).
 * @returns the options with defaults (valid when no problem was recorded)
 */
export function checkJob(c: DeclarationCollector, decl: MinioSseDeclaration, rel: OperatorRelease): ResolvedJobOptions {
  const jobArg = decl.bucketEncryptionJob ?? {};
  if (!isRecord(jobArg)) {
    c.add('bucketEncryptionJob', `${describe(jobArg)} must be an options object`);
  }
  const j: BucketEncryptionJobOptions = isRecord(jobArg) ? jobArg : {};
  const job: ResolvedJobOptions = {
    image: j.image ?? rel.mcImage,
    backoffLimit: j.backoffLimit ?? 3,
    activeDeadlineSeconds: j.activeDeadlineSeconds ?? 1800,
    ttlSecondsAfterFinished: j.ttlSecondsAfterFinished,
    readinessAttempts: j.readinessAttempts ?? 60,
    readinessIntervalSeconds: j.readinessIntervalSeconds ?? 10,
    insecureSkipTlsVerify: j.insecureSkipTlsVerify ?? false,
    caConfigMapName: j.caConfigMapName ?? 'kube-root-ca.crt',
  };
  if (c.check('bucketEncryptionJob.image', job.image, checkPinnedImage, 'image')) {
    c.check('bucketEncryptionJob.image', job.image, checkBucketEncryptionMcImage, 'image');
  }
  c.int('bucketEncryptionJob.backoffLimit', job.backoffLimit, 0, 100);
  c.int('bucketEncryptionJob.activeDeadlineSeconds', job.activeDeadlineSeconds, 60, INT32_MAX);
  if (job.ttlSecondsAfterFinished !== undefined) {
    c.int('bucketEncryptionJob.ttlSecondsAfterFinished', job.ttlSecondsAfterFinished, 0, INT32_MAX);
  }
  c.int('bucketEncryptionJob.readinessAttempts', job.readinessAttempts, 1, 10000);
  c.int('bucketEncryptionJob.readinessIntervalSeconds', job.readinessIntervalSeconds, 1, 3600);
  c.bool('bucketEncryptionJob.insecureSkipTlsVerify', job.insecureSkipTlsVerify);
  c.check('bucketEncryptionJob.caConfigMapName', job.caConfigMapName, checkDnsSubdomain, 'ConfigMap name');
  const waitBound = 2 * job.readinessAttempts * job.readinessIntervalSeconds;
  const needed = waitBound + JOB_WORK_MARGIN_SECONDS;
  if (
    Number.isInteger(waitBound) &&
    Number.isInteger(job.activeDeadlineSeconds) &&
    job.activeDeadlineSeconds < needed
  ) {
    c.add(
      'bucketEncryptionJob.activeDeadlineSeconds',
      `${job.activeDeadlineSeconds} must be at least ${needed} s: the readiness wait bound of ${waitBound} s (2 stages x ${job.readinessAttempts} attempts x ${job.readinessIntervalSeconds} s) plus ${JOB_WORK_MARGIN_SECONDS} s for the EK and bucket work, or the Job is killed before it finishes`,
    );
  }
  return job;
}
