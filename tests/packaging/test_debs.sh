#!/usr/bin/env bash
# The Debian packages as a user gets them (issue 17): builds coffer and coffer-server from
# BUILD_DIR (packaging/build-debs.sh), runs lintian, installs both with apt-get, verifies the
# systemd units, starts cofferd the way cofferd.service does (as the user coffer, the installed
# default configuration, the unit's ExecStart), adds a user, logs in and mounts with the
# installed coffer the way coffer-mount@.service does, round-trips a file through the server to
# a second device, unmounts, stops, purges, and checks what is left (the data directory, named)
# and what is gone.
#   tests/packaging/test_debs.sh [BUILD_DIR]      (as root; exit 77 when not root)
# It installs packages on this machine and purges them at the end, also after a failure.
set -euo pipefail
build=$(realpath -m "${1:-$(dirname "$0")/../../build-release}")
cd "$(dirname "$0")/../.."

if [ "$(id -u)" -ne 0 ]; then
  echo "test_debs: needs root (installs packages); skipped"
  exit 77
fi

data_dir=/var/lib/coffer
port=8443
for package in coffer coffer-server; do
  if dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'installed'; then
    echo "test_debs: $package is already installed here; refusing to replace it" >&2
    exit 1
  fi
done
if [ -e "$data_dir" ]; then
  echo "test_debs: $data_dir exists; refusing to run over someone's data" >&2
  exit 1
fi

work=$(mktemp -d /tmp/coffer-debs.XXXXXX)
chmod 0755 "$work"
cofferd_pid=""
step() { echo "== $*"; }
fail() { echo "test_debs: FAILED: $*" >&2; exit 1; }
# wait_for SECONDS WHAT COMMAND...: polls COMMAND until it succeeds.
wait_for() {
  local seconds=$1 what=$2
  shift 2
  local deadline=$((SECONDS + seconds))
  until "$@"; do
    [ "$SECONDS" -lt "$deadline" ] || fail "$what did not happen within ${seconds}s"
    sleep 0.1
  done
}
unit_line() { sed -n "s/^$2=//p" "$1"; }  # UNIT KEY: the key's value
cleanup() {
  set +e
  for mnt in "$work"/home/device1 "$work"/device2; do
    mountpoint -q "$mnt" 2>/dev/null && fusermount3 -u -z "$mnt"
  done
  [ -n "$cofferd_pid" ] && kill "$cofferd_pid" 2>/dev/null && wait "$cofferd_pid"
  if dpkg-query -W coffer-server >/dev/null 2>&1 || dpkg-query -W coffer >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq coffer coffer-server >/dev/null
  fi
  rm -rf "$data_dir" "$work"
}
trap cleanup EXIT

step "build the packages"
mapfile -t debs < <(packaging/build-debs.sh "$build")
[ "${#debs[@]}" -eq 2 ] || fail "expected two packages, got: ${debs[*]}"
printf '%s\n' "${debs[@]}"
client_deb=$(printf '%s\n' "${debs[@]}" | grep '/coffer_')
server_deb=$(printf '%s\n' "${debs[@]}" | grep '/coffer-server_')

step "package contents"
dpkg-deb -f "$client_deb" Depends | grep -q 'fuse3' || fail "coffer does not depend on fuse3"
dpkg-deb -f "$client_deb" Depends | grep -q 'libcurl' || fail "coffer has no shlibdeps dependency on libcurl"
dpkg-deb -f "$server_deb" Depends | grep -q 'libsqlite3' || fail "coffer-server has no shlibdeps dependency on libsqlite3"
dpkg-deb -f "$server_deb" Depends | grep -q 'fuse' && fail "coffer-server depends on fuse"
dpkg-deb -I "$server_deb" conffiles | grep -qx /etc/coffer/cofferd.yaml || fail "cofferd.yaml is not a conffile"
client_files=$(dpkg-deb -c "$client_deb")
server_files=$(dpkg-deb -c "$server_deb")
for path in ./usr/share/man/man1/coffer.1.gz ./usr/share/doc/coffer/copyright ./usr/share/doc/coffer/changelog.Debian.gz \
  ./usr/share/bash-completion/completions/coffer ./usr/lib/systemd/user/coffer-mount@.service ./usr/bin/coffer; do
  grep -q " $path\$" <<<"$client_files" || fail "coffer lacks $path"
done
for path in ./usr/share/man/man8/cofferd.8.gz ./usr/share/man/man8/coffer-admin.8.gz ./usr/share/doc/coffer-server/copyright \
  ./usr/share/bash-completion/completions/coffer-admin ./usr/share/bash-completion/completions/cofferd \
  ./lib/systemd/system/cofferd.service ./etc/coffer/cofferd.yaml ./usr/sbin/cofferd ./usr/sbin/coffer-admin; do
  grep -q " $path\$" <<<"$server_files" || fail "coffer-server lacks $path"
done

step "lintian"
lintian --fail-on error "${debs[@]}"

step "apt-get install"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${debs[@]}" >/dev/null
getent passwd coffer >/dev/null || fail "no system user coffer"
[ "$(stat -c '%U:%G %a' "$data_dir")" = "coffer:coffer 750" ] || fail "$data_dir is $(stat -c '%U:%G %a' "$data_dir")"
/usr/sbin/cofferd --config /etc/coffer/cofferd.yaml --check || fail "the default configuration is refused"

step "systemd-analyze verify"
system_unit=/lib/systemd/system/cofferd.service
user_unit=/usr/lib/systemd/user/coffer-mount@.service
systemd-analyze verify "$system_unit"
# A template verifies as an instance of itself; a user manager wants a runtime folder.
cp "$user_unit" "$work/coffer-mount@test.service"
mkdir -m 0700 "$work/runtime"
XDG_RUNTIME_DIR=$work/runtime systemd-analyze --user verify "$work/coffer-mount@test.service"
exposure=$(systemd-analyze security --offline=true "$system_unit" | sed -n 's/.*Overall exposure level for .*: \([0-9.]*\).*/\1/p')
echo "exposure $exposure"
awk -v e="$exposure" 'BEGIN { exit !(e != "" && e <= 2.0) }' || fail "cofferd.service exposure $exposure is above 2.0"

step "cofferd as cofferd.service starts it"
ss -Hltn "sport = :$port" | grep -q . && fail "port $port is taken; cofferd's default configuration needs it"
user=$(unit_line "$system_unit" User)
read -r -a exec_start <<<"$(unit_line "$system_unit" ExecStart)"
log=$work/cofferd.log
: >"$log"
chown "$user" "$log"
# stderr is the "journal stream" JOURNAL_STREAM names, as systemd sets it up.
(
  cd /
  umask "$(unit_line "$system_unit" UMask)"
  export JOURNAL_STREAM
  JOURNAL_STREAM=$(stat -c '%d:%i' "$log")
  exec setpriv --reuid="$user" --regid="$user" --init-groups --no-new-privs --inh-caps=-all --bounding-set=-all \
    -- "${exec_start[@]}" 2>>"$log"
) &
cofferd_pid=$!
wait_for 30 "cofferd listening" grep -q 'listening on' "$log"
# No time in the line (the journal has it), the syslog priority first.
grep -Eq '^<6>info cofferd [^ ]+ listening on http://127\.0\.0\.1:8443 with data in /var/lib/coffer$' "$log" ||
  fail "journal lines not as expected: $(cat "$log")"
# The subshell became setpriv and then cofferd (exec), so its pid is cofferd's.
cofferd_main=$cofferd_pid
[ "$(ps -o user= -p "$cofferd_main")" = "$user" ] || fail "cofferd does not run as $user"
[ "$(stat -c %U "$data_dir/coffer.db")" = "$user" ] || fail "the database is not the coffer user's"

step "SIGHUP reloads log_level; a bad file changes nothing"
sed -i 's/^log_level: info/log_level: debug/' /etc/coffer/cofferd.yaml
kill -HUP "$cofferd_main"
wait_for 10 "the reload" grep -q 'reload: log_level debug' "$log"
cp /etc/coffer/cofferd.yaml "$work/cofferd.yaml.good"
echo "listen: [" >>/etc/coffer/cofferd.yaml
kill -HUP "$cofferd_main"
wait_for 10 "the refused reload" grep -q 'keeping the running configuration' "$log"
kill -0 "$cofferd_main" || fail "cofferd died on a bad reload"
cp "$work/cofferd.yaml.good" /etc/coffer/cofferd.yaml

step "coffer-admin user add, as the coffer user"
printf 'correct horse battery staple\n' >"$work/password"
chmod 0644 "$work/password"
runuser -u "$user" -- coffer-admin --config /etc/coffer/cofferd.yaml user add alice --password-file "$work/password"

step "log in and mount as coffer-mount@.service does"
export HOME=$work/home
mkdir -p "$HOME/.config/coffer/device1" "$HOME/device1"
profile=$HOME/.config/coffer/device1
coffer --profile "$profile" login --server "http://127.0.0.1:$port" --user alice --password-file "$work/password" --device device1
echo "COFFER_MOUNTPOINT=$HOME/device1" >"$profile/mount.env"
set -a
# shellcheck disable=SC1091
. "$profile/mount.env"
set +a
unit_exec() {  # KEY: the user unit's command line with %h, %i and the environment file's variable filled in
  unit_line "$user_unit" "$1" | sed -e "s|%h|$HOME|g" -e "s|%i|device1|g" -e "s|\${COFFER_MOUNTPOINT}|$COFFER_MOUNTPOINT|g"
}
read -r -a mount_start <<<"$(unit_exec ExecStart)"
read -r -a mount_stop <<<"$(unit_exec ExecStop)"
[ "${mount_start[0]}" = /usr/bin/coffer ] || fail "the user unit runs ${mount_start[0]}"
"${mount_start[@]}" 2>"$work/mount.log" &
mount_pid=$!
wait_for 30 "the mount" mountpoint -q "$COFFER_MOUNTPOINT"

step "round trip through the server to a second device"
head -c 3000000 /dev/urandom >"$work/payload"
cp "$work/payload" "$COFFER_MOUNTPOINT/payload"
mkdir -p "$work/device2" "$work/device2-profile"
coffer --profile "$work/device2-profile" login --server "http://127.0.0.1:$port" --user alice \
  --password-file "$work/password" --device device2
coffer --profile "$work/device2-profile" mount "$work/device2"
wait_for 30 "the second mount" mountpoint -q "$work/device2"
wait_for 60 "the file on the second device" cmp -s "$work/payload" "$work/device2/payload"
coffer --profile "$work/device2-profile" unmount "$work/device2"

step "stop the user unit: ExecStop unmounts"
"${mount_stop[@]}"
wait "$mount_pid" || fail "coffer mount --foreground exited with $?"
mountpoint -q "$COFFER_MOUNTPOINT" && fail "still mounted after ExecStop"

step "stop cofferd"
kill -TERM "$cofferd_main"
wait "$cofferd_pid" || fail "cofferd exited with $? on SIGTERM"
cofferd_pid=""
grep -q 'stopped' "$log" || fail "cofferd did not log its stop"

step "apt-get purge"
purge_output=$(DEBIAN_FRONTEND=noninteractive apt-get purge -y coffer coffer-server 2>&1)
echo "$purge_output" | grep -q "kept in $data_dir" || fail "purge did not name the data directory: $purge_output"
[ -f "$data_dir/coffer.db" ] || fail "purge removed the data"
for gone in /usr/bin/coffer /usr/sbin/cofferd /usr/sbin/coffer-admin /etc/coffer "$system_unit" "$user_unit" \
  /usr/share/man/man8/cofferd.8.gz /usr/share/bash-completion/completions/coffer /usr/share/doc/coffer-server; do
  [ -e "$gone" ] && fail "$gone is left after purge"
done
getent passwd coffer >/dev/null && fail "the user coffer is left after purge"
getent group coffer >/dev/null && fail "the group coffer is left after purge"
echo "test_debs: passed"
