"""What a file is, read from its bytes: genuine files pass under their own extension and
under no other; a program or a renamed file is refused whatever it is called."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest

from chidao.domain.reports import size_text
from chidao.files.attachment_files import content_problem

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "attachments"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 500


def png() -> bytes:
    """A real 1×1 PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff")) + chunk(b"IEND", b""))


GENUINE = {path.suffix[1:]: path.read_bytes() for path in FIXTURES.iterdir()} | {
    "png": png(), "jpg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 200,
    "csv": "Đơn vị;Số lớp\r\nMN Hòn Tre;6\r\n".encode(),
}


@pytest.mark.parametrize("kind", sorted(GENUINE))
def test_a_genuine_file_passes_under_its_own_extension_only(kind):
    assert content_problem(kind, io.BytesIO(GENUINE[kind])) is None
    if kind == "jpg":
        assert content_problem("jpeg", io.BytesIO(GENUINE[kind])) is None
    for other in sorted(set(GENUINE) - {kind}):
        assert content_problem(other, io.BytesIO(GENUINE[kind])) is not None, other


@pytest.mark.parametrize("kind", sorted(GENUINE))
def test_a_program_is_refused_whatever_it_is_called(kind):
    assert content_problem(kind, io.BytesIO(EXE)).startswith(
        f"nội dung không phải tệp .{kind}")


def test_the_file_is_left_at_its_start_for_storing():
    file = io.BytesIO(GENUINE["doc"])
    content_problem("doc", file)
    assert file.tell() == 0


def test_sizes_read_as_a_person_would():
    assert [size_text(n) for n in (512, 64 * 1024, 10 * 1024 * 1024, 1536 * 1024)] == [
        "512 byte", "64 KB", "10 MB", "1,5 MB"]
