#!/bin/sh
# minio-sse-azure: bucket-default SSE-KMS reconciler for one MinIO Tenant.
#
# Runs in the `mc` image (quay.io/minio/mc) as the bucket-encryption Job. POSIX sh (tested under dash and
# bash --posix); needs only shell builtins, `mc`, and `cp`, `mkdir`, `sleep` and `tr` (no sed, grep, awk, jq,
# cat or timeout: the mc image of RELEASE.2025-04-16T18-13-26Z is ubi9-micro, minio/mc Dockerfile.release).
# Idempotent: a second run on a configured tenant changes nothing.
#
# This file is the concatenation, in name order, of lib/k8s/bucket-encryption/*.sh: each part only defines
# functions and constants; the last part runs `main`.
#
#   1. reads the root credentials from the mounted tenant configuration Secret (config.env) without sourcing
#      it, and writes them into mc's config.json on the in-memory emptyDir (never argv, never logs);
#   2. trusts the CA from the mounted ConfigMap (mc's certs/CAs), unless SSE_INSECURE=true;
#   3. waits (bounded) for MinIO (`mc admin info`) and then for KMS (`mc admin kms key status <default EK>`);
#   4. creates every EK (`mc admin kms key create`; "already exists" is success) and checks that it encrypts
#      and decrypts (`mc admin kms key status`: exit 0 and neither encryptionError nor decryptionError);
#   5. per bucket: `mc mb --ignore-existing`; `mc encrypt info`, and `mc encrypt set sse-kms <EK>` only when the
#      default differs; then proves it: in a bucket without object lock, a probe object (`mc pipe`) whose
#      `mc stat` must show SSE-KMS with the EK, removed by version; in a bucket with object lock (or whose lock
#      state cannot be read) no object is written, since a default retention would keep it;
#   6. prints one line per EK and per bucket, then a summary.
#
# Environment (non-secret; set by the Job):
#   SSE_MINIO_URL                   http(s)://host:port of the Tenant's MinIO service (required)
#   SSE_TENANT                      tenant name, for messages
#   SSE_DEFAULT_KEY                 the default EK (spec.kes.keyName), for the KMS readiness check (required)
#   SSE_KEYS                        EKs to create, space-separated
#   SSE_BUCKETS                     buckets, space-separated `bucket=EK` pairs
#   SSE_READINESS_ATTEMPTS          readiness polls per stage (default 60)
#   SSE_READINESS_INTERVAL_SECONDS  seconds between polls (default 10)
#   SSE_MC_TIMEOUT_SECONDS          bound of one mc call; it is killed after this (default 120)
#   SSE_INSECURE                    `true` skips TLS verification (test clusters only; default false)
#   SSE_CONFIG_ENV_FILE             the mounted config.env (default /var/run/minio-sse-azure/tenant-config/config.env)
#   SSE_CA_FILE                     the mounted CA bundle (default /var/run/minio-sse-azure/ca/ca.crt)
#   SSE_CONFIG_SECRET_NAME, SSE_CA_CONFIGMAP_NAME   object names, for messages only
#   SSE_POD_NAME                    the pod's name (downward API), makes the probe object name unique
#   MC_CONFIG_DIR                   mc's config directory, on a writable emptyDir (default /tmp/.mc)
#
# Exit codes: 0 all EKs and buckets ok; 1 one or more EKs or buckets failed (the others were still processed);
# 2 MinIO not ready within the bound; 3 KMS not answering within the bound; 4 bad configuration or credentials;
# 143 SIGTERM (130 SIGINT): the running mc call is killed and the Job ends at once.
#
# Credentials are never passed as arguments and never printed: mc output is redacted before it is logged.
# Do not add `set -x`.

set -u
set -f
umask 077

ALIAS=tenant
NL='
'
