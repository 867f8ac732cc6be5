#!/usr/bin/env bash
# The model-versioning workflow end to end on a tiny example (see README.md, "Quickstart"):
# an experiment on `dev`, promoted into `prod` behind a metric gate; a feature-engineering branch
# trained, compared and promoted; the promotion history.
# Usage: examples/quickstart.sh [DIR]   (default: a new temporary directory)
# Needs only a JDK: the training script is a single Java source file run with `java Train.java`.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
mlv="$here/../mlv"
base=${1:-$(mktemp -d "${TMPDIR:-/tmp}/mlv-quickstart.XXXXXX")}
repo="$base/churn-model"
# Each command is shown before it runs: in bold on a terminal, plain when the output is a file.
if [ -t 1 ]; then bold=$'\033[1m' plain=$'\033[0m'; else bold='' plain=''; fi
step() { printf '\n%s$ %s%s\n' "$bold" "$*" "$plain"; }
run() { step "mlv $*"; "$mlv" "$@"; }

# mlv commits and tags only with a Git identity; a machine without one (a CI runner) uses this.
export GIT_AUTHOR_NAME=${GIT_AUTHOR_NAME:-Quickstart} GIT_AUTHOR_EMAIL=${GIT_AUTHOR_EMAIL:-quickstart@example.com}
export GIT_COMMITTER_NAME=${GIT_COMMITTER_NAME:-$GIT_AUTHOR_NAME} GIT_COMMITTER_EMAIL=${GIT_COMMITTER_EMAIL:-$GIT_AUTHOR_EMAIL}

run init "$repo"
cd "$repo"
cp "$here/quickstart/Train.java" src/Train.java

# 1. The first experiment, trained by mlv itself: code, model, metrics, logs and run record in one commit.
run switch --create dev
run train-commit -m "baseline: linear features" --run -- java src/Train.java

# 2. Ship it: prod is created from dev, gated on accuracy.
run promote dev prod --create --require 'accuracy>=0.6'

# 3. Feature engineering on a new branch from dev.
run switch --create feature-squares --from dev
step "sed -i 's/FEATURES = \"linear\"/FEATURES = \"squares\"/' src/Train.java"
sed -i.bak 's/FEATURES = "linear"/FEATURES = "squares"/' src/Train.java && rm -f src/Train.java.bak
run train-commit -m "feature engineering: squared terms" --run -- java src/Train.java

# 4. Compare experiments, then promote the better one, gated on no regression.
run exp list
run metrics diff prod feature-squares
run promote feature-squares prod --require 'accuracy>=0.9' --no-regress accuracy
run history prod
run cat prod:metrics/metrics.json
run ls-files prod

printf '\nThe repository is in %s (plain Git: try git log --oneline --graph --all).\n' "$repo"
