# shellcheck shell=sh
# --- main ------------------------------------------------------------------------------------------------------

step_failed() { # step_failed <label> <stage> <reason>
  with_hint "$3"
  log "[$STEP/$TOTAL] $1 ... FAILED ($2: $WITH_HINT)"
  FAILED=$((FAILED + 1))
  FAILED_LIST="$FAILED_LIST $1;"
}

main() {
  install_traps
  load_settings
  read_credentials
  write_mc_config
  log "bucket encryption for tenant $TENANT at $MINIO_URL: $KEY_COUNT EK(s), $BUCKET_COUNT bucket(s)"

  wait_for "MinIO at $MINIO_URL" minio 2
  wait_for "KMS (default EK $DEFAULT_KEY through KES)" kms 3

  STEP=0
  FAILED=0
  FAILED_LIST=
  FAILED_KEYS=' '
  KEYS_OK=0
  BUCKETS_OK=0
  for key in $KEYS; do
    STEP=$((STEP + 1))
    if ensure_key "$key"; then
      KEYS_OK=$((KEYS_OK + 1))
      log "[$STEP/$TOTAL] key $key: $NOTE, encrypts and decrypts ... ok"
    else
      step_failed "key $key" "$STAGE" "$REASON"
      FAILED_KEYS="$FAILED_KEYS$key "
    fi
  done

  PROBE=minio-sse-azure-probe-${SSE_POD_NAME:-job}
  case $PROBE in
    *[!A-Za-z0-9.-]*) PROBE=minio-sse-azure-probe ;;
  esac
  PROBE_FILE=$MC_CONFIG_DIR/probe-input
  for pair in $BUCKETS; do
    STEP=$((STEP + 1))
    bucket=${pair%%=*}
    key=${pair#*=}
    label="bucket $bucket: sse-kms key $key"
    case $FAILED_KEYS in
      *" $key "*)
        step_failed "$label" precondition "EK $key was not created"
        continue
        ;;
    esac
    if ensure_bucket "$bucket" "$key"; then
      BUCKETS_OK=$((BUCKETS_OK + 1))
      log "[$STEP/$TOTAL] $label ... ok: $NOTE"
    else
      step_failed "$label" "$STAGE" "$REASON"
    fi
  done

  log "summary: tenant $TENANT: $KEYS_OK/$KEY_COUNT EK(s) ok, $BUCKETS_OK/$BUCKET_COUNT bucket(s) ok, $FAILED failed"
  if [ "$BUCKET_COUNT" -gt 0 ]; then
    log "note: a bucket default applies to new writes only; objects written before it keep their encryption (rewrite them with mc cp or mc mirror to encrypt them)"
  fi
  if [ "$FAILED" -gt 0 ]; then
    die 1 "$FAILED step(s) failed:$FAILED_LIST see the lines marked FAILED above"
  fi
  exit 0
}

main "$@"
