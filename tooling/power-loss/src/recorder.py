"""A recording passthrough file system (FUSE, through Debian's python3-fusepy).

Usage: recorder.py <backing dir> <mount point> <log dir> <recorded prefix>...

Every operation passes through to the backing directory. Those that change what a power cut
could leave on disk (writes with their bytes, truncates, creates, mkdir, rmdir, unlinks,
renames, fsync/fdatasync of files, fsync of directories) are logged in the order they were
served, when their path lies under one of the recorded prefixes: one JSON object a line in
<log dir>/ops.jsonl, the written bytes appended to <log dir>/data.bin. Reads, opens, closes,
attribute reads and time stamps are not logged: they change no bytes a load can see. Nor are
LevelDB's LOG and LOG.old, text for humans that LevelDB never reads back: each of their
pieces would only multiply the crash states by disks that load alike.

libfuse hides a file that is unlinked, or renamed over, while it is open: it renames it to
.fuse_hidden<n> and unlinks that when the last descriptor closes. On a disk file system the
name is gone at once, so the log says so: the hiding is logged as the unlink (or as nothing,
when a rename onto the name follows it: that rename replaces the file in one step), and the
hidden name's operations are not logged.

Operations are served one at a time (one lock), so the log's order is an order the kernel
really served them in. fsync is logged, not performed: the backing directory is only a
scratch copy, and the crash states are built from the log, not from what the disk kept.
"""

import errno
import json
import os
import sys
import threading

from fusepy import FUSE, FuseOSError, Operations


class Recorder(Operations):
    use_ns = True
    # Unregistered, so the kernel keeps POSIX locks itself (LevelDB's LOCK, SQLite).
    lock = None

    def __init__(self, backing, log_dir, prefixes):
        self.backing = backing
        self.prefixes = prefixes
        self.serial = threading.Lock()
        self.log = open(os.path.join(log_dir, "ops.jsonl"), "w", encoding="utf-8")
        self.data = open(os.path.join(log_dir, "data.bin"), "wb")
        self.data_at = 0
        # A hidden name's unlink, held until the next logged line: the rename that may replace it.
        self.hiding = None

    def real(self, path):
        return self.backing + path

    def recorded(self, path):
        if os.path.basename(path) in ("LOG", "LOG.old") or hidden(path):
            return False
        return any(path == p or path.startswith(p + "/") for p in self.prefixes)

    def record(self, op, path, **fields):
        if self.recorded(path):
            self.line({"op": op, "path": path, **fields})

    def line(self, entry):
        if not (entry["op"] == "rename" and entry["to"] == self.hiding):
            self.unlink_hidden()
        self.hiding = None
        self.log.write(json.dumps(entry) + "\n")

    def unlink_hidden(self):
        if self.hiding:
            self.log.write(json.dumps({"op": "unlink", "path": self.hiding}) + "\n")
        self.hiding = None

    def __call__(self, op, *args):
        # One operation at a time: the log's order must be the order they took effect in.
        with self.serial:
            try:
                return super().__call__(op, *args)
            except OSError as error:
                raise FuseOSError(error.errno or errno.EIO) from error

    def destroy(self, path):
        self.unlink_hidden()
        self.log.close()
        self.data.close()

    # What is read, passed through unlogged.
    def getattr(self, path, fh=None):
        st = os.lstat(self.real(path))
        keys = ("st_mode", "st_nlink", "st_uid", "st_gid", "st_size", "st_atime", "st_mtime", "st_ctime")
        attrs = {key: getattr(st, key) for key in keys}
        for key in ("st_atime", "st_mtime", "st_ctime"):
            attrs[key] = getattr(st, key + "_ns")
        return attrs

    def access(self, path, amode):
        if not os.access(self.real(path), amode):
            raise FuseOSError(errno.EACCES)

    def readdir(self, path, fh):
        return [".", ".."] + os.listdir(self.real(path))

    def readlink(self, path):
        return os.readlink(self.real(path))

    def statfs(self, path):
        st = os.statvfs(self.real(path))
        keys = ("f_bavail", "f_bfree", "f_blocks", "f_bsize", "f_favail", "f_ffree", "f_files", "f_flag", "f_frsize", "f_namemax")
        return {key: getattr(st, key) for key in keys}

    def open(self, path, flags):
        # pwrite on an O_APPEND descriptor ignores its offset; the kernel already sends the right one.
        if flags & os.O_TRUNC:
            self.record("truncate", path, size=0)
        return os.open(self.real(path), flags & ~os.O_APPEND)

    def read(self, path, size, offset, fh):
        return os.pread(fh, size, offset)

    def flush(self, path, fh):
        return 0

    def release(self, path, fh):
        os.close(fh)

    def chmod(self, path, mode):
        os.chmod(self.real(path), mode)

    def chown(self, path, uid, gid):
        os.chown(self.real(path), uid, gid)

    def utimens(self, path, times=None):
        os.utime(self.real(path), ns=times)

    # What changes the disk, logged.
    def create(self, path, mode, fi=None):
        existed = os.path.lexists(self.real(path))
        fh = os.open(self.real(path), os.O_RDWR | os.O_CREAT, mode)
        if not existed:
            self.record("create", path)
        return fh

    def write(self, path, data, offset, fh):
        written = os.pwrite(fh, data, offset)
        if self.recorded(path):
            self.data.write(data[:written])
            self.record("write", path, offset=offset, length=written, at=self.data_at)
            self.data_at += written
        return written

    def truncate(self, path, length, fh=None):
        if fh is None:
            os.truncate(self.real(path), length)
        else:
            os.ftruncate(fh, length)
        self.record("truncate", path, size=length)

    def fsync(self, path, datasync, fh):
        self.record("fsync", path, datasync=bool(datasync))
        return 0

    def fsyncdir(self, path, datasync, fh):
        self.record("fsyncdir", path)
        return 0

    def mkdir(self, path, mode):
        os.mkdir(self.real(path), mode)
        self.record("mkdir", path)

    def rmdir(self, path):
        os.rmdir(self.real(path))
        self.record("rmdir", path)

    def unlink(self, path):
        os.unlink(self.real(path))
        self.record("unlink", path)

    def rename(self, old, new):
        os.rename(self.real(old), self.real(new))
        if hidden(new):
            self.unlink_hidden()
            self.hiding = old if self.recorded(old) else None
        elif self.recorded(old) or self.recorded(new):
            self.line({"op": "rename", "path": old, "to": new})

    def symlink(self, target, source):
        # Chromium's Singleton* lock files and Firefox's lock; never under a recorded prefix.
        os.symlink(source, self.real(target))

    def link(self, target, source):
        raise FuseOSError(errno.EPERM)


def hidden(path):
    return os.path.basename(path).startswith(".fuse_hidden")


def main():
    backing, mount, log_dir, *prefixes = sys.argv[1:]
    # big_writes: without it libfuse 2 splits every write into 4 KiB requests, a Python call each.
    recorder = Recorder(os.path.abspath(backing), log_dir, prefixes)
    FUSE(recorder, mount, foreground=True, nothreads=False, big_writes=True, max_write=1 << 20)


if __name__ == "__main__":
    main()
