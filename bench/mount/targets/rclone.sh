# rclone crypt over `rclone serve webdav` on 127.0.0.1, mounted with --vfs-cache-mode writes:
# the closest peer, encrypted FUSE over HTTP. Server, config, cache and mount live in a temp dir.
#
# Write-back delay: rclone uploads a closed file after --vfs-write-back (default 5s). 0s is
# not usable with rclone 1.60: files that rsync renames (temp name -> final name) while their
# upload runs stay on the server under the temp name, or are lost. 1s keeps them right (the
# verify step checks it after a remount) and waits the least.
RCLONE_WRITE_BACK=${RCLONE_WRITE_BACK:-1s}

rclone_setup() {
  local dir=$WORK/rclone
  mkdir -p "$dir/srv" "$dir/mnt" "$dir/cache"
  command -v rclone >/dev/null || { fail "rclone is not installed (apt-get install rclone)"; return 1; }
  RCLONE_PORT=$(free_port) && RCLONE_RC_PORT=$(free_port) || { fail "no free port"; return 1; }
  cat >"$dir/rclone.conf" <<CONF
[dav]
type = webdav
url = http://127.0.0.1:$RCLONE_PORT/
vendor = other

[crypt]
type = crypt
remote = dav:
password = $(rclone obscure "bench password")
CONF
  start_bg "$dir/serve.log" rclone serve webdav "$dir/srv" --addr "127.0.0.1:$RCLONE_PORT" --config "$dir/rclone.conf"
  RCLONE_SERVE_PID=$BG_PID
  wait_http "$RCLONE_PORT" "$RCLONE_SERVE_PID" || { fail "rclone serve webdav failed: $(last_line "$dir/serve.log")"; return 1; }
  rclone_mount || return 1
  MNT[rclone]=$dir/mnt
}

# In the foreground (in the background of this shell): rclone 1.60's --daemon starts --rc twice.
rclone_mount() {
  local dir=$WORK/rclone
  start_bg "$dir/mount.log" rclone mount crypt: "$dir/mnt" --config "$dir/rclone.conf" --cache-dir "$dir/cache" \
    --vfs-cache-mode writes --vfs-write-back "$RCLONE_WRITE_BACK" \
    --rc --rc-addr "127.0.0.1:$RCLONE_RC_PORT" --rc-no-auth
  RCLONE_MOUNT_PID=$BG_PID
  wait_mounted "$dir/mnt" "$RCLONE_MOUNT_PID" || { fail "rclone mount failed: $(last_line "$dir/mount.log")"; return 1; }
}

# Durable on the server: the VFS has no upload queued or running (closed files are queued at
# close, so after the workload's last close every upload is counted). For one FILE, also wait
# until the server's folder holds its ciphertext at full size (crypt: 32 + 16 per 64 KiB + size).
rclone_durable() {
  local stats size blocks deadline=$((SECONDS + 1800))
  while :; do
    ((SECONDS < deadline)) || { echo "rclone: uploads still running after 30 min" >&2; return 1; }
    stats=$(curl -s -X POST "http://127.0.0.1:$RCLONE_RC_PORT/vfs/stats") || { echo "rclone rc failed" >&2; return 1; }
    [[ $stats =~ \"uploadsInProgress\":\ ([0-9]+) ]] && ((BASH_REMATCH[1] == 0)) &&
      [[ $stats =~ \"uploadsQueued\":\ ([0-9]+) ]] && ((BASH_REMATCH[1] == 0)) && break
    [[ $stats =~ \"erroredFiles\":\ ([1-9][0-9]*) ]] && { echo "rclone: ${BASH_REMATCH[1]} uploads failed" >&2; return 1; }
    sleep 0.05
  done
  [[ -n ${1:-} ]] || return 0
  size=$(stat -c %s "$1") && blocks=$(((size + 65535) / 65536))
  until [[ -n $(find "$WORK/rclone/srv" -type f -size "$((32 + 16 * blocks + size))c" -print -quit) ]]; do
    ((SECONDS < deadline)) || { echo "rclone: $1 is not on the server at full size" >&2; return 1; }
    sleep 0.05
  done
}

# Cold: unmount (after the uploads), empty the VFS cache, mount again.
rclone_cold() {
  rclone_durable && unmount "$WORK/rclone/mnt" && wait "$RCLONE_MOUNT_PID" 2>/dev/null
  rm -rf "$WORK/rclone/cache" && mkdir -p "$WORK/rclone/cache" && rclone_mount
}

rclone_pids() { echo "$RCLONE_SERVE_PID $RCLONE_MOUNT_PID"; }
rclone_teardown() {
  unmount "$WORK/rclone/mnt"
  [[ -n ${RCLONE_MOUNT_PID:-} ]] && kill "$RCLONE_MOUNT_PID" 2>/dev/null
  [[ -n ${RCLONE_SERVE_PID:-} ]] && kill "$RCLONE_SERVE_PID" 2>/dev/null
  wait "${RCLONE_MOUNT_PID:-}" "${RCLONE_SERVE_PID:-}" 2>/dev/null
  return 0
}
