# shellcheck shell=sh
# --- buckets: create, set the SSE-KMS default, prove it --------------------------------------------------------------
# Facts used (minio/mc at RELEASE.2023-04-12T02-21-51Z and RELEASE.2025-04-16T18-13-26Z alike, unless noted):
# - `mb --ignore-existing` exits 0 for an existing bucket (cmd/client-s3.go MakeBucket ignores
#   BucketAlreadyOwnedByYou / BucketAlreadyExists).
# - `encrypt info --json` prints {"op","status","url","encryption":{"algorithm","keyId"}} (cmd/encrypt-info.go);
#   it exits 1 when the bucket has no encryption configuration (the server's error).
# - `version info --json <bucket>` prints "versioning":{"status":"Enabled"|"Suspended"|"",…} and exits 1 when it
#   cannot read it (cmd/version-info.go versioningInfoMessage, fatal "Unable to get versioning info").
# - `retention info --default --json <bucket>` exits 0 with "enabled":"Enabled" on a lock-enabled bucket
#   (cmd/retention-common.go showBucketLock). Otherwise it exits 1: at RELEASE.2023-04-12T02-21-51Z with the cause
#   "object locking is not configured" when the bucket has no lock (cmd/legalhold-main.go
#   errObjectLockConfigNotFound) and the read error otherwise; at RELEASE.2025-04-16T18-13-26Z with "Remote
#   bucket … does not support locking" for ANY error, no lock and unreadable alike
#   (cmd/retention-common.go fatalIfBucketLockNotSupported), which therefore proves nothing.
# - `stat --json <object>` shows "metadata" with X-Amz-Server-Side-Encryption(-Aws-Kms-Key-Id) and "versionID"
#   on a versioned bucket (cmd/stat.go statMessage).
# - `rm --version-id` removes that version and leaves no delete marker (cmd/rm-main.go).
#
# Object lock: a bucket's default retention applies to every new object version and keeps it until the
# retention ends (COMPLIANCE: not even root may remove it); a legal hold is only ever set per object, never by
# default. S3 allows object lock only on a bucket whose versioning is Enabled, and refuses to suspend versioning
# while a lock configuration exists. So the probe object is written only when object lock is ruled out: versioning
# is not Enabled, or mc says "object locking is not configured" / "not supported". In every other case (lock on,
# or not ruled out) the bucket is verified without writing: its default reads back as aws:kms with the EK, and
# that EK passed the KMS encrypt/decrypt round trip (`admin kms key status`).

read_bucket_default() { # read_bucket_default <bucket> <EK>: `mc encrypt info` shows aws:kms with the EK; else REASON
  mc_run encrypt info --json ${INSECURE_FLAG:+"$INSECURE_FLAG"} "$ALIAS/$1"
  if [ "$RC" -ne 0 ]; then
    failure_reason
    return 1
  fi
  json_field "$OUT" algorithm
  rb_algorithm=$FIELD
  json_field "$OUT" keyId
  rb_key=$FIELD
  if [ "$rb_algorithm" = aws:kms ] && { [ "$rb_key" = "$2" ] || [ "$rb_key" = "arn:aws:kms:$2" ]; }; then
    return 0
  fi
  REASON="bucket default is algorithm \"${rb_algorithm:-none}\" key \"${rb_key:-none}\", expected \"aws:kms\" key \"$2\""
  return 1
}

bucket_lock() { # bucket_lock <bucket> -> LOCK: off (ruled out), on, or unknown (not ruled out; LOCK_REASON says why)
  LOCK=unknown
  LOCK_REASON=
  mc_run version info --json ${INSECURE_FLAG:+"$INSECURE_FLAG"} "$ALIAS/$1"
  if [ "$RC" -ne 0 ]; then
    failure_reason
    LOCK_REASON="mc version info: $REASON"
    return 0
  fi
  compact "$OUT"
  case $COMPACT in
    *'"versioning":{"status":"Enabled"'*) ;;
    *'"versioning":{"status":"'*)
      LOCK=off
      return 0
      ;;
    *)
      LOCK_REASON='mc version info shows no versioning status'
      return 0
      ;;
  esac
  mc_run retention info --default --json ${INSECURE_FLAG:+"$INSECURE_FLAG"} "$ALIAS/$1"
  if [ "$RC" -eq 0 ]; then
    compact "$OUT"
    case $COMPACT in
      *'"enabled":"Enabled"'*) LOCK=on ;;
      *) LOCK_REASON='mc retention info answers without "enabled":"Enabled"' ;;
    esac
    return 0
  fi
  case $OUT in
    *'object locking is not configured'* | *'object locking is not supported'*)
      LOCK=off
      return 0
      ;;
  esac
  failure_reason
  LOCK_REASON="versioning is on and object lock is not ruled out (mc retention info: $REASON)"
}

probe_stat_ok() { # probe_stat_ok <EK>: the last `mc stat --json` output shows SSE-KMS with the EK; else REASON
  compact "$OUT"
  case $COMPACT in
    *[Ee][Nn][Cc][Rr][Yy][Pp][Tt][Ii][Oo][Nn]'":"aws:kms"'*) ;;
    *)
      REASON="the probe object is not SSE-KMS encrypted"
      return 1
      ;;
  esac
  case $COMPACT in
    *[Kk][Mm][Ss]-[Kk][Ee][Yy]-[Ii][Dd]'":"'"$1"'"'* | *[Kk][Mm][Ss]-[Kk][Ee][Yy]-[Ii][Dd]'":"arn:aws:kms:'"$1"'"'*) return 0 ;;
  esac
  REASON="the probe object is SSE-KMS encrypted but not with EK $1"
  return 1
}

probe_remove() { # probe_remove: remove the probe object, by version when known -> RC, OUT
  if [ -n "$PROBE_VERSION" ]; then
    mc_run rm --json --version-id "$PROBE_VERSION" ${INSECURE_FLAG:+"$INSECURE_FLAG"} "$PROBE_URL"
  else
    mc_run rm --json ${INSECURE_FLAG:+"$INSECURE_FLAG"} "$PROBE_URL"
  fi
}

# shellcheck disable=SC2317 # invoked as CLEANUP_HOOK
probe_cleanup() { # probe_cleanup: CLEANUP_HOOK while a probe object may exist (a signal came)
  probe_remove
  if [ "$RC" -ne 0 ]; then
    log "warning: the probe object $PROBE_URL may be left; remove it by hand"
  fi
}

probe_bucket() { # probe_bucket <bucket> <EK>: a new object comes out SSE-KMS with the EK, and is removed; else STAGE, REASON
  PROBE_URL=$ALIAS/$1/$PROBE
  PROBE_VERSION=
  if ! printf 'minio-sse-azure encryption probe\n' >"$PROBE_FILE"; then
    STAGE='probe write'
    REASON="cannot write $PROBE_FILE"
    return 1
  fi
  CLEANUP_HOOK=probe_cleanup
  MC_STDIN=$PROBE_FILE
  mc_run pipe --json ${INSECURE_FLAG:+"$INSECURE_FLAG"} "$PROBE_URL"
  MC_STDIN=/dev/null
  if [ "$RC" -ne 0 ]; then
    CLEANUP_HOOK=
    failure_reason
    STAGE='probe write'
    return 1
  fi
  mc_run stat --json ${INSECURE_FLAG:+"$INSECURE_FLAG"} "$PROBE_URL"
  pb_ok=true
  STAGE='probe stat'
  if [ "$RC" -ne 0 ]; then
    failure_reason
    pb_ok=false
  elif ! probe_stat_ok "$2"; then
    pb_ok=false
  fi
  pb_reason=${REASON:-}
  if json_field "$OUT" versionID && [ "$FIELD" != null ]; then
    PROBE_VERSION=$FIELD
  fi
  probe_remove
  CLEANUP_HOOK=
  if [ "$RC" -ne 0 ] && [ "$pb_ok" = true ]; then
    failure_reason
    STAGE='probe remove'
    REASON="$REASON (remove $PROBE_URL by hand)"
    return 1
  fi
  if [ "$pb_ok" != true ]; then
    REASON=$pb_reason
    return 1
  fi
  return 0
}

ensure_bucket() { # ensure_bucket <bucket> <EK> -> NOTE (what was done and how it was proven); status 1 with STAGE, REASON
  mc_run mb --json --ignore-existing ${INSECURE_FLAG:+"$INSECURE_FLAG"} "$ALIAS/$1"
  if [ "$RC" -ne 0 ]; then
    failure_reason
    STAGE=mb
    return 1
  fi
  if read_bucket_default "$1" "$2"; then
    eb_set='default already set'
  else
    mc_run encrypt set --json ${INSECURE_FLAG:+"$INSECURE_FLAG"} sse-kms "$2" "$ALIAS/$1"
    if [ "$RC" -ne 0 ]; then
      failure_reason
      STAGE='encrypt set'
      return 1
    fi
    if ! read_bucket_default "$1" "$2"; then
      STAGE='encrypt info'
      return 1
    fi
    eb_set='default set'
  fi
  bucket_lock "$1"
  case $LOCK in
    off)
      if ! probe_bucket "$1" "$2"; then
        return 1
      fi
      NOTE="$eb_set; encrypted, verified (probe object SSE-KMS with EK $2, removed)"
      ;;
    on)
      NOTE="$eb_set; encrypted, verified (default reads back aws:kms EK $2; object lock on: no probe object written)"
      ;;
    *)
      redact "$LOCK_REASON"
      NOTE="$eb_set; encrypted, verified (default reads back aws:kms EK $2; object lock state unknown: $REDACTED; no probe object written)"
      ;;
  esac
  return 0
}
