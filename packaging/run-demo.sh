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

# NAME's password file in $demo and NAME on the server, each made once.
ensure_user() {  # NAME
  if [ ! -f "$demo/$1.password" ]; then
    (umask 077 && head -c 18 /dev/urandom | base64 >"$demo/$1.password")
  fi
  if ! "$bin/coffer-admin" --data "$demo/server" --json user list | grep -q "\"$1\""; then
    "$bin/coffer-admin" --data "$demo/server" user add "$1" --password-file "$demo/$1.password"
  fi
}

login_and_mount() {  # PROFILE FOLDER NAME DEVICE
  "$bin/coffer" --profile "$1" login --server "http://127.0.0.1:$port" --user "$3" \
    --password-file "$demo/$3.password" --device "$4"
  mkdir -p "$2"
  "$bin/coffer" --profile "$1" mount "$2"
}

# NAME on a profile of its own under $demo/DIR, mounted at $demo/DIR/Coffer.
another_device() {  # NAME DIR DEVICE
  local home=$demo/$2
  if ! [ -f "$pidfile" ] || ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    echo "run-demo.sh: the demo server is not running; start it first with ./packaging/run-demo.sh" >&2
    exit 1
  fi
  unmount_folder "$home/profile" "$home/Coffer"
  login_and_mount "$home/profile" "$home/Coffer" "$1" "$3"
  cat <<MSG

$1 on device "$3" is mounted at:
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
    ensure_user "$name"
    another_device "$name" "$name" "$name-laptop"
    exit 0
    ;;
  second-device)
    another_device demo device2 demo-second
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

ensure_user demo
login_and_mount "$profile" "$mnt" demo demo

cat <<MSG

Coffer is running. Your encrypted folder is mounted at:
  $mnt
  server    http://127.0.0.1:$port  (pid $(cat "$pidfile"), data in $demo/server, log $demo/cofferd.log)
  browser   http://127.0.0.1:$port/  (the dashboard: log in as demo, the keys stay in the browser)
  user      demo, password in $demo/demo.password
  status    $bin/coffer --profile $profile status
  admin     $bin/coffer-admin --data $demo/server stats
  stop      ./packaging/run-demo.sh stop
  a second user, on a second "device":    ./packaging/run-demo.sh second-user alice
  the demo user on a second "device":      ./packaging/run-demo.sh second-device
MSG
