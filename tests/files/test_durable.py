"""Durable writes: whole at the final name or not there, nothing left behind, readable by others."""
import pytest

from claimlens.files import durable


def test_open_atomic_appears_only_when_the_block_ends(tmp_path):
    path = tmp_path / "out.jsonl"
    with durable.open_atomic(path) as fh:
        fh.write("one\n")
        assert not path.exists()
    assert path.read_text() == "one\n"
    assert path.stat().st_mode & 0o777 == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]


@pytest.mark.parametrize("sync_dir", [True, False])
def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path, sync_dir):
    path = tmp_path / "out.jsonl"
    path.write_text("old\n")
    with pytest.raises(RuntimeError):
        with durable.open_atomic(path, sync_dir=sync_dir) as fh:
            fh.write("half")
            raise RuntimeError("disk full")
    assert path.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]


def test_staged_path_serves_writers_that_open_the_file_themselves(tmp_path):
    path = tmp_path / "sub" / "table.bin"
    with durable.staged_path(path) as tmp:
        assert tmp.parent == path.parent and tmp.name.startswith(".table.bin.") and tmp.name.endswith(".tmp")
        tmp.write_bytes(b"PAR1")
    assert path.read_bytes() == b"PAR1"
    assert sorted(p.name for p in path.parent.iterdir()) == ["table.bin"]


def test_write_text_and_bytes(tmp_path):
    assert durable.write_text(tmp_path / "a.txt", "héllo").read_bytes() == "héllo".encode("utf-8")
    assert durable.write_bytes(tmp_path / "b.bin", b"\x00\x01", sync_dir=False).read_bytes() == b"\x00\x01"


def test_write_dir_is_all_or_nothing(tmp_path):
    directory = durable.write_dir(tmp_path / "model", {"a.json": b"{}", "b.npz": b"x"})
    assert sorted(p.name for p in directory.iterdir()) == ["a.json", "b.npz"]
    with pytest.raises(FileExistsError):
        durable.write_dir(tmp_path / "model", {})


@pytest.mark.parametrize("before", ["file", "dir", None])
def test_replace_dir_puts_a_finished_directory_in_place_of_anything(tmp_path, before):
    final = tmp_path / "out.parquet"
    if before == "file":
        final.write_bytes(b"an earlier run's file")
    elif before == "dir":
        final.mkdir()
        (final / "part-00099.parquet").write_bytes(b"stale")
    staging = tmp_path / ".out.parquet.tmp"
    staging.mkdir()
    (staging / "part-00000.parquet").write_bytes(b"new")
    durable.replace_dir(staging, final)
    assert [p.name for p in final.iterdir()] == ["part-00000.parquet"]
    assert [p.name for p in tmp_path.iterdir()] == ["out.parquet"]


def test_commit_file_renames_a_written_file_into_place(tmp_path):
    tmp = tmp_path / ".x.tmp"
    tmp.write_bytes(b"data")
    durable.commit_file(tmp, tmp_path / "x")
    assert [p.name for p in tmp_path.iterdir()] == ["x"]
    assert (tmp_path / "x").read_bytes() == b"data"
