#!/bin/bash
# bench/mount: Coffer's mount against the local disk, bindfs, gocryptfs and rclone crypt over
# WebDAV, in one run on the same data. See --help; docs/performance.md has the results.
set -u -o pipefail

usage() {
  cat <<'EOF'
Usage: bench/mount/run.sh [options]

Runs the same workloads on each target and prints one table of median seconds, one of the
median CPU seconds each target's own processes used (daemon and server; steadier than wall
time on a shared machine), then the goal ratios (Coffer against rclone, bindfs and
gocryptfs), each marked met or not met.

Options:
  --targets LIST    comma-separated, from local,bindfs,gocryptfs,rclone,coffer (default: all)
  --size-mib N      size of the sequential file in MiB (default: 512)
  --files N         small files in the tarball (default: 5000)
  --runs N          runs of every workload on every target (default: 3)
  --build-dir DIR   where Coffer was built; binaries in DIR/bin (default: build at the repo root)
  -h, --help        this text

Needs root (mounts, /proc/sys/vm/drop_caches), and bindfs, gocryptfs, rclone, fuse3, rsync,
curl from Debian. Everything runs in one temp dir on 127.0.0.1 and is torn down at exit.
Workloads per run: sequential write until durable on the server, cold sequential read,
tar x of the small files then sync, ls -lR, rsync -a with no change, rsync -a into an empty
folder then sync, rm -rf then sync. A target whose setup fails is shown as n/a.
EOF
}

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
ALL_TARGETS=(local bindfs gocryptfs rclone coffer)
TARGETS_ARG=$(IFS=,; echo "${ALL_TARGETS[*]}")
SIZE_MIB=512 FILES=5000 RUNS=3 BUILD_DIR=$ROOT/build
COMMAND="bench/mount/run.sh $*"

die() { echo "bench/mount: $*" >&2; exit 2; }
while (($#)); do
  case $1 in
    --targets) TARGETS_ARG=${2:?}; shift ;;
    --size-mib) SIZE_MIB=${2:?}; shift ;;
    --files) FILES=${2:?}; shift ;;
    --runs) RUNS=${2:?}; shift ;;
    --build-dir) BUILD_DIR=${2:?}; shift ;;
    -h | --help) usage; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
  shift
done
for n in "$SIZE_MIB" "$FILES" "$RUNS"; do [[ $n =~ ^[1-9][0-9]*$ ]] || die "not a positive number: $n"; done
IFS=, read -ra TARGETS <<<"$TARGETS_ARG"
for t in "${TARGETS[@]}"; do [[ " ${ALL_TARGETS[*]} " == *" $t "* ]] || die "unknown target $t"; done
BUILD_DIR=$(realpath -m "$BUILD_DIR")
((EUID == 0)) || die "needs root: it mounts and writes /proc/sys/vm/drop_caches"
for tool in fusermount3 rsync curl mountpoint; do command -v "$tool" >/dev/null || die "$tool is not installed"; done

source "$HERE/lib.sh"
source "$HERE/workloads.sh"
for t in "${TARGETS[@]}"; do source "$HERE/targets/$t.sh"; done

# --- Temp dir and teardown: whatever happens, every target is torn down and WORK removed.
WORK=$(mktemp -d "${TMPDIR:-/tmp}/coffer-bench-mount.XXXXXX") || die "no temp dir"
DATA=$WORK/data
declare -A MNT=() NA=()
STARTED=() # targets whose setup began: each gets its teardown
cleanup() {
  trap '' INT TERM
  local t mounts pid
  for t in "${STARTED[@]}"; do "${t}_teardown" >/dev/null 2>&1; done
  # Anything still mounted under WORK (deepest first), then any process we started.
  mounts=$(awk -v w="$WORK/" 'index($2, w) == 1 { print $2 }' /proc/mounts | sort -r)
  for m in $mounts; do fusermount3 -uz "$m" 2>/dev/null || umount -l "$m"; done
  [[ -f $WORK/pids ]] && while read -r pid; do kill "$pid" 2>/dev/null; done <"$WORK/pids"
  wait 2>/dev/null
  if awk -v w="$WORK/" 'index($2, w) == 1 { found = 1 } END { exit !found }' /proc/mounts; then
    echo "bench/mount: $WORK is still mounted somewhere; left in place" >&2
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

progress() { echo "[$(date +%T)] $*" >&2; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
LOAD_START=$(load)

# --- Data: one random file and one tarball of small files, made once for every target.
mkdir -p "$DATA"
progress "data: ${SIZE_MIB} MiB from /dev/urandom, tarball of $FILES small files"
head -c "$((SIZE_MIB * 1024 * 1024))" /dev/urandom >"$DATA/big.bin" || die "cannot write $DATA/big.bin"
/usr/bin/python3 "$HERE/make-tree.py" "$DATA/tree.tar" "$FILES" || die "make-tree.py failed"
tar -xf "$DATA/tree.tar" -C "$DATA" || die "cannot extract the tarball"

# --- Set up every target; one that fails is n/a and the others go on.
ACTIVE=()
for t in "${TARGETS[@]}"; do
  progress "$t: setting up"
  STARTED+=("$t")
  FAIL_REASON=""
  if "${t}_setup"; then
    ACTIVE+=("$t")
  else
    NA[$t]=${FAIL_REASON:-"$t setup failed"}
    progress "$t -> n/a: ${NA[$t]}"
    "${t}_teardown" >/dev/null 2>&1
  fi
done

# --- Runs: run r of every workload on every target, then run r + 1, so that a change in the
# machine's load during the session falls on all targets alike.
RESULTS=$WORK/results CPU_RESULTS=$WORK/cpu-results
: >"$RESULTS"
: >"$CPU_RESULTS"
has_pids() { declare -F "${1}_pids" >/dev/null; }
RUN_LOADS=()
for ((run = 1; run <= RUNS; run++)); do
  RUN_LOADS+=("$(cut -d' ' -f1 /proc/loadavg)")
  for t in "${ACTIVE[@]}"; do
    [[ -n ${NA[$t]:-} ]] && continue
    for w in "${WORKLOADS[@]}"; do
      if ! "prep_$w" "$t" 2>>"$WORK/$t.err"; then
        NA[$t]="preparing $w failed: $(last_line "$WORK/$t.err")"
      elif has_pids "$t" && ! CPU_BEFORE=$(cpu_of $("${t}_pids")); then
        NA[$t]="reading the CPU time of $t failed"
      elif ! time_it "run_$w" "$t" 2>>"$WORK/$t.err"; then
        NA[$t]="$w failed: $(last_line "$WORK/$t.err")"
      else
        echo "$t $w $ELAPSED" >>"$RESULTS"
        has_pids "$t" && echo "$t $w $(awk -v a="$CPU_BEFORE" -v b="$(cpu_of $("${t}_pids"))" 'BEGIN { printf "%.2f", b - a }')" >>"$CPU_RESULTS"
        progress "run $run/$RUNS $t $w ${ELAPSED}s"
        continue
      fi
      break
    done
    if [[ -z ${NA[$t]:-} && $run == 1 ]] && ! verify "$t" 2>>"$WORK/$t.err"; then
      NA[$t]="verify failed: $(last_line "$WORK/$t.err")"
    fi
    if [[ -z ${NA[$t]:-} ]] && ! clean_up "$t" 2>>"$WORK/$t.err"; then
      NA[$t]="clean-up failed: $(last_line "$WORK/$t.err")"
    fi
    [[ -n ${NA[$t]:-} ]] && progress "$t -> n/a: ${NA[$t]}"
  done
done
LOAD_END=$(load)

# --- The table: median seconds of complete cells (every run succeeded), else n/a.
median() {  # TARGET WORKLOAD [FILE] -> median seconds, or nothing
  awk -v t="$1" -v w="$2" '$1 == t && $2 == w { print $3 }' "${3:-$RESULTS}" | sort -g |
    awk -v runs="$RUNS" '{ v[NR] = $1 } END { if (NR == runs) printf "%.3f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
declare -A MED=() CPU=()
for t in "${TARGETS[@]}"; do for w in "${WORKLOADS[@]}"; do
  MED[$t.$w]=$(median "$t" "$w")
  CPU[$t.$w]=$(median "$t" "$w" "$CPU_RESULTS")
done; done

version_of() {
  case $1 in
    local) echo "$(findmnt -no FSTYPE -T "$WORK") on $(findmnt -no SOURCE -T "$WORK")" ;;
    bindfs) bindfs --version 2>/dev/null | head -1 ;;
    gocryptfs) gocryptfs -version 2>/dev/null | cut -d';' -f1 ;;
    rclone) echo "$(rclone version 2>/dev/null | head -1), --vfs-write-back $RCLONE_WRITE_BACK" ;;
    coffer) # the build's source commit, from its CMake cache
      local src
      src=$(sed -n 's/^CMAKE_HOME_DIRECTORY:INTERNAL=//p' "$BUILD_DIR/CMakeCache.txt" 2>/dev/null)
      echo "$("$BUILD_DIR/bin/coffer" --version 2>/dev/null | head -1) in $BUILD_DIR, source ${src:-?} at $(git -C "${src:-/nonexistent}" describe --always --dirty 2>/dev/null || echo "?")" ;;
  esac
}

echo "Command: $COMMAND"
echo "Machine: $(nproc) CPUs ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) RAM, $(uname -sr), $(. /etc/os-release; echo "$PRETTY_NAME")"
echo "Load average (1, 5, 15 min): $LOAD_START at the start, $LOAD_END at the end; 1 min at the start of each run: ${RUN_LOADS[*]}"
for t in "${TARGETS[@]}"; do echo "- $t: $(version_of "$t")${NA[$t]:+; n/a: ${NA[$t]}}"; done
echo
echo "Median seconds of $RUNS runs (lower is better):"
echo
show() { [[ -z $1 ]] && echo n/a || awk -v s="$1" 'BEGIN { printf(s < 1 ? "%.3f" : "%.2f", s) }'; }
table() {  # ARRAY TARGETS...: one row per workload, one column per target, from ARRAY[target.workload]
  local -n cells=$1
  shift
  local header="| Workload |" rule="|---|" row t w
  for t in "$@"; do header+=" $t |"; rule+="---:|"; done
  echo "$header"; echo "$rule"
  for w in "${WORKLOADS[@]}"; do
    row="| $(workload_label "$w") |"
    for t in "$@"; do row+=" $(show "${cells[$t.$w]:-}") |"; done
    echo "$row"
  done
}
table MED "${TARGETS[@]}"
for t in "${TARGETS[@]}"; do
  [[ -s $WORK/$t.rsync-changes ]] && echo "Note: on $t, the no-change rsync still changed $(wc -l <"$WORK/$t.rsync-changes") entries (last run)."
done

# Wall time on a shared VM moves with its neighbours; CPU time much less, so small changes
# show here first.
CPU_TARGETS=()
for t in "${TARGETS[@]}"; do has_pids "$t" && CPU_TARGETS+=("$t"); done
if ((${#CPU_TARGETS[@]})); then
  echo
  echo "Median CPU seconds (user + system) of each target's own processes in the same runs: the"
  echo "FUSE daemon, and the server where there is one (rclone serve, cofferd); kernel threads"
  echo "such as writeback are not counted:"
  echo
  table CPU "${CPU_TARGETS[@]}"
fi

# --- Goals, as ratios in this run. Each: workloads, peer, what is compared, the bound.
echo
echo "Goals (ratios of the medians above):"
echo
echo "| Goal (ratio of median seconds) | Workload | Ratio | Result |"
echo "|---|---|---:|---|"
goal() {  # PEER KIND WORKLOAD, KIND one of: faster2 within2 noslower (times), half (throughput)
  local peer=$1 kind=$2 w=$3 c=${MED[coffer.$3]:-} p=${MED[$1.$3]:-} text measured="n/a" result="n/a"
  case $kind in
    faster2) text="at least 2x faster than $peer: $peer s / coffer s >= 2" ;;
    half) text="at least half the throughput of $peer: $peer s / coffer s >= 0.5" ;;
    within2) text="within 2x of $peer: coffer s / $peer s <= 2" ;;
    noslower) text="no slower than $peer: coffer s / $peer s <= 1" ;;
  esac
  if [[ " ${TARGETS[*]} " != *" coffer "* || " ${TARGETS[*]} " != *" $peer "* ]]; then
    result="not in --targets"
  elif [[ -n $c && -n $p ]]; then
    read -r measured result < <(awk -v c="$c" -v p="$p" -v k="$kind" 'BEGIN {
      if (k == "faster2" || k == "half") { r = c > 0 ? p / c : 1e9; ok = (k == "half") ? r >= 0.5 : r >= 2 }
      else { r = p > 0 ? c / p : 1e9; ok = (k == "within2") ? r <= 2 : r <= 1 }
      printf "%.2f %s\n", r, (ok ? "met" : "not-met") }')
    result=${result/not-met/not met}
  fi
  echo "| coffer $text | $(workload_label "$w") | $measured | $result |"
}
for w in "${WORKLOADS[@]}"; do goal rclone faster2 "$w"; done
for w in seq_write cold_read; do goal bindfs half "$w"; done
for w in tar_x rsync_copy rm_rf; do goal gocryptfs within2 "$w"; done
for w in ls_lR rsync_same; do goal gocryptfs noslower "$w"; done
[[ -n ${NA[coffer]:-} ]] && echo && echo "coffer is n/a: ${NA[coffer]}"
exit 0
