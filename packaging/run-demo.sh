#!/usr/bin/env bash
# Runs Coffer on a fresh Debian 12 machine: installs dependencies, builds, starts cofferd on
# embedded defaults (127.0.0.1, data in $COFFER_DEMO_DIR/server), creates a demo user, logs
# the demo user in and mounts the cloud at $COFFER_DEMO_DIR/Coffer.
#   ./packaging/run-demo.sh          start (again: reuses the data and the user)
#   ./packaging/run-demo.sh stop     unmount (after the uploads finish) and stop the server
set -euo pipefail
cd "$(dirname "$0")/.."

demo=${COFFER_DEMO_DIR:-/tmp/coffer-demo}
port=${COFFER_DEMO_PORT:-8470}
bin=$PWD/build/bin
pidfile=$demo/cofferd.pid
profile=$demo/profile
mnt=$demo/Coffer

unmount_folder() {
  if mountpoint -q "$mnt"; then
    "$bin/coffer" --profile "$profile" unmount "$mnt"
  fi
}

stop_server() {
  if [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null; then
    echo "stopped cofferd ($(cat "$pidfile"))"
  fi
  rm -f "$pidfile"
}

if [ "${1:-}" = "stop" ]; then
  unmount_folder
  stop_server
  exit 0
fi

./packaging/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"

mkdir -p "$demo"
chmod 700 "$demo"
unmount_folder
stop_server
nohup "$bin/cofferd" --data "$demo/server" --listen "127.0.0.1:$port" >"$demo/cofferd.log" 2>&1 &
echo $! >"$pidfile"
for _ in $(seq 50); do
  curl -fs "http://127.0.0.1:$port/v1/auth/params?user=demo" >/dev/null && break
  sleep 0.1
done

if [ ! -f "$demo/demo.password" ]; then
  (umask 077 && head -c 18 /dev/urandom | base64 >"$demo/demo.password")
fi
if ! "$bin/coffer-admin" --data "$demo/server" --json user list | grep -q '"demo"'; then
  "$bin/coffer-admin" --data "$demo/server" user add demo --password-file "$demo/demo.password"
fi

"$bin/coffer" --profile "$profile" login --server "http://127.0.0.1:$port" --user demo \
  --password-file "$demo/demo.password" --device demo
mkdir -p "$mnt"
"$bin/coffer" --profile "$profile" mount "$mnt"

cat <<MSG

Coffer is running. Your encrypted folder is mounted at:
  $mnt
  server    http://127.0.0.1:$port  (pid $(cat "$pidfile"), data in $demo/server, log $demo/cofferd.log)
  user      demo, password in $demo/demo.password
  status    $bin/coffer --profile $profile status
  admin     $bin/coffer-admin --data $demo/server stats
  stop      ./packaging/run-demo.sh stop
A second user on a second "device": $bin/coffer-admin --data $demo/server user add NAME --password-file FILE,
then coffer --profile DIR login --server http://127.0.0.1:$port --user NAME --password-file FILE
and coffer --profile DIR mount FOLDER.
MSG
