# gocryptfs: local encrypted FUSE (AES-GCM, encrypted names), default options.
gocryptfs_setup() {
  local dir=$WORK/gocryptfs
  mkdir -p "$dir/cipher" "$dir/mnt"
  command -v gocryptfs >/dev/null || { fail "gocryptfs is not installed (apt-get install gocryptfs)"; return 1; }
  echo "bench password" >"$dir/passfile"
  gocryptfs -init -q -passfile "$dir/passfile" "$dir/cipher" >>"$dir/gocryptfs.log" 2>&1 ||
    { fail "gocryptfs -init failed: $(last_line "$dir/gocryptfs.log")"; return 1; }
  gocryptfs -q -passfile "$dir/passfile" "$dir/cipher" "$dir/mnt" >>"$dir/gocryptfs.log" 2>&1 ||
    { fail "gocryptfs mount failed: $(last_line "$dir/gocryptfs.log")"; return 1; }
  wait_mounted "$dir/mnt" || { fail "gocryptfs did not mount"; return 1; }
  MNT[gocryptfs]=$dir/mnt
}
gocryptfs_durable() { sync "$@"; }  # gocryptfs passes fsync through to the ciphertext file
gocryptfs_cold() { :; }
gocryptfs_pids() { pgrep -f "gocryptfs -fg .*$WORK/gocryptfs/mnt"; }  # the re-executed daemon
gocryptfs_teardown() { unmount "$WORK/gocryptfs/mnt"; }
