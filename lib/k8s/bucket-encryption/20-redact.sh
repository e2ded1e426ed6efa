# shellcheck shell=sh
# --- redaction of the root credentials in anything printed ------------------------------------------------------
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

