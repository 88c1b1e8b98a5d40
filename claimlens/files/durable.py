"""Durable writes: a file or a folder is either whole at its final name or not there at all.

Everything claimlens writes for others to read (models, outputs, reports, summaries, the
service's runtime file, the batch labeller's chunk parts) goes through here: write under a
temporary name beside the target (`.NAME.*.tmp`), fsync the data, rename into place (atomic on
POSIX within one file system), then fsync the folder so the rename itself survives a power cut.

`sync_dir=False` skips that last fsync where a file that is missing after a crash is harmless
(a chunk part is simply labelled again): the file is still whole or absent, never partial.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO


def fsync_dir(directory: Path) -> None:
    """Make a rename or a new entry in `directory` durable."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def open_atomic(path: Path, mode: str = "w", encoding: str | None = "utf-8", newline: str | None = None,
                file_mode: int = 0o644, sync_dir: bool = True) -> Iterator[IO]:
    """A file to write that appears at `path` only when the block ends without an exception."""
    with staged_path(path, file_mode, sync_dir) as tmp:
        kwargs = {} if "b" in mode else {"encoding": encoding, "newline": newline}
        with open(tmp, mode, **kwargs) as fh:
            yield fh


@contextlib.contextmanager
def staged_path(path: Path, file_mode: int = 0o644, sync_dir: bool = True) -> Iterator[Path]:
    """A temporary path beside `path` for a writer that opens the file itself (pyarrow); renamed into place after the block."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        _fsync_file(tmp)
        os.chmod(tmp, file_mode)  # mkstemp's 0600 would hide a file meant to be shared
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    if sync_dir:
        fsync_dir(path.parent)


def write_bytes(path: Path, data: bytes, sync_dir: bool = True) -> Path:
    with open_atomic(path, "wb", sync_dir=sync_dir) as fh:
        fh.write(data)
    return Path(path)


def write_text(path: Path, text: str, sync_dir: bool = True) -> Path:
    return write_bytes(path, text.encode("utf-8"), sync_dir)


def commit_file(tmp: Path, final: Path) -> None:
    """fsync a file written by someone else and rename it into place (prefer `staged_path`)."""
    _fsync_file(tmp)
    os.replace(tmp, final)
    fsync_dir(Path(final).parent)


def _fsync_file(path: Path) -> None:
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())


def write_dir(directory: Path, contents: Mapping[str, bytes]) -> Path:
    """Create `directory` (which must not exist) holding `contents` {file name: bytes}, all or nothing."""
    directory = Path(directory)
    if directory.exists():
        raise FileExistsError(f"{directory} already exists")
    directory.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{directory.name}.", dir=directory.parent))
    try:
        for name, data in contents.items():
            with open(tmp / name, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        os.chmod(tmp, 0o755)  # mkdtemp's 0700 would lock out a service running as another user
        fsync_dir(tmp)
        os.rename(tmp, directory)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    fsync_dir(directory.parent)
    return directory


def replace_dir(staging: Path, final: Path) -> None:
    """Put the finished directory `staging` (its files already durable) at `final`, in place of whatever is there."""
    staging, final = Path(staging), Path(final)
    fsync_dir(staging)
    old = None
    if final.exists():
        old = final.with_name(f".{final.name}.{uuid.uuid4().hex[:8]}.old")
        os.replace(final, old)
    os.replace(staging, final)
    fsync_dir(final.parent)
    if old is not None:
        shutil.rmtree(old) if old.is_dir() and not old.is_symlink() else old.unlink()
