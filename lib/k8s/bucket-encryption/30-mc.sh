# shellcheck shell=sh
# --- running mc: bounded in time, killed on SIGTERM, output captured in a file -----------------------------------
# The mc image has no `timeout` (ubi9-micro, minio/mc Dockerfile.release at RELEASE.2025-04-16T18-13-26Z), so each
# call runs in the background beside a watchdog, and the shell waits for it with `wait`, which a trapped signal
# interrupts (POSIX: the trap runs as soon as `wait` returns). mc exits 1 on every fatal error (minio/mc
# cmd/error.go fatal and minio/pkg console/console.go Fatalln, at both pinned tags); 124 here means "killed by the
# watchdog".

MC_TIMEOUT=120
MC_OUT_FILE=
MC_STDIN=/dev/null
TERMINATING=
TERM_CODE=0
CHILD=
DOG=
CLEANUP_HOOK=

# shellcheck disable=SC2317 # invoked by the traps
on_signal() { # on_signal <exit code>: remember it; the waiting code ends the run (see check_terminating)
  TERMINATING=yes
  TERM_CODE=$1
}

install_traps() {
  trap 'on_signal 143' TERM
  trap 'on_signal 130' INT
}

check_terminating() { # check_terminating <what was running>: when a signal came, kill the child and exit
  [ -n "$TERMINATING" ] || return 0
  if [ -n "$CHILD" ]; then
    kill -TERM "$CHILD" 2>/dev/null
    wait "$CHILD" 2>/dev/null
    CHILD=
  fi
  if [ -n "$DOG" ]; then
    kill -USR1 "$DOG" 2>/dev/null
    DOG=
  fi
  ct_hook=$CLEANUP_HOOK
  CLEANUP_HOOK=
  if [ -n "$ct_hook" ]; then
    TERMINATING=
    MC_TIMEOUT=10
    "$ct_hook"
    TERMINATING=yes
  fi
  printf 'error: terminated (signal) during %s; exiting with %s\n' "$1" "$TERM_CODE" >&2
  exit "$TERM_CODE"
}

# The watchdog is stopped with USR1, which the script never traps: a background subshell may still run the
# parent's TERM trap until it sets its own, so a TERM could be swallowed there (seen with dash).
watchdog() { # watchdog <pid> <seconds> <mark file>: run in the background; TERMs <pid> after <seconds>
  wd_sleep=
  trap '[ -z "$wd_sleep" ] || kill "$wd_sleep" 2>/dev/null; exit 0' USR1
  trap - TERM INT
  sleep "$2" &
  wd_sleep=$!
  wait "$wd_sleep"
  printf 'fired\n' >"$3"
  kill -TERM "$1" 2>/dev/null
}

pause() { # pause <seconds>: sleep that a SIGTERM ends at once
  sleep "$1" >/dev/null 2>&1 &
  CHILD=$!
  wait "$CHILD" 2>/dev/null
  check_terminating "the wait between readiness attempts"
  CHILD=
}

mc_run() { # mc_run <mc args...> -> OUT (stdout+stderr; redact before printing any of it), RC
  check_terminating "mc $1 $2"
  # The watchdog writes into the mark file when it fires (the image has no rm: the file is emptied, not removed).
  : >"$MC_OUT_FILE.expired"
  mc "$@" <"$MC_STDIN" >"$MC_OUT_FILE" 2>&1 &
  CHILD=$!
  watchdog "$CHILD" "$MC_TIMEOUT" "$MC_OUT_FILE.expired" </dev/null >/dev/null 2>&1 &
  DOG=$!
  # (stderr of wait: the shell's own "Terminated" note when the watchdog stopped mc)
  wait "$CHILD" 2>/dev/null
  RC=$?
  # A signal interrupts `wait` with a status above 128 while mc still runs.
  check_terminating "mc $1 $2"
  CHILD=
  kill -USR1 "$DOG" 2>/dev/null
  wait "$DOG" 2>/dev/null
  DOG=
  read_text "$MC_OUT_FILE"
  OUT=$TEXT
  : >"$MC_OUT_FILE"
  if [ -s "$MC_OUT_FILE.expired" ]; then
    : >"$MC_OUT_FILE.expired"
    OUT="mc $1 $2 did not answer within ${MC_TIMEOUT}s and was stopped"
    RC=124
  fi
}

failure_reason() { # failure_reason -> REASON: one line explaining why the last mc call failed
  REASON=
  case $OUT in
    *'"status": "error"'* | *'"status":"error"'*)
      # mc --json errors: {"status":"error","error":{"message":...,"cause":{"message":...}}} (minio/mc cmd/error.go)
      if json_field "$OUT" message; then
        REASON=$FIELD
        fr_rest=${OUT#*\"message\"}
        if json_field "$fr_rest" message && [ -n "$FIELD" ] && [ "$FIELD" != "$REASON" ]; then
          case $REASON in
            *. | *:) REASON="$REASON $FIELD" ;;
            *) REASON="$REASON: $FIELD" ;;
          esac
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
      HINT="MinIO at $MINIO_URL runs without KMS: the URL must be tenant $TENANT's own service and the Tenant must have spec.kes"
      ;;
    *x509* | *[Cc]ertificate*)
      HINT="TLS verification failed: the CA in ConfigMap $CA_NAME (key ca.crt) must have signed MinIO's certificate; set bucketEncryptionJob.caConfigMapName (insecureSkipTlsVerify only on test clusters)"
      ;;
    *InvalidAccessKeyId* | *SignatureDoesNotMatch* | *[Aa]ccess\ [Dd]enied* | *AccessDenied* | *[Ii]nvalid\ access\ key*)
      HINT="MinIO rejected the root credentials read from Secret $SECRET_NAME (config.env)"
      ;;
    *'given key ID does not exist'* | *KeyNotFound* | *[Kk][Mm][Ss]*'key does not exist'* | *[Nn]ot\ authorized* | *[Ii]nsufficient\ permissions*)
      HINT="the EK must exist and the KES policy must allow MinIO to use it"
      ;;
    *[Kk][Ee][Ss]*[Uu]nreachable* | *[Kk][Mm][Ss]*'connection refused'* | *[Kk][Mm][Ss]*'no such host'* | *[Kk][Mm][Ss]*'i/o timeout'*)
      HINT="MinIO cannot reach KES: check the KES pods of tenant $TENANT and their Azure Key Vault access"
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
