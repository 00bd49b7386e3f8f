# The local disk: a plain folder on the file system that holds the temp dir.
local_setup() { MNT[local]=$WORK/local/dir; mkdir -p "${MNT[local]}"; }
local_durable() { sync "$@"; }  # with a FILE: fsync of that file
local_cold() { :; }             # the page cache is dropped by run.sh
local_teardown() { :; }
