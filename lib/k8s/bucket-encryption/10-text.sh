# shellcheck shell=sh
# --- text helpers: results in upper-case globals, no subshells (except compact's tr) ---------------------------

# A placeholder for a decoded backslash while json_field decodes the other escapes (a control character: never
# in mc's JSON strings, which escape them).
JSON_BS=$(printf '\001')

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

json_escape() { # json_escape <text> -> ESCAPED (for a JSON string; control characters are refused earlier)
  replace_all "$1" "\\" "\\\\"
  replace_all "$REPLACED" '"' '\"'
  ESCAPED=$REPLACED
}

compact() { # compact <text> -> COMPACT (all whitespace removed: mc indents its JSON by 1 or 4 spaces per message type)
  COMPACT=$(printf '%s' "$1" | tr -d ' \t\r\n')
}

json_field() { # json_field <text> <name> -> FIELD (the first "name": "value", JSON escapes decoded; status 1 when absent)
  FIELD=
  case $1 in
    *"\"$2\": \""*) jf_rest=${1#*"\"$2\": \""} ;;
    *"\"$2\":\""*) jf_rest=${1#*"\"$2\":\""} ;;
    *) return 1 ;;
  esac
  # The value ends at the first quote not escaped by an odd number of backslashes.
  jf_raw=
  while :; do
    case $jf_rest in
      *\"*) ;;
      *)
        jf_raw=$jf_raw$jf_rest
        break
        ;;
    esac
    jf_part=${jf_rest%%\"*}
    jf_rest=${jf_rest#*\"}
    jf_bs=$jf_part
    jf_odd=
    while :; do
      case $jf_bs in
        *\\)
          jf_bs=${jf_bs%?}
          if [ -z "$jf_odd" ]; then jf_odd=yes; else jf_odd=; fi
          ;;
        *) break ;;
      esac
    done
    if [ -z "$jf_odd" ]; then
      jf_raw=$jf_raw$jf_part
      break
    fi
    jf_raw=$jf_raw$jf_part\"
  done
  # Decode the escapes mc's JSON uses (Go encoding/json: \" \\ \/ and \u003c \u003e \u0026 for < > &).
  replace_all "$jf_raw" "\\\\" "$JSON_BS"
  replace_all "$REPLACED" '\"' '"'
  replace_all "$REPLACED" '\/' '/'
  replace_all "$REPLACED" '\u003c' '<'
  replace_all "$REPLACED" '\u003e' '>'
  replace_all "$REPLACED" '\u0026' '&'
  replace_all "$REPLACED" "$JSON_BS" "\\"
  FIELD=$REPLACED
  REPLACED=
}

has_field() { # has_field <text> <name>: whether "name" occurs as a JSON key
  case $1 in
    *"\"$2\":"*) return 0 ;;
  esac
  return 1
}

read_text() { # read_text <file> -> TEXT (its content, trailing newlines removed, as command substitution does)
  TEXT=
  rt_sep=
  while IFS= read -r rt_line || [ -n "$rt_line" ]; do
    TEXT=$TEXT$rt_sep$rt_line
    rt_sep=$NL
  done <"$1"
  rt_line=
  while :; do
    case $TEXT in
      *"$NL") TEXT=${TEXT%"$NL"} ;;
      *) return 0 ;;
    esac
  done
}
