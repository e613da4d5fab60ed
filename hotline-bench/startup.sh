#!/usr/bin/env bash
# Command-line start-up benchmark (docs/benchmarks.md, "Command-line start-up"): times N
# `send --wait accepted` invocations per configuration against one running relay, each a fresh JVM,
# on a fresh exercise made with the production key derivation. Usage:
#   hotline-bench/startup.sh N CONFIG...
# Each CONFIG is "LABEL=COMMAND", COMMAND a launcher word-split on spaces, e.g.
#   "plain=java -jar hotline-app/target/hotline.jar"
#   "cds=java @CDS -jar hotline-app/target/hotline.jar"   (@CDS: the class-data-sharing flags
#        `./hotline` passes; a training run, not counted, makes this configuration's archive first)
#   "launcher=./hotline"   (the launcher itself; run under the Maven lock, it may build)
# Configurations take turns send by send (A B C A B C ...), so each sees the same machine load.
# Prints one line per send (wall clock, CPU time of the process tree) and a summary per
# configuration (seconds). Default: N=10, one configuration "plain" with the built jar.
set -euo pipefail
N="${1:-10}"
shift || true
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$ROOT/hotline-app/target/hotline.jar"
[ "$#" -gt 0 ] || set -- "plain=java -jar $JAR"
WORK="$(mktemp -d)"
export HOTLINE_PASSPHRASE="startup-benchmark-passphrase"
relay_pid=""
cleanup() {
  if [ -n "$relay_pid" ]; then kill "$relay_pid" 2>/dev/null || true; wait "$relay_pid" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

java -jar "$JAR" pki init "$WORK/ex" >/dev/null 2>&1
port=$((20000 + RANDOM % 20000))
java -jar "$JAR" server --exercise "$WORK/ex" --port "$port" --data "$WORK/relay" >"$WORK/relay.log" 2>&1 &
relay_pid=$!
for _ in $(seq 1 150); do grep -q "listening" "$WORK/relay.log" && break; sleep 0.1; done
grep -q "listening" "$WORK/relay.log" || { echo "relay did not start" >&2; cat "$WORK/relay.log" >&2; exit 1; }

labels=()
commands=()
for config in "$@"; do
  labels+=("${config%%=*}")
  commands+=("${config#*=}")
done

# Runs configuration $1's command with @CDS replaced by $2 (flags), as send number $3.
send() {
  local words=() w
  for w in ${commands[$1]}; do
    if [ "$w" = "@CDS" ]; then words+=($2); else words+=("$w"); fi
  done
  "${words[@]}" send --exercise "$WORK/ex" --as in.pm --to pk.pm --server "127.0.0.1:$port" \
      --data "$WORK/in.pm" --text "start-up benchmark $3" --wait accepted >/dev/null 2>&1
}
cds_flags() {
  echo "-Xlog:cds=off -Xlog:cds+dynamic=off -XX:SharedArchiveFile=$WORK/cds-$1.jsa"
}
for c in "${!labels[@]}"; do
  case " ${commands[$c]} " in
    *" @CDS "*) send "$c" "-Xlog:cds=off -Xlog:cds+dynamic=off -XX:ArchiveClassesAtExit=$WORK/cds-$c.jsa" training ;;
  esac
done

TIMEFORMAT='%R %U %S'
for i in $(seq 1 "$N"); do
  for c in "${!labels[@]}"; do
    t=$( { time send "$c" "$(cds_flags "$c")" "$i"; } 2>&1 | tail -1)
    read -r wall user sys <<<"$t"
    cpu=$(echo "$user + $sys" | bc -l)
    printf '%s %s %s\n' "${labels[$c]}" "$wall" "$cpu" >>"$WORK/times"
    printf '%-10s send %2d  wall %.3f s  cpu %.3f s\n' "${labels[$c]}" "$i" "$wall" "$cpu"
  done
done
for c in "${!labels[@]}"; do
  for col in 2 3; do
    awk -v l="${labels[$c]}" -v col="$col" '$1 == l {print $col}' "$WORK/times" | sort -n |
      awk -v what="${labels[$c]} $([ "$col" = 2 ] && echo wall || echo cpu)" '{a[NR]=$1; s+=$1} END {
        printf "%-16s n=%d  mean %.3f s  median %.3f s  min %.3f s  max %.3f s\n", what, NR, s/NR,
          (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2), a[1], a[NR] }'
  done
done
