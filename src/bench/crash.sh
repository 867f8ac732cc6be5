#!/usr/bin/env bash
# The full crash-safety run of the integrity issue: mlv train-commit, mlv push (to a bare Git
# remote and a directory store remote) and mlv gc (the local store, and every other time the
# store remote) child processes killed with SIGKILL at random moments (seeded), KILLS times in
# all (default 60), rotating through the three commands. After every kill, 'mlv fsck --all-refs'
# must find no reference to missing content, after a push or gc 'mlv fsck --remote' must find no
# ref of the Git remote pointing at content the store remote lacks, and re-running the command
# must succeed (a re-run train-commit must commit exactly the files the killed one was
# committing). At the end 'mlv fsck --all-refs --read-data' and 'mlv fsck --remote --read-data'
# re-hash every chunk, and a fresh clone gets the last committed files byte for byte.
# The normal test run does the same with 6 kills (CrashTest). Figures: docs/reliability.md.
# Usage: src/bench/crash.sh [KILLS] [SEED]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
kills=${1:-60}
seed=${2:-42}
cd "$root"
start=$(date +%s)
./mvnw -q -B test -Dtest=CrashTest -Dsurefire.failIfNoSpecifiedTests=false \
    -Dmlv.crash.kills="$kills" -Dmlv.crash.seed="$seed" 2>&1 | grep -E '^crash:|left by an mlv process|FAIL|ERROR' || true
status=${PIPESTATUS[0]}
echo "crash.sh: exit $status after $(( $(date +%s) - start )) s (including the Maven build)"
exit "$status"
