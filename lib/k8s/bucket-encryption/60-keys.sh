# shellcheck shell=sh
# --- EKs -----------------------------------------------------------------------------------------------------------
# `mc admin kms key create` prints nothing when stdout is not a terminal and exits 1 on any error (minio/mc
# cmd/admin-kms-key-create.go, both pinned tags); "already exists" comes from the server (MinIO internal/kms
# prints "key with given key ID already exits", sic; KES "key already exists").

ensure_key() { # ensure_key <EK> -> NOTE (created|already exists); status 1 with STAGE and REASON
  mc_run admin kms key create --json ${INSECURE_FLAG:+"$INSECURE_FLAG"} "$ALIAS" "$1"
  if [ "$RC" -eq 0 ]; then
    NOTE=created
  else
    case $OUT in
      *'already exists'* | *'already exits'* | *KeyAlreadyExists*) NOTE='already exists' ;;
      *)
        failure_reason
        STAGE=create
        return 1
        ;;
    esac
  fi
  if ! check_key "$1"; then
    STAGE=status
    return 1
  fi
  return 0
}
