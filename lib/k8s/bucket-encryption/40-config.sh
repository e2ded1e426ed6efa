# shellcheck shell=sh
# --- configuration: environment, root credentials from config.env, mc's config directory -------------------------

load_settings() { # load_settings: reads and checks the SSE_* environment (exit 4 on any bad value)
  unset MC_HOST_tenant MC_HOSTS_tenant MC_INSECURE MC_DEBUG 2>/dev/null || true

  MINIO_URL=${SSE_MINIO_URL:-}
  TENANT=${SSE_TENANT:-tenant}
  DEFAULT_KEY=${SSE_DEFAULT_KEY:-}
  KEYS=${SSE_KEYS:-}
  BUCKETS=${SSE_BUCKETS:-}
  ATTEMPTS=${SSE_READINESS_ATTEMPTS:-60}
  INTERVAL=${SSE_READINESS_INTERVAL_SECONDS:-10}
  MC_TIMEOUT=${SSE_MC_TIMEOUT_SECONDS:-120}
  INSECURE=${SSE_INSECURE:-false}
  CONFIG_ENV_FILE=${SSE_CONFIG_ENV_FILE:-/var/run/minio-sse-azure/tenant-config/config.env}
  CA_FILE=${SSE_CA_FILE:-/var/run/minio-sse-azure/ca/ca.crt}
  SECRET_NAME=${SSE_CONFIG_SECRET_NAME:-the tenant configuration Secret}
  CA_NAME=${SSE_CA_CONFIGMAP_NAME:-the CA ConfigMap}
  MC_CONFIG_DIR=${MC_CONFIG_DIR:-/tmp/.mc}
  export MC_CONFIG_DIR

  case $MINIO_URL in
    '') die 4 'SSE_MINIO_URL is not set' ;;
    *[!A-Za-z0-9.:/-]*) die 4 "SSE_MINIO_URL \"$MINIO_URL\" has characters outside [A-Za-z0-9.:/-]" ;;
    https://*:*) SCHEME=https ;;
    http://*:*) SCHEME=http ;;
    *) die 4 "SSE_MINIO_URL \"$MINIO_URL\" must be http(s)://host:port" ;;
  esac
  case ${MINIO_URL#*://} in
    */*) die 4 "SSE_MINIO_URL \"$MINIO_URL\" must have no path" ;;
  esac
  case $ATTEMPTS in
    '' | *[!0-9]* | 0) die 4 "SSE_READINESS_ATTEMPTS \"$ATTEMPTS\" must be an integer >= 1" ;;
  esac
  case $INTERVAL in
    '' | *[!0-9]*) die 4 "SSE_READINESS_INTERVAL_SECONDS \"$INTERVAL\" must be an integer >= 0" ;;
  esac
  case $MC_TIMEOUT in
    '' | *[!0-9]* | 0) die 4 "SSE_MC_TIMEOUT_SECONDS \"$MC_TIMEOUT\" must be an integer >= 1" ;;
  esac
  case $INSECURE in
    true) INSECURE_FLAG=--insecure ;;
    false) INSECURE_FLAG= ;;
    *) die 4 "SSE_INSECURE \"$INSECURE\" must be true or false" ;;
  esac
  case $DEFAULT_KEY in
    '') die 4 'SSE_DEFAULT_KEY is not set' ;;
    *[!A-Za-z0-9-]*) die 4 "SSE_DEFAULT_KEY \"$DEFAULT_KEY\" is not a valid EK name" ;;
  esac
  KEY_COUNT=0
  for key in $KEYS; do
    case $key in
      *[!A-Za-z0-9-]*) die 4 "SSE_KEYS: \"$key\" is not a valid EK name" ;;
    esac
    KEY_COUNT=$((KEY_COUNT + 1))
  done
  BUCKET_COUNT=0
  for pair in $BUCKETS; do
    case $pair in
      *=*=* | =* | *=) die 4 "SSE_BUCKETS: \"$pair\" must be bucket=EK" ;;
      *=*) ;;
      *) die 4 "SSE_BUCKETS: \"$pair\" must be bucket=EK" ;;
    esac
    case ${pair%%=*} in
      *[!a-z0-9.-]*) die 4 "SSE_BUCKETS: \"${pair%%=*}\" is not a valid bucket name" ;;
    esac
    case ${pair#*=} in
      *[!A-Za-z0-9-]*) die 4 "SSE_BUCKETS: \"${pair#*=}\" is not a valid EK name" ;;
    esac
    BUCKET_COUNT=$((BUCKET_COUNT + 1))
  done
  TOTAL=$((KEY_COUNT + BUCKET_COUNT))
}

# config.env without sourcing it. Same rules as the operator's parser: optional `export `, KEY=value split at
# the first `=`, one pair of matching quotes stripped, `#` comments and blank lines skipped; the last
# definition wins.
missing() { # missing <name> -> MISSING: "no <name>" when config.env does not define it, else "an empty <name>"
  case $SEEN in
    *" $1 "*) MISSING="an empty $1" ;;
    *) MISSING="no $1" ;;
  esac
}

read_credentials() { # read_credentials -> ROOT_USER, ROOT_PASSWORD (exit 4 when missing); sets the redaction
  ROOT_USER=
  ROOT_PASSWORD=
  LEGACY_USER=
  LEGACY_PASSWORD=
  # Which names config.env defines at all (even as empty), for the message when one is missing.
  SEEN=' '
  if [ ! -r "$CONFIG_ENV_FILE" ]; then
    die 4 "cannot read $CONFIG_ENV_FILE: mount key config.env of Secret $SECRET_NAME"
  fi
  while IFS= read -r line || [ -n "$line" ]; do
    trim "$line"
    line=$TRIMMED
    case $line in
      '' | '#'*) continue ;;
      export[[:space:]]*)
        trim "${line#export}"
        line=$TRIMMED
        ;;
    esac
    case $line in
      *=*) ;;
      *) continue ;;
    esac
    trim "${line%%=*}"
    name=$TRIMMED
    trim "${line#*=}"
    value=$TRIMMED
    case $value in
      \"*\")
        value=${value#\"}
        value=${value%\"}
        ;;
      \'*\')
        value=${value#\'}
        value=${value%\'}
        ;;
    esac
    case $name in
      MINIO_ROOT_USER) ROOT_USER=$value ;;
      MINIO_ROOT_PASSWORD) ROOT_PASSWORD=$value ;;
      MINIO_ACCESS_KEY) LEGACY_USER=$value ;;
      MINIO_SECRET_KEY) LEGACY_PASSWORD=$value ;;
      *) continue ;;
    esac
    case $SEEN in
      *" $name "*) ;;
      *) SEEN="$SEEN$name " ;;
    esac
  done <"$CONFIG_ENV_FILE"
  line=
  value=
  USER_NAME=MINIO_ROOT_USER
  PASSWORD_NAME=MINIO_ROOT_PASSWORD
  if [ -z "$ROOT_USER" ] && [ -z "$ROOT_PASSWORD" ]; then
    case $SEEN in
      *' MINIO_ACCESS_KEY '* | *' MINIO_SECRET_KEY '*)
        USER_NAME=MINIO_ACCESS_KEY
        PASSWORD_NAME=MINIO_SECRET_KEY
        ;;
    esac
    ROOT_USER=$LEGACY_USER
    ROOT_PASSWORD=$LEGACY_PASSWORD
  fi
  LEGACY_USER=
  LEGACY_PASSWORD=
  if [ -z "$ROOT_USER" ] && [ -z "$ROOT_PASSWORD" ]; then
    missing "$USER_NAME"
    cred_user=$MISSING
    missing "$PASSWORD_NAME"
    die 4 "config.env of Secret $SECRET_NAME sets $cred_user and $MISSING"
  elif [ -z "$ROOT_PASSWORD" ]; then
    missing "$PASSWORD_NAME"
    die 4 "config.env of Secret $SECRET_NAME sets $USER_NAME but $MISSING"
  elif [ -z "$ROOT_USER" ]; then
    missing "$USER_NAME"
    die 4 "config.env of Secret $SECRET_NAME sets $PASSWORD_NAME but $MISSING"
  fi
  case $ROOT_USER$ROOT_PASSWORD in
    *[[:cntrl:]]*) die 4 "the root credentials in Secret $SECRET_NAME contain control characters" ;;
  esac
  set_redaction
}

# The alias goes into config.json rather than MC_HOST_<alias>: mc splits MC_HOST_ values with a regular
# expression and does not percent-decode them, so a password containing ':' (or a percent-encoded one) would be
# mangled (minio/mc cmd/config.go parseEnvURLStr). printf is a shell builtin: the values never reach an argv.
write_mc_config() { # write_mc_config: alias with the credentials and the CA into MC_CONFIG_DIR (exit 4 on failure)
  MC_CONFIG_FILE=$MC_CONFIG_DIR/config.json
  # Empty the credentials file on exit (the emptyDir is in memory and goes with the pod anyway).
  trap '[ ! -f "$MC_CONFIG_FILE" ] || : >"$MC_CONFIG_FILE"' EXIT
  # mc's output goes through this file (see mc_run), never through argv or the environment.
  MC_OUT_FILE=$MC_CONFIG_DIR/mc-output
  mkdir -p "$MC_CONFIG_DIR/certs/CAs" || die 4 "cannot create $MC_CONFIG_DIR/certs/CAs (MC_CONFIG_DIR must be on a writable emptyDir)"
  json_escape "$ROOT_USER"
  user_json=$ESCAPED
  json_escape "$ROOT_PASSWORD"
  password_json=$ESCAPED
  if ! printf '{"version":"10","aliases":{"%s":{"url":"%s","accessKey":"%s","secretKey":"%s","api":"S3v4","path":"auto"}}}\n' \
    "$ALIAS" "$MINIO_URL" "$user_json" "$password_json" >"$MC_CONFIG_FILE"; then
    die 4 "cannot write $MC_CONFIG_FILE"
  fi
  user_json=
  password_json=
  ESCAPED=
  REPLACED=

  if [ -n "$INSECURE_FLAG" ]; then
    log "warning: TLS verification of $MINIO_URL is OFF (insecureSkipTlsVerify); use only on test clusters"
  elif [ "$SCHEME" = https ]; then
    if [ ! -r "$CA_FILE" ]; then
      die 4 "cannot read $CA_FILE: mount key ca.crt of ConfigMap $CA_NAME"
    fi
    cp "$CA_FILE" "$MC_CONFIG_DIR/certs/CAs/minio-sse-azure-ca.crt" || die 4 "cannot copy the CA into $MC_CONFIG_DIR/certs/CAs"
  fi
}
