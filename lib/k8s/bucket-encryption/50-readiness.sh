# shellcheck shell=sh
# --- readiness: MinIO answers, then KMS encrypts and decrypts with the default EK --------------------------------
# Checks use what every pinned mc prints alike: the exit status, "status" of `admin info` (exit 0 even when the
# server answers with an error: minio/mc cmd/admin-info.go mainAdminInfo), and the presence of encryptionError /
# decryptionError in `admin kms key status` (omitempty in kmsKeyStatusMsg, minio/mc cmd/admin-kms-key-status.go,
# at RELEASE.2023-04-12T02-21-51Z and RELEASE.2025-04-16T18-13-26Z). The booleans "encryption"/"decryption" are
# not used: RELEASE.2025-04-16T18-13-26Z no longer prints them.

check_minio() {
  mc_run admin info --json ${INSECURE_FLAG:+"$INSECURE_FLAG"} "$ALIAS"
  compact "$OUT"
  if [ "$RC" -eq 0 ]; then
    case $COMPACT in
      *'"status":"error"'*) ;;
      *'"status":"success"'*) return 0 ;;
    esac
  fi
  failure_reason
  return 1
}

check_key() { # check_key <EK>: the EK encrypts and decrypts through KES; else REASON
  mc_run admin kms key status --json ${INSECURE_FLAG:+"$INSECURE_FLAG"} "$ALIAS" "$1"
  if [ "$RC" -eq 0 ] && has_field "$OUT" keyId; then
    REASON=
    if json_field "$OUT" encryptionError; then REASON="encryption: $FIELD"; fi
    if json_field "$OUT" decryptionError; then REASON="${REASON:+$REASON; }decryption: $FIELD"; fi
    [ -n "$REASON" ] || return 0
    REASON="EK $1 does not work: $REASON"
    return 1
  fi
  failure_reason
  return 1
}

check() { # check minio|kms
  case $1 in
    minio) check_minio ;;
    *) check_key "$DEFAULT_KEY" ;;
  esac
}

wait_for() { # wait_for <what> minio|kms <exit code when exhausted>
  attempt=1
  while :; do
    if check "$2"; then
      log "$1 is ready (attempt $attempt/$ATTEMPTS)"
      return 0
    fi
    with_hint "$REASON"
    if [ "$attempt" -ge "$ATTEMPTS" ]; then
      die "$3" "$1 not ready after $ATTEMPTS attempts, ${INTERVAL}s apart: $WITH_HINT"
    fi
    log "waiting for $1 (attempt $attempt/$ATTEMPTS): $WITH_HINT"
    pause "$INTERVAL"
    attempt=$((attempt + 1))
  done
}
