# shellcheck shell=sh
# fake-mc profile: what mc RELEASE.2023-04-12T02-21-51Z prints (the mc of operator v5.0.4, lib/declaration/release.ts).
# Each fact is read from github.com/minio/mc at tag RELEASE.2023-04-12T02-21-51Z (file named beside it), or from
# github.com/minio/pkg v1.6.5 (the console package that mc's go.mod pins at this tag).
# Data only: test/support/fake-mc/mc renders the output from these values.

MC_PROFILE=RELEASE.2023-04-12T02-21-51Z

# cmd/error.go fatal/errorIf: with --json, {"status":"error","error":{"message","cause":{"message","error"},
# "type":"fatal"|"error"}} via json.MarshalIndent(…, "", " ") on stdout (console.Println); then exit 1 (fatal:
# console.Fatalln() with no arguments prints nothing, minio/pkg v1.6.5 console/console.go).
MC_ERROR_INDENT=' '
# cmd/error.go fatal without --json: "mc: <ERROR> <msg> <cause>" on stderr; "." or ":" appended to <msg> (by the
# case of the cause's first letter) and "." to the cause when missing; exit 1 (minio/pkg v1.6.5 console.Fatalln).
MC_ERROR_PREFIX='mc: <ERROR> '
# cmd/globals.go: globalErrorExitStatus = 1 (mb, rm, retention info return it for errorIf'd failures).
MC_ERROR_EXIT=1

# cmd/admin-info.go clusterStruct {status, error (omitempty), info}; JSON() MarshalIndent 4 spaces; mainAdminInfo
# prints "status":"error" with the server's error and still exits 0.
MC_ADMIN_INFO_INDENT='    '

# cmd/admin-kms-key-status.go kmsKeyStatusMsg {keyId, encryption (bool), decryption (bool), encryptionError
# (omitempty), decryptionError (omitempty), status}; encryption = (encryptionError == ""), same for decryption.
MC_KMS_STATUS_BOOLS=yes
# same file, JSON(): status "error" when neither encryption nor decryption works, else "success".
MC_KMS_STATUS_ERROR_WHEN_BOTH_FAIL=yes
# same file, JSON(): json.MarshalIndent(s, "", "    ").
MC_KMS_STATUS_INDENT='    '
# same file: GetKeyStatus failing (KMS not configured, KES unreachable, unknown key) is fatal
# "Failed to get status information" with the server's error as cause.
MC_KMS_STATUS_FATAL='Failed to get status information'

# cmd/admin-kms-key-create.go: prints nothing unless stdout is a terminal (term.IsTerminal), even with --json;
# a failure (including "already exists") is fatal "Failed to create master key".
MC_KMS_CREATE_FATAL='Failed to create master key'

# cmd/mb-main.go makeBucketMessage {status, bucket, region}, MarshalIndent " "; region stays "" (never set);
# --ignore-existing: no error for an existing bucket (cmd/client-s3.go MakeBucket); failure: errorIf
# "Unable to make bucket `<target>`." and exit 1.
MC_MB_FAIL_MESSAGE='Unable to make bucket `%s`.'

# cmd/encrypt-set.go encryptSetMessage {op "set", status, url, encryption {algorithm}} (keyId not filled),
# MarshalIndent " "; failure fatal "Unable to enable auto encryption".
MC_ENCRYPT_SET_FATAL='Unable to enable auto encryption'
# cmd/encrypt-info.go encryptInfoMessage {op "info", status, url, encryption {algorithm, keyId}} (omitempty
# fields inside; the struct itself is always printed), MarshalIndent " "; failure fatal "Unable to get
# encryption info" (a bucket without encryption configuration is such a failure: the server's error).
MC_ENCRYPT_INFO_FATAL='Unable to get encryption info'

# cmd/pipe-main.go: prints nothing on success at this tag (no pipeMessage); failure fatal "Unable to write to
# one or more targets."
MC_PIPE_PRINTS=no
MC_PIPE_FATAL='Unable to write to one or more targets.'

# cmd/stat.go statMessage {status, name, lastModified, size, etag, type, …, metadata, versionID (omitempty)},
# MarshalIndent " " (no "checksum" field at this tag).
MC_STAT_CHECKSUM=no
# cmd/stat.go bucketInfoMessage (stat of a bucket): json.Encoder SetIndent("", " "), with
# "ObjectLock":{"enabled","mode","validity"} (enabled "Enabled" or "").

# cmd/rm-main.go rmMessage {status, key, deleteMarker, versionID}, MarshalIndent " "; failure errorIf
# "Failed to remove `<target>`." and exit 1.
MC_RM_FIELDS_2025=no

# cmd/retention-info.go mainRetentionInfo -> cmd/retention-common.go fatalIfBucketLockNotEnabled: on a bucket
# without object lock, fatal "Unable to get bucket lock configuration from `<target>`" with cause "object
# locking is not configured" (cmd/legalhold-main.go errObjectLockConfigNotFound); other read errors: the same
# message with the error as cause.
MC_RETENTION_NOLOCK_MESSAGE='Unable to get bucket lock configuration from `%s`'
MC_RETENTION_NOLOCK_CAUSE='object locking is not configured'
MC_RETENTION_ERROR_MESSAGE='Unable to get bucket lock configuration from `%s`'
MC_RETENTION_ERROR_KEEPS_CAUSE=yes
# cmd/retention-common.go showBucketLock: retentionBucketMessage {op "info", enabled, mode, validity
# ("%d%s" of validity and unit, "0" with no default rule), status "success"}, MarshalIndent " ".
