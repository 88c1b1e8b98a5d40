"""Durable writes: a file or a folder is either whole at its final name or not there at all.

Everything claimlens writes for others to read (models, outputs, reports, the service's runtime
file) goes through here: write under a temporary name beside the target, fsync the data, rename
into place (atomic on POSIX within one file system), then fsync the folder so the rename itself
survives a power cut.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
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
                file_mode: int = 0o644) -> Iterator[IO]:
    """A file to write that appears at `path` only when the block ends without an exception."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        kwargs = {} if "b" in mode else {"encoding": encoding, "newline": newline}
        with os.fdopen(fd, mode, **kwargs) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, file_mode)  # mkstemp's 0600 would hide a file meant to be shared
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    fsync_dir(path.parent)


def write_bytes(path: Path, data: bytes) -> Path:
    with open_atomic(path, "wb") as fh:
        fh.write(data)
    return Path(path)


def write_text(path: Path, text: str) -> Path:
    return write_bytes(path, text.encode("utf-8"))


def commit_file(tmp: Path, final: Path) -> None:
    """fsync a file written by someone else (a Parquet writer, say) and rename it into place."""
    with open(tmp, "rb+") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, final)
    fsync_dir(Path(final).parent)


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
