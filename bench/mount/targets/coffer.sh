# Coffer: a real cofferd on 127.0.0.1 over a temp data dir, a user made by coffer-admin, and
# `coffer mount` of a fresh profile. Binaries come from BUILD_DIR/bin.

coffer_setup() {
  local dir=$WORK/coffer bin=$BUILD_DIR/bin name
  for name in cofferd coffer-admin coffer; do
    [[ -x $bin/$name ]] || { fail "$bin/$name not found (build Coffer first, or pass --build-dir)"; return 1; }
  done
  mkdir -p "$dir/srv" "$dir/profile" "$dir/mnt"
  echo "bench password" >"$dir/password" && chmod 600 "$dir/password"
  COFFER_PORT=$(free_port) || { fail "no free port"; return 1; }
  start_bg "$dir/cofferd.log" "$bin/cofferd" --data "$dir/srv" --listen "127.0.0.1:$COFFER_PORT"
  COFFERD_PID=$BG_PID
  wait_http "$COFFER_PORT" "$COFFERD_PID" || { fail "cofferd failed: $(last_line "$dir/cofferd.log")"; return 1; }
  "$bin/coffer-admin" --data "$dir/srv" user add bench --password-file "$dir/password" >>"$dir/admin.log" 2>&1 ||
    { fail "coffer-admin user add failed: $(last_line "$dir/admin.log")"; return 1; }
  coffer_cli login --server "http://127.0.0.1:$COFFER_PORT" --user bench --password-file "$dir/password" ||
    { fail "coffer login failed: $(last_line "$dir/cli.log")"; return 1; }
  coffer_mount || return 1
  MNT[coffer]=$dir/mnt
}

coffer_cli() { "$BUILD_DIR/bin/coffer" --profile "$WORK/coffer/profile" "$@" >>"$WORK/coffer/cli.log" 2>&1; }

# `coffer mount` backgrounds itself once the mount is up.
coffer_mount() {
  coffer_cli mount "$WORK/coffer/mnt" || { fail "coffer mount failed: $(last_line "$WORK/coffer/cli.log")"; return 1; }
  wait_mounted "$WORK/coffer/mnt" || { fail "coffer mount failed: $WORK/coffer/mnt is not mounted"; return 1; }
}

# Durable on the server: `coffer sync` returns when every pending change is committed there.
coffer_durable() { coffer_cli sync || { echo "coffer sync failed: $(last_line "$WORK/coffer/cli.log")" >&2; return 1; }; }

# Cold: unmount (it drains the upload queue), delete the chunk cache, mount again.
coffer_cold() {
  coffer_cli unmount "$WORK/coffer/mnt" || { echo "coffer unmount failed: $(last_line "$WORK/coffer/cli.log")" >&2; return 1; }
  rm -rf "$WORK/coffer/profile/cache" && coffer_mount
}

# The server and the mount daemon (which `coffer mount` forked; it keeps the command line).
coffer_pids() { echo "$COFFERD_PID"; pgrep -f "^$BUILD_DIR/bin/coffer --profile $WORK/coffer/profile mount"; }

coffer_teardown() {
  if mountpoint -q "$WORK/coffer/mnt"; then
    coffer_cli unmount "$WORK/coffer/mnt" --timeout 30 || unmount "$WORK/coffer/mnt"
  fi
  [[ -n ${COFFERD_PID:-} ]] && kill "$COFFERD_PID" 2>/dev/null && wait "$COFFERD_PID" 2>/dev/null
  return 0
}
