# Helpers shared by run.sh, the workloads and the targets. Sourced, not run.

# Every target's failure path: remember why, for the "n/a" line, and fail.
fail() { FAIL_REASON="$*"; return 1; }

# Last line of a log, for failure messages.
last_line() { tail -n 1 "$1" 2>/dev/null | cut -c1-200; }

free_port() {
  /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Start a command in the background with its output in LOG; the exit trap kills it.
start_bg() {  # LOG COMMAND...
  local log=$1; shift
  "$@" >>"$log" 2>&1 &
  BG_PID=$!
  echo "$BG_PID" >>"$WORK/pids"
}

# Wait until something answers HTTP on 127.0.0.1:PORT (any status), while PID lives.
wait_http() {  # PORT PID
  local i
  for ((i = 0; i < 100; i++)); do
    curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$1/" && return 0
    kill -0 "$2" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

# Wait until DIR is a mount point (up to 20 s), while PID (if given) lives.
wait_mounted() {  # DIR [PID]
  local i
  for ((i = 0; i < 200; i++)); do
    mountpoint -q "$1" && return 0
    [[ -n ${2:-} ]] && ! kill -0 "$2" 2>/dev/null && return 1
    sleep 0.1
  done
  return 1
}

unmount() {  # DIR
  mountpoint -q "$1" || return 0
  fusermount3 -u "$1" 2>/dev/null || fusermount -u "$1" 2>/dev/null || umount "$1" 2>/dev/null ||
    umount -l "$1"
}

# Page cache, dentries and inodes; the targets' own caches are dropped by TARGET_cold.
drop_kernel_caches() {
  sync
  echo 3 >/proc/sys/vm/drop_caches
}

# CPU seconds (user + system, all threads) used so far by the processes PIDS, summed; kernel
# threads working for them (writeback, softirqs on other CPUs) are not counted.
cpu_of() {  # PIDS...
  local pid ticks=0 tick
  tick=$(getconf CLK_TCK)
  for pid in "$@"; do
    [[ -r /proc/$pid/stat ]] || continue
    # Fields after the ")" that ends the command name: utime is the 12th, stime the 13th.
    ticks=$((ticks + $(sed 's/^.*) //' "/proc/$pid/stat" | awk '{ print $12 + $13 }')))
  done
  awk -v t="$ticks" -v hz="$tick" 'BEGIN { printf "%.2f", t / hz }'
}

# Run a command and print its wall time in seconds; its status is the command's.
time_it() {
  local start=$EPOCHREALTIME status
  "$@"
  status=$?
  local end=$EPOCHREALTIME
  ELAPSED=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')
  return "$status"
}
