# The workloads, in the order they run on one target. Each has an untimed preparation
# (prep_NAME) and a timed part (run_NAME); both get the target's name, the mount is ${MNT[$t]}.
# Every workload that changes the tree ends when the change is durable on the target's
# server (TARGET_durable): fsync/sync for the local ones, the upload finished for rclone,
# `coffer sync` for Coffer. Sources are local files, kept in the page cache.
WORKLOADS=(seq_write cold_read tar_x ls_lR rsync_same rsync_copy rm_rf)

workload_label() {
  case $1 in
    seq_write) echo "Sequential write ${SIZE_MIB} MiB, until durable" ;;
    cold_read) echo "Cold sequential read ${SIZE_MIB} MiB" ;;
    tar_x) echo "tar x ${FILES} small files, then sync" ;;
    ls_lR) echo "ls -lR of the tree" ;;
    rsync_same) echo "rsync -a, no change" ;;
    rsync_copy) echo "rsync -a into an empty folder, then sync" ;;
    rm_rf) echo "rm -rf of the tree, then sync" ;;
  esac
}

warm_sources() { cat "$DATA/big.bin" "$DATA/tree.tar" >/dev/null && find "$DATA/tree" -type f -exec cat {} + >/dev/null; }

prep_seq_write() { rm -f "${MNT[$1]}/big.bin" && warm_sources; }
run_seq_write() { dd if="$DATA/big.bin" of="${MNT[$1]}/big.bin" bs=1M status=none && "$1_durable" "${MNT[$1]}/big.bin"; }

# Cold: the target's own cache is dropped (rclone and Coffer remount without their cache),
# then the kernel's page cache, dentries and inodes.
prep_cold_read() { "$1_cold" && drop_kernel_caches; }
run_cold_read() { dd if="${MNT[$1]}/big.bin" of=/dev/null bs=1M status=none; }

prep_tar_x() { warm_sources; }
run_tar_x() { tar -xf "$DATA/tree.tar" -C "${MNT[$1]}" && "$1_durable"; }

# Listing and no-change rsync start with the kernel's caches dropped, so that they measure
# the file system's lookups and getattrs, not the kernel's dentry cache; the daemons keep
# whatever metadata cache they have (as they would after any earlier use).
prep_ls_lR() { drop_kernel_caches; }
run_ls_lR() { ls -lR "${MNT[$1]}/tree" >/dev/null; }

# rsync's quick check compares size and mtime; the itemized list shows what it still changed.
prep_rsync_same() { drop_kernel_caches && warm_sources; }
run_rsync_same() { rsync -a -i "$DATA/tree/" "${MNT[$1]}/tree/" >"$WORK/$1.rsync-changes" && "$1_durable"; }

prep_rsync_copy() { warm_sources; }
run_rsync_copy() { rsync -a "$DATA/tree/" "${MNT[$1]}/copy/" && "$1_durable"; }

prep_rm_rf() { :; }
run_rm_rf() { rm -rf "${MNT[$1]}/tree" && "$1_durable"; }

# After the first run, untimed: with every cache dropped again (rclone and Coffer remount
# without theirs, so they read from their server), the big file and the copied tree read back
# equal to the sources.
verify() {
  "$1_cold" && drop_kernel_caches || { echo "dropping the caches failed" >&2; return 1; }
  cmp -s "$DATA/big.bin" "${MNT[$1]}/big.bin" || { echo "the big file read back differs" >&2; return 1; }
  diff -r -q "$DATA/tree" "${MNT[$1]}/copy" >&2 || { echo "the copied tree differs" >&2; return 1; }
}

# Between runs, untimed: back to an empty folder.
clean_up() { rm -rf "${MNT[$1]}/copy" "${MNT[$1]}/big.bin" "${MNT[$1]}/tree" && "$1_durable"; }
