# shellcheck shell=sh
# fake-mc profile: what mc RELEASE.2025-04-16T18-13-26Z prints (the mc of operator v7.1.1, lib/declaration/release.ts).
# Each fact is read from github.com/minio/mc at tag RELEASE.2025-04-16T18-13-26Z (file named beside it), or from
# github.com/minio/pkg v3.1.0 (the console package that mc's go.mod pins at this tag).
# Data only: test/support/fake-mc/mc renders the output from these values.

MC_PROFILE=RELEASE.2025-04-16T18-13-26Z

# cmd/error.go fatal/errorIf: unchanged from RELEASE.2023-04-12T02-21-51Z: --json errors as
# {"status":"error","error":{"message","cause":{"message","error"},"type"}}, MarshalIndent " ", on stdout, exit 1
# (minio/pkg v3.1.0 console/console.go Fatalln).
MC_ERROR_INDENT=' '
# cmd/error.go fatal without --json: "mc: <ERROR> <msg> <cause>" on stderr, same punctuation rules.
MC_ERROR_PREFIX='mc: <ERROR> '
# cmd/globals.go: globalErrorExitStatus = 1.
MC_ERROR_EXIT=1

# cmd/admin-info.go clusterStruct {status, error (omitempty), info}; JSON() MarshalIndent 4 spaces; exit 0 with
# "status":"error" when the server answers an error.
MC_ADMIN_INFO_INDENT='    '

# cmd/admin-kms-key-status.go kmsKeyStatusMsg {keyId, encryptionError (omitempty), decryptionError (omitempty),
# status}: no "encryption"/"decryption" booleans at this tag.
MC_KMS_STATUS_BOOLS=no
# same file, JSON(): status is always "success" (also when encryption or decryption fails).
MC_KMS_STATUS_ERROR_WHEN_BOTH_FAIL=no
# same file, JSON(): json.MarshalIndent(s, "", "    ").
MC_KMS_STATUS_INDENT='    '
# same file: GetKeyStatus failing is fatal "Failed to get status information".
MC_KMS_STATUS_FATAL='Failed to get status information'

# cmd/admin-kms-key-create.go: prints nothing unless stdout is a terminal; failure fatal "Failed to create
# master key".
MC_KMS_CREATE_FATAL='Failed to create master key'

# cmd/mb-main.go makeBucketMessage {status, bucket, region}, MarshalIndent " "; failure errorIf
# "Unable to make bucket `<target>`." and exit 1.
MC_MB_FAIL_MESSAGE='Unable to make bucket `%s`.'

# cmd/encrypt-set.go encryptSetMessage, unchanged; failure fatal "Unable to enable auto encryption".
MC_ENCRYPT_SET_FATAL='Unable to enable auto encryption'
# cmd/encrypt-info.go encryptInfoMessage, unchanged; failure fatal "Unable to get encryption info".
MC_ENCRYPT_INFO_FATAL='Unable to get encryption info'

# cmd/pipe-main.go: on success prints pipeMessage {status, target, size}, MarshalIndent " " with --json
# (new since RELEASE.2023-04-12T02-21-51Z); failure fatal "Unable to write to one or more targets."
MC_PIPE_PRINTS=yes
MC_PIPE_FATAL='Unable to write to one or more targets.'

# cmd/stat.go statMessage gains "checksum" (omitempty) at this tag; otherwise unchanged, MarshalIndent " ".
MC_STAT_CHECKSUM=yes

# cmd/rm-main.go rmMessage {status, key, deleteMarker, versionID, modTime, dryRun}, MarshalIndent " ".
MC_RM_FIELDS_2025=yes

# cmd/retention-info.go mainRetentionInfo -> cmd/retention-common.go fatalIfBucketLockNotSupported: ANY error
# reading the lock configuration (no lock, or the server unreachable) is fatal "Remote bucket `<target>` does
# not support locking" with an empty cause (errDummy).
MC_RETENTION_NOLOCK_MESSAGE='Remote bucket `%s` does not support locking'
MC_RETENTION_NOLOCK_CAUSE=
MC_RETENTION_ERROR_MESSAGE='Remote bucket `%s` does not support locking'
MC_RETENTION_ERROR_KEEPS_CAUSE=no
# cmd/retention-common.go showBucketLock: retentionBucketMessage, unchanged.
