#!/usr/bin/env bash
# Side-by-side timing of this checkout against an earlier revision, alternating
# old and new so both see the same machine (its speed drifts by a quarter over
# an hour here, which makes figures from different days hard to compare).
#
#   benchmarks/ab.sh REV FOLDER analyze [ROUNDS]   # analyze FOLDER, 1 process, no cache
#   benchmarks/ab.sh REV FOLDER run [ROUNDS]       # run FOLDER --jobs 2 with a warm cache
#
# "run" uses one cache folder for both versions ($ANALYSIS_CACHE_DIR if set, e.g.
# one already filled; per-article results are shared when the method versions
# agree) and first runs each version once, unmeasured,
# so that each has its own aggregates cached: what is timed is the tables, the
# notebooks and reading the cache. Prints one line per measurement: version, seconds.
set -euo pipefail
rev=${1:?revision}; folder=$(realpath "${2:?corpus folder}"); what=${3:-analyze}; rounds=${4:-3}
here=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-$here/.venv/bin/python}
work=$(mktemp -d)
cache=${ANALYSIS_CACHE_DIR:-$work/cache}
trap 'git -C "$here" worktree remove --force "$work/old" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
git -C "$here" worktree add -f --detach "$work/old" "$rev" >/dev/null 2>&1

once() {  # version, label
    local src=$here; [ "$1" = old ] && src=$work/old
    local start end
    start=$(date +%s.%N)
    if [ "$what" = analyze ]; then
        (cd "$src" && PYTHONPATH=$src "$python" -c "import sys; from analysis import analyze; analyze(sys.argv[1], cache=False)" "$folder")
    else
        rm -rf "$work/out_$1"
        (cd "$src" && PYTHONPATH=$src ANALYSIS_CACHE_DIR=$cache "$python" -m analysis run "$folder" \
            --out "$work/out_$1" --jobs 2 >"$work/$1.log" 2>&1)
    fi
    end=$(date +%s.%N)
    [ "$2" = measure ] && printf '%s %.1f\n' "$1" "$(echo "$end - $start" | bc)"
    return 0
}

if [ "$what" = run ]; then once old warm; once new warm; fi
for _ in $(seq "$rounds"); do once old measure; once new measure; done
