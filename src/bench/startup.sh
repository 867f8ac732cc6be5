#!/usr/bin/env bash
# Start-up time of `mlv --version` against a one-line Java program on the same JVM (issue 23's
# baseline) and `git --version`, run N times each in this invocation, interleaved; with BASE_DIR
# (a built checkout of an older commit, with its own ./mlv) that build's `mlv --version` too.
# Prints the median wall time of each and the ratios. (A bare `mlv --version` starts without the
# class-data archive: the launcher skips it, as mapping it costs more than the few classes it saves.)
# Usage: [BASE_DIR=<dir>] src/bench/startup.sh [N]   (after ./mvnw -q -DskipTests package)
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${1:-20}
./mlv --version >/dev/null   # makes the class-data archive if the jar is new
[ -n "${BASE_DIR:-}" ] && "$BASE_DIR/mlv" --version >/dev/null
if [ -n "${JAVA_HOME:-}" ]; then java_bin="$JAVA_HOME/bin/java"; else java_bin=$(command -v java); fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat >"$work/Hello.java" <<'JAVA'
public class Hello { public static void main(String[] args) { System.out.println("hello"); } }
JAVA
"${java_bin%/java}/javac" -d "$work" "$work/Hello.java"

declare -A runs
timed() { # NAME COMMAND...: one run, its wall time appended to runs[NAME]
  local name=$1 start end
  shift
  start=$(date +%s%N)
  "$@" >/dev/null
  end=$(date +%s%N)
  runs[$name]+="$(( (end - start) / 1000000 )) "
}
median() { printf '%s\n' ${runs[$1]} | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b < 1) b = 1; printf "%.2fx", a / b }'; }

for _ in $(seq "$n"); do
  timed hello "$java_bin" -cp "$work" Hello
  timed mlv ./mlv --version
  [ -n "${BASE_DIR:-}" ] && timed base "$BASE_DIR/mlv" --version
  timed git git --version
done
echo "runs: $n, interleaved; load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "java Hello (one line, same JVM): median $(median hello) ms"
echo "mlv --version:                   median $(median mlv) ms ($(ratio "$(median mlv)" "$(median hello)") java Hello; goal <= 1.5x)"
[ -n "${BASE_DIR:-}" ] && echo "base build's mlv --version:      median $(median base) ms ($(ratio "$(median base)" "$(median hello)") java Hello)"
echo "git --version:                   median $(median git) ms (mlv/git $(ratio "$(median mlv)" "$(median git)"))"
