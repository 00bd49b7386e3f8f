#!/usr/bin/env bash
# Runs Coffer on a fresh Debian 12 machine: installs dependencies, builds, starts cofferd on
# embedded defaults (127.0.0.1, data in $COFFER_DEMO_DIR/server), creates a demo user, logs
# the demo user in and mounts the cloud at $COFFER_DEMO_DIR/Coffer.
#   ./packaging/run-demo.sh                  start (again: reuses the data and the user)
#   ./packaging/run-demo.sh second-user [NAME]  (after start) user NAME (default alice) on
#                                            a second "device", mounted at $COFFER_DEMO_DIR/NAME/Coffer
#   ./packaging/run-demo.sh second-device    (after start) the demo user on a second "device",
#                                            mounted at $COFFER_DEMO_DIR/device2/Coffer
#   ./packaging/run-demo.sh stop             unmount every demo folder (after the uploads
#                                            finish) and stop the server
set -euo pipefail
cd "$(dirname "$0")/.."

demo=${COFFER_DEMO_DIR:-/tmp/coffer-demo}
port=${COFFER_DEMO_PORT:-8470}
bin=$PWD/build/bin
pidfile=$demo/cofferd.pid
profile=$demo/profile
mnt=$demo/Coffer

unmount_folder() {  # PROFILE FOLDER
  if mountpoint -q "$2"; then
    "$bin/coffer" --profile "$1" unmount "$2"
  fi
}

unmount_all() {
  unmount_folder "$profile" "$mnt"
  local extra
  for extra in "$demo"/*/profile; do
    [ -d "$extra" ] && unmount_folder "$extra" "$(dirname "$extra")/Coffer"
  done
  return 0
}

# Logs NAME in with the password in FILE on a profile of its own under $demo/DIR and mounts it.
another_device() {  # NAME PASSWORD_FILE DIR DEVICE
  local home=$demo/$3
  if ! [ -f "$pidfile" ] || ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    echo "run-demo.sh: the demo server is not running; start it first with ./packaging/run-demo.sh" >&2
    exit 1
  fi
  mkdir -p "$home/Coffer"
  unmount_folder "$home/profile" "$home/Coffer"
  "$bin/coffer" --profile "$home/profile" login --server "http://127.0.0.1:$port" --user "$1" \
    --password-file "$2" --device "$4"
  "$bin/coffer" --profile "$home/profile" mount "$home/Coffer"
  cat <<MSG

$1 on device "$4" is mounted at:
  $home/Coffer
  status    $bin/coffer --profile $home/profile status
  stop      ./packaging/run-demo.sh stop   (unmounts every demo folder)
MSG
}

stop_server() {
  if [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null; then
    echo "stopped cofferd ($(cat "$pidfile"))"
  fi
  rm -f "$pidfile"
}

case "${1:-}" in
  stop)
    unmount_all
    stop_server
    exit 0
    ;;
  second-user)
    name=${2:-alice}
    case "$name" in demo | device2 | server | profile | *[!a-z0-9_-]*)
      echo "run-demo.sh: pick another name than '$name' (lowercase letters, digits, - and _)" >&2
      exit 2 ;;
    esac
    if [ ! -f "$demo/$name.password" ]; then
      (umask 077 && head -c 18 /dev/urandom | base64 >"$demo/$name.password")
    fi
    if ! "$bin/coffer-admin" --data "$demo/server" --json user list | grep -q "\"$name\""; then
      "$bin/coffer-admin" --data "$demo/server" user add "$name" --password-file "$demo/$name.password"
    fi
    another_device "$name" "$demo/$name.password" "$name" "$name-laptop"
    exit 0
    ;;
  second-device)
    another_device demo "$demo/demo.password" device2 demo-second
    exit 0
    ;;
  "") ;;
  *)
    echo "usage: ./packaging/run-demo.sh [stop | second-user [NAME] | second-device]" >&2
    exit 2
    ;;
esac

./packaging/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"

mkdir -p "$demo"
chmod 700 "$demo"
unmount_all
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
  a second user, on a second "device":    ./packaging/run-demo.sh second-user alice
  the demo user on a second "device":      ./packaging/run-demo.sh second-device
MSG
