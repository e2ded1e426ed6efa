#!/bin/sh
# minio-sse-azure: bucket-default SSE-KMS reconciler for one MinIO Tenant.
#
# Runs in the `mc` image (quay.io/minio/mc, ubi-micro) as the bucket-encryption Job. POSIX sh; needs only
# shell builtins, `mc`, and the coreutils `cp`, `mkdir`, `sleep` and `tr` (no sed, grep, awk or jq).
# Idempotent: every step can be re-run on a tenant that is already configured.
#
#   1. reads the root credentials from the mounted tenant configuration Secret (config.env), without
#      sourcing it, and writes them into mc's config.json on the in-memory emptyDir (never argv, never logs);
#   2. trusts the CA from the mounted ConfigMap (mc's certs/CAs), unless SSE_INSECURE=true;
#   3. waits (bounded) for MinIO (`mc admin info`) and then for KMS (`mc admin kms key status <default EK>`);
#   4. creates every EK (`mc admin kms key create`; "already exists" is success) and checks it encrypts and
#      decrypts (`mc admin kms key status`);
#   5. per bucket: `mc mb --ignore-existing`, `mc encrypt set sse-kms <EK>`, reads it back with
#      `mc encrypt info --json`, writes a probe object (`mc pipe`), checks `mc stat --json` shows SSE-KMS with
#      the EK, removes the probe;
#   6. prints one progress line per EK and per bucket, then a summary.
#
# Environment (non-secret; set by the Job):
#   SSE_MINIO_URL                   http(s)://host:port of the Tenant's MinIO service (required)
#   SSE_TENANT                      tenant name, for messages
#   SSE_DEFAULT_KEY                 the default EK (spec.kes.keyName), used for the KMS readiness check (required)
#   SSE_KEYS                        EKs to create, space-separated
#   SSE_BUCKETS                     buckets, space-separated `bucket=EK` pairs
#   SSE_READINESS_ATTEMPTS          readiness polls per stage (default 60)
#   SSE_READINESS_INTERVAL_SECONDS  seconds between polls (default 10)
#   SSE_INSECURE                    `true` skips TLS verification (test clusters only; default false)
#   SSE_CONFIG_ENV_FILE             the mounted config.env (default /var/run/minio-sse-azure/tenant-config/config.env)
#   SSE_CA_FILE                     the mounted CA bundle (default /var/run/minio-sse-azure/ca/ca.crt)
#   SSE_CONFIG_SECRET_NAME, SSE_CA_CONFIGMAP_NAME   object names, for messages only
#   SSE_POD_NAME                    the pod's name (downward API), makes the probe object name unique
#   MC_CONFIG_DIR                   mc's config directory, on a writable emptyDir (default /tmp/.mc)
#
# Exit codes: 0 all EKs and buckets ok; 1 one or more EKs or buckets failed (the others were still processed);
# 2 MinIO not ready within the bound; 3 KMS not answering within the bound; 4 bad configuration or credentials.
#
# Credentials are never passed as arguments and never printed: mc output is redacted before it is logged (the
# password always, the user when it has at least 4 characters: see redact).
# Do not add `set -x`.

set -u
set -f
umask 077

ALIAS=tenant
NL='
'

# --- helpers -------------------------------------------------------------------------------------------------

log() { printf '%s\n' "$*"; }

die() { # die <exit code> <message>
  die_code=$1
  shift
  printf 'error: %s\n' "$*" >&2
  exit "$die_code"
}

trim() { # trim <text> -> TRIMMED (leading and trailing whitespace removed)
  TRIMMED=${1#"${1%%[![:space:]]*}"}
  TRIMMED=${TRIMMED%"${TRIMMED##*[![:space:]]}"}
}

replace_all() { # replace_all <text> <needle> <replacement> -> REPLACED (literal, every occurrence)
  ra_rest=$1
  REPLACED=
  while :; do
    case $ra_rest in
      *"$2"*)
        REPLACED=$REPLACED${ra_rest%%"$2"*}$3
        ra_rest=${ra_rest#*"$2"}
        ;;
      *)
        REPLACED=$REPLACED$ra_rest
        return 0
        ;;
    esac
  done
}

# Redaction. The needles are, always, the root password, its JSON-escaped form and that form with Go's HTML
# escaping (`<` `>` `&` as \u003c \u003e \u0026, as mc's --json output would print it); and the root user and
# its JSON-escaped form when the user has at least 4 characters. The user name (MinIO access key) is not a secret
# on its own: it grants nothing without the password, and MinIO itself logs it. A 1 to 3 character user, on the
# other hand, occurs inside ordinary words, so redacting it would mangle every line ("***ake bucket" for user
# "m") while hiding nothing worth hiding. Set by set_redaction once the credentials are read.
RD_PASSWORD=
RD_PASSWORD_JSON=
RD_PASSWORD_GO=
RD_USER=
RD_USER_JSON=

rd_first() { # rd_first <needle>: make <needle> the match if it occurs in $rd_text before the match so far (or at the same place and longer)
  [ -n "$1" ] || return 0
  case $rd_text in
    *"$1"*) ;;
    *) return 0 ;;
  esac
  rd_p=${rd_text%%"$1"*}
  if [ -z "$rd_found" ] || [ "${#rd_p}" -lt "${#rd_pre}" ] || { [ "${#rd_p}" -eq "${#rd_pre}" ] && [ "${#1}" -gt "${#rd_found}" ]; }; then
    rd_pre=$rd_p
    rd_found=$1
  fi
}

rd_extend() { # rd_extend <needle>: when <needle> starts inside $rd_cover and ends after it, grow the cover to its end
  [ -n "$1" ] || return 1
  re_all=$rd_cover$rd_text
  re_rest=$re_all
  re_i=0
  while [ "$re_i" -lt "${#rd_cover}" ]; do
    case $re_rest in
      "$1"*)
        if [ $((re_i + ${#1})) -gt "${#rd_cover}" ]; then
          rd_cover=${re_all%"$re_rest"}$1
          rd_text=${re_all#"$rd_cover"}
          return 0
        fi
        ;;
    esac
    re_rest=${re_rest#?}
    re_i=$((re_i + 1))
  done
  return 1
}

redact() { # redact <text> -> REDACTED (every stretch of text covered by a credential occurrence replaced by ***)
  # Scans left to right for the earliest occurrence of any needle, then grows it over every occurrence that
  # overlaps it, so no fragment of either credential is left, whatever their lengths and overlaps
  # (user admin123 and password admin: "admin123" becomes "***", never "***123").
  REDACTED=
  rd_text=$1
  while :; do
    rd_found=
    rd_pre=
    rd_first "$RD_PASSWORD"
    rd_first "$RD_PASSWORD_JSON"
    rd_first "$RD_PASSWORD_GO"
    rd_first "$RD_USER"
    rd_first "$RD_USER_JSON"
    if [ -z "$rd_found" ]; then
      REDACTED=$REDACTED$rd_text
      return 0
    fi
    rd_text=${rd_text#"$rd_pre"}
    rd_text=${rd_text#"$rd_found"}
    rd_cover=$rd_found
    while rd_extend "$RD_PASSWORD" || rd_extend "$RD_PASSWORD_JSON" || rd_extend "$RD_PASSWORD_GO" ||
      rd_extend "$RD_USER" || rd_extend "$RD_USER_JSON"; do :; done
    REDACTED=$REDACTED$rd_pre'***'
  done
}

set_redaction() { # set_redaction: the needles of redact, from ROOT_USER and ROOT_PASSWORD
  RD_PASSWORD=$ROOT_PASSWORD
  json_escape "$ROOT_PASSWORD"
  RD_PASSWORD_JSON=$ESCAPED
  replace_all "$ESCAPED" '<' '\u003c'
  replace_all "$REPLACED" '>' '\u003e'
  replace_all "$REPLACED" '&' '\u0026'
  RD_PASSWORD_GO=$REPLACED
  RD_USER=
  RD_USER_JSON=
  if [ "${#ROOT_USER}" -ge 4 ]; then
    RD_USER=$ROOT_USER
    json_escape "$ROOT_USER"
    RD_USER_JSON=$ESCAPED
  fi
  ESCAPED=
  REPLACED=
}

json_escape() { # json_escape <text> -> ESCAPED (for a JSON string; control characters are refused earlier)
  replace_all "$1" "\\" "\\\\"
  replace_all "$REPLACED" '"' '\"'
  ESCAPED=$REPLACED
}

compact() { # compact <text> -> COMPACT (all whitespace removed; for matching mc's indented JSON)
  COMPACT=$(printf '%s' "$1" | tr -d ' \t\r\n')
}

json_field() { # json_field <text> <name> -> FIELD (value of the first "name": "value"; empty when absent)
  FIELD=
  case $1 in
    *"\"$2\": \""*) jf_rest=${1#*"\"$2\": \""} ;;
    *"\"$2\":\""*) jf_rest=${1#*"\"$2\":\""} ;;
    *) return 1 ;;
  esac
  FIELD=${jf_rest%%\"*}
}

mc_run() { # mc_run <mc args...> -> OUT (stdout+stderr; redact before printing any of it), RC
  OUT=$(mc "$@" 2>&1 </dev/null)
  RC=$?
}

failure_reason() { # failure_reason -> REASON: one line explaining why the last mc call failed
  REASON=
  case $OUT in
    *'"status": "error"'* | *'"status":"error"'*)
      if json_field "$OUT" message; then
        REASON=$FIELD
        fr_rest=${OUT#*\"message\"}
        if json_field "$fr_rest" message && [ -n "$FIELD" ] && [ "$FIELD" != "$REASON" ]; then
          REASON="$REASON: $FIELD"
        fi
      elif json_field "$OUT" error; then
        REASON=$FIELD
      fi
      ;;
  esac
  if [ -z "$REASON" ]; then
    fr_line=$OUT
    while :; do
      trim "${fr_line%%"$NL"*}"
      if [ -n "$TRIMMED" ] || [ "$fr_line" = "${fr_line#*"$NL"}" ]; then
        break
      fi
      fr_line=${fr_line#*"$NL"}
    done
    REASON=${TRIMMED#mc: }
    REASON=${REASON#'<ERROR> '}
  fi
  if [ -z "$REASON" ]; then
    REASON="mc exited with code $RC"
  fi
}

hint_for() { # hint_for <reason> -> HINT (empty when there is nothing specific to say)
  HINT=
  case $1 in
    *[Kk][Mm][Ss]*[Nn]ot\ configured* | *[Nn]ot\ configured*[Kk][Mm][Ss]*)
      HINT="MinIO at $MINIO_URL runs without KMS: the URL must be tenant $TENANT's own service and the Tenant must have spec.kes (bug-log B10)"
      ;;
    *x509* | *[Cc]ertificate*)
      HINT="TLS verification failed: the CA in ConfigMap $CA_NAME (key ca.crt) must have signed MinIO's certificate; set bucketEncryptionJob.caConfigMapName (insecureSkipTlsVerify only on test clusters)"
      ;;
    *InvalidAccessKeyId* | *SignatureDoesNotMatch* | *[Aa]ccess\ [Dd]enied* | *AccessDenied* | *[Ii]nvalid\ access\ key*)
      HINT="MinIO rejected the root credentials read from Secret $SECRET_NAME (config.env)"
      ;;
    *'given key ID does not exist'* | *KeyNotFound* | *[Kk][Mm][Ss]*'key does not exist'* | *[Nn]ot\ authorized* | *[Ii]nsufficient\ permissions*)
      HINT="the EK must exist and the KES policy must allow MinIO to use it (bug-log B05/B11)"
      ;;
  esac
}

with_hint() { # with_hint <reason> -> WITH_HINT: the reason, redacted, plus a hint when one applies
  hint_for "$1"
  redact "$1"
  if [ -n "$HINT" ]; then
    WITH_HINT="$REDACTED (hint: $HINT)"
  else
    WITH_HINT=$REDACTED
  fi
}

# --- configuration -------------------------------------------------------------------------------------------

unset MC_HOST_tenant MC_HOSTS_tenant MC_INSECURE MC_DEBUG 2>/dev/null || true

MINIO_URL=${SSE_MINIO_URL:-}
TENANT=${SSE_TENANT:-tenant}
DEFAULT_KEY=${SSE_DEFAULT_KEY:-}
KEYS=${SSE_KEYS:-}
BUCKETS=${SSE_BUCKETS:-}
ATTEMPTS=${SSE_READINESS_ATTEMPTS:-60}
INTERVAL=${SSE_READINESS_INTERVAL_SECONDS:-10}
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

# --- credentials: parse config.env without sourcing it -------------------------------------------------------
# Same rules as the operator's parser: optional `export `, KEY=value split at the first `=`, one pair of
# matching quotes stripped, `#` comments and blank lines skipped. The last definition wins.

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
missing() { # missing <name> -> MISSING: "no <name>" when config.env does not define it, else "an empty <name>"
  case $SEEN in
    *" $1 "*) MISSING="an empty $1" ;;
    *) MISSING="no $1" ;;
  esac
}
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

# --- mc configuration: alias and CA on the emptyDir ----------------------------------------------------------
# The alias goes into config.json rather than MC_HOST_<alias>: mc splits MC_HOST_ values with a regular
# expression and does not percent-decode them, so a password containing ':' (or a percent-encoded one) would be
# mangled (minio/mc cmd/config.go parseEnvURLStr). printf is a shell builtin: the values never reach an argv.

MC_CONFIG_FILE=$MC_CONFIG_DIR/config.json
# Empty the credentials file on exit (the emptyDir is in memory and goes with the pod anyway).
trap '[ ! -f "$MC_CONFIG_FILE" ] || : >"$MC_CONFIG_FILE"' EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

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

log "bucket encryption for tenant $TENANT at $MINIO_URL: $KEY_COUNT EK(s), $BUCKET_COUNT bucket(s)"

# --- readiness -----------------------------------------------------------------------------------------------

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

check_key() { # check_key <EK>: the EK encrypts and decrypts through KES
  mc_run admin kms key status --json ${INSECURE_FLAG:+"$INSECURE_FLAG"} "$ALIAS" "$1"
  compact "$OUT"
  if [ "$RC" -eq 0 ]; then
    case $COMPACT in
      *'"encryption":true'*'"decryption":true'* | *'"decryption":true'*'"encryption":true'*) return 0 ;;
    esac
    REASON=
    if json_field "$OUT" encryptionError; then REASON="encryption: $FIELD"; fi
    if json_field "$OUT" decryptionError; then REASON="${REASON:+$REASON; }decryption: $FIELD"; fi
    if [ -z "$REASON" ]; then REASON="key status does not report working encryption and decryption"; fi
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
    sleep "$INTERVAL"
    attempt=$((attempt + 1))
  done
}

wait_for "MinIO at $MINIO_URL" minio 2
wait_for "KMS (default EK $DEFAULT_KEY through KES)" kms 3

# --- EKs -----------------------------------------------------------------------------------------------------

STEP=0
FAILED=0
FAILED_LIST=
FAILED_KEYS=' '
KEYS_OK=0
BUCKETS_OK=0

step_failed() { # step_failed <label> <what> <reason>
  with_hint "$3"
  log "[$STEP/$TOTAL] $1 ... FAILED ($2: $WITH_HINT)"
  FAILED=$((FAILED + 1))
  FAILED_LIST="$FAILED_LIST $1;"
}

for key in $KEYS; do
  STEP=$((STEP + 1))
  label="key $key"
  mc_run admin kms key create ${INSECURE_FLAG:+"$INSECURE_FLAG"} "$ALIAS" "$key"
  if [ "$RC" -eq 0 ]; then
    note=created
  else
    case $OUT in
      *'already exists'* | *'already exits'* | *KeyAlreadyExists*) note='already exists' ;;
      *)
        failure_reason
        step_failed "$label" create "$REASON"
        FAILED_KEYS="$FAILED_KEYS$key "
        continue
        ;;
    esac
  fi
  if ! check_key "$key"; then
    step_failed "$label" status "$REASON"
    FAILED_KEYS="$FAILED_KEYS$key "
    continue
  fi
  KEYS_OK=$((KEYS_OK + 1))
  log "[$STEP/$TOTAL] $label: $note, encrypts and decrypts ... ok"
done

# --- buckets -------------------------------------------------------------------------------------------------

PROBE=minio-sse-azure-probe-${SSE_POD_NAME:-job}
case $PROBE in
  *[!A-Za-z0-9.-]*) PROBE=minio-sse-azure-probe ;;
esac

check_bucket_default() { # check_bucket_default <bucket> <EK>: `mc encrypt info` shows aws:kms with the EK
  mc_run encrypt info --json ${INSECURE_FLAG:+"$INSECURE_FLAG"} "$ALIAS/$1"
  if [ "$RC" -ne 0 ]; then
    failure_reason
    return 1
  fi
  json_field "$OUT" algorithm
  cb_algorithm=$FIELD
  json_field "$OUT" keyId
  cb_key=$FIELD
  if [ "$cb_algorithm" = aws:kms ] && { [ "$cb_key" = "$2" ] || [ "$cb_key" = "arn:aws:kms:$2" ]; }; then
    return 0
  fi
  REASON="bucket default is algorithm \"${cb_algorithm:-none}\" key \"${cb_key:-none}\", expected \"aws:kms\" key \"$2\""
  return 1
}

check_probe_stat() { # check_probe_stat <EK>: the last `mc stat --json` output shows SSE-KMS with the EK
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

  mc_run mb --ignore-existing ${INSECURE_FLAG:+"$INSECURE_FLAG"} "$ALIAS/$bucket"
  if [ "$RC" -ne 0 ]; then
    failure_reason
    step_failed "$label" 'mb' "$REASON"
    continue
  fi

  mc_run encrypt set ${INSECURE_FLAG:+"$INSECURE_FLAG"} sse-kms "$key" "$ALIAS/$bucket"
  if [ "$RC" -ne 0 ]; then
    failure_reason
    step_failed "$label" 'encrypt set' "$REASON"
    continue
  fi

  if ! check_bucket_default "$bucket" "$key"; then
    step_failed "$label" 'encrypt info' "$REASON"
    continue
  fi

  # Probe: a new object must come out SSE-KMS encrypted with the bucket's EK (bug-log B12).
  OUT=$(printf 'minio-sse-azure encryption probe\n' | mc pipe ${INSECURE_FLAG:+"$INSECURE_FLAG"} "$ALIAS/$bucket/$PROBE" 2>&1)
  RC=$?
  if [ "$RC" -ne 0 ]; then
    failure_reason
    step_failed "$label" 'probe write' "$REASON"
    continue
  fi

  mc_run stat --json ${INSECURE_FLAG:+"$INSECURE_FLAG"} "$ALIAS/$bucket/$PROBE"
  probe_ok=true
  probe_what='probe stat'
  if [ "$RC" -ne 0 ]; then
    failure_reason
    probe_ok=false
  elif ! check_probe_stat "$key"; then
    probe_ok=false
  fi
  probe_reason=${REASON:-}
  version_id=
  if json_field "$OUT" versionID && [ "$FIELD" != null ]; then
    version_id=$FIELD
  fi

  # Remove the probe; on a versioned bucket remove its version, so no delete marker or old version stays.
  if [ -n "$version_id" ]; then
    mc_run rm --version-id "$version_id" ${INSECURE_FLAG:+"$INSECURE_FLAG"} "$ALIAS/$bucket/$PROBE"
  else
    mc_run rm ${INSECURE_FLAG:+"$INSECURE_FLAG"} "$ALIAS/$bucket/$PROBE"
  fi
  if [ "$RC" -ne 0 ] && [ "$probe_ok" = true ]; then
    failure_reason
    probe_ok=false
    probe_what='probe remove'
    probe_reason="$REASON (remove $bucket/$PROBE by hand)"
  fi
  if [ "$probe_ok" != true ]; then
    step_failed "$label" "$probe_what" "$probe_reason"
    continue
  fi

  BUCKETS_OK=$((BUCKETS_OK + 1))
  log "[$STEP/$TOTAL] $label ... ok"
done

# --- summary -------------------------------------------------------------------------------------------------

log "summary: tenant $TENANT: $KEYS_OK/$KEY_COUNT EK(s) ok, $BUCKETS_OK/$BUCKET_COUNT bucket(s) ok, $FAILED failed"
if [ "$BUCKET_COUNT" -gt 0 ]; then
  log "note: a bucket default applies to new writes only; objects written before it keep their encryption (bug-log B12)"
fi
if [ "$FAILED" -gt 0 ]; then
  die 1 "$FAILED step(s) failed:$FAILED_LIST see the lines marked FAILED above"
fi
exit 0
