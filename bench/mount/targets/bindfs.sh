# bindfs: a FUSE passthrough of a local folder, i.e. the cost of FUSE itself.
bindfs_setup() {
  local dir=$WORK/bindfs
  mkdir -p "$dir/back" "$dir/mnt"
  command -v bindfs >/dev/null || { fail "bindfs is not installed (apt-get install bindfs)"; return 1; }
  bindfs "$dir/back" "$dir/mnt" >>"$dir/bindfs.log" 2>&1 || { fail "bindfs failed: $(last_line "$dir/bindfs.log")"; return 1; }
  wait_mounted "$dir/mnt" || { fail "bindfs did not mount"; return 1; }
  MNT[bindfs]=$dir/mnt
}
bindfs_durable() { sync "$@"; }  # bindfs passes fsync through to the backing file
bindfs_cold() { :; }
bindfs_pids() { pgrep -f "^bindfs $WORK/bindfs/back"; }
bindfs_teardown() { unmount "$WORK/bindfs/mnt"; }
