"""The directive's own files: kept on disk under a generated name with their row, in one
transaction; the same bytes attached twice kept once; a file that is not what its name says
refused with nothing left behind; from the command line too (exit code 2 on a refusal)."""

from __future__ import annotations

import pytest
from sqlmodel import select

from chidao.config.settings import Settings
from chidao.db.database import transaction
from chidao.domain.directives import Directive, DirectiveFile
from chidao.domain.errors import InvalidInput
from chidao.services.directive_documents import attach_document, documents_folder
from chidao.services.report_submit import Upload
from tests.support.cascade import at, issue_file, seed_units
from tests.support.cli import chidao, refused
from tests.support.paths import CORPUS, ROOT

SOURCE = CORPUS / "kh-ubnd-kien-hai-stem-2026.txt"
DOCX = ROOT / "tests" / "fixtures" / "attachments" / "bien-ban.docx"


@pytest.fixture
def plan(engine):
    seed_units(engine)
    issue_file(engine, "kh-1039-sgddt-stem.yaml", "2026-02-26T09:00")
    return issue_file(engine, "kh-ubnd-kien-hai-stem.yaml", "2026-03-10T10:00").directive_id


def kept(engine) -> list[DirectiveFile]:
    with transaction(engine) as session:
        return list(session.exec(select(DirectiveFile).order_by(DirectiveFile.id)))


def test_a_text_and_a_word_file_are_kept_with_their_text_once(engine, plan, tmp_path):
    settings = Settings(attachments_dir=str(tmp_path / "files"))
    for _ in range(2):
        for path in (SOURCE, DOCX):
            with transaction(engine) as session:
                attach_document(session, plan, Upload(path.name, path.read_bytes()),
                                settings=settings, now=at("2026-03-10T10:00"))
    text, word = kept(engine)
    assert text.text.startswith("Số: /KH-UBND") and "I. MỤC ĐÍCH YÊU CẦU" in text.text
    assert word.name == "bien-ban.docx" and word.text is not None
    on_disk = sorted(p.name for p in documents_folder(settings).iterdir())
    assert on_disk == sorted([text.stored_as, word.stored_as])
    assert (documents_folder(settings) / text.stored_as).read_bytes() == SOURCE.read_bytes()


@pytest.mark.parametrize("name, data, problem", [
    ("ke-hoach.pdf", b"plain words, not a PDF", "không phải tệp .pdf"),
    ("ke-hoach.exe", b"MZ\x90\x00", "chỉ nhận các loại"),
    ("rong.txt", b"", "rỗng"),
])
def test_a_wrong_file_is_refused_and_nothing_stays(engine, plan, tmp_path, name, data, problem):
    settings = Settings(attachments_dir=str(tmp_path / "files"))
    with pytest.raises(InvalidInput) as error, transaction(engine) as session:
        attach_document(session, plan, Upload(name, data), settings=settings,
                        now=at("2026-03-10T10:00"))
    assert error.value.field == "file" and problem in error.value.problem
    assert kept(engine) == []
    folder = documents_folder(settings)
    assert not folder.exists() or not any(folder.iterdir())


def test_the_command_attaches_a_file_to_a_directive(engine, db_url, plan, tmp_path):
    env = {"CHIDAO_DATABASE_URL": db_url, "CHIDAO_ATTACHMENTS_DIR": str(tmp_path / "files")}
    with transaction(engine) as session:
        key = session.get(Directive, plan).key
    done = chidao("directive", "attach", key, str(SOURCE), **env)
    assert done.exit_code == 0, done.output
    assert "tệp kh-ubnd-kien-hai-stem-2026.txt" in done.output and "có toàn văn" in done.output
    assert chidao("directive", "attach", key, str(SOURCE), **env).exit_code == 0
    assert [f.name for f in kept(engine)] == [SOURCE.name]  # the same bytes: kept once
    fake = tmp_path / "quyet-dinh.pdf"
    fake.write_text("not a pdf", encoding="utf-8")
    refused(chidao("directive", "attach", key, str(fake), **env), "file", "không phải tệp .pdf")
    refused(chidao("directive", "attach", "999/KH-XYZ", str(SOURCE), **env), "ref")
    refused(chidao("directive", "attach", key, str(tmp_path / "missing.pdf"), **env), "file")
    assert len(kept(engine)) == 1
