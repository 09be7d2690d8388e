from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from customer_ops.models import Ticket

pytestmark = pytest.mark.django_db

HEADER = "customer,subject,body,channel,opened_at\n"


@pytest.fixture
def customer_fields() -> dict[str, Any]:
    return {
        "name": "شركة الاستيراد",
    }


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "tickets.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_import_creates_classified_tickets(customer: Any, tmp_path: Path, capsys: Any) -> None:
    path = write(
        tmp_path,
        f"{customer.pk},تسريب بيانات,وجدنا تسريب في السجلات,email,2026-03-01T10:00:00+03:00\n"
        "شركة الاستيراد,سؤال,متى يصل التقرير؟,whatsapp,\n",
    )

    call_command("import_tickets", str(path))

    assert sorted(Ticket.objects.values_list("priority", flat=True)) == ["P0", "P3"]
    output = capsys.readouterr().out
    assert "imported 2 ticket(s)" in output
    assert "2/2" in output  # the progress bar


def test_import_reports_bad_rows_with_line_numbers_and_imports_nothing(
    customer: Any, tmp_path: Path, capsys: Any
) -> None:
    path = write(
        tmp_path,
        f"{customer.pk},جيد,نص,email,\n"
        "شركة مجهولة,سؤال,نص,email,\n"
        f"{customer.pk},,نص,fax,yesterday\n",
    )

    with pytest.raises(CommandError, match="2 bad row"):
        call_command("import_tickets", str(path))

    errors = capsys.readouterr().err
    assert "line 3: unknown customer" in errors
    assert (
        "line 4:" in errors and "subject is empty" in errors and "unknown channel 'fax'" in errors
    )
    assert Ticket.objects.count() == 0


def test_import_skip_bad_imports_the_good_rows(customer: Any, tmp_path: Path) -> None:
    path = write(tmp_path, f"{customer.pk},جيد,نص,email,\nشركة مجهولة,سؤال,نص,email,\n")

    call_command("import_tickets", str(path), "--skip-bad")

    assert Ticket.objects.count() == 1


def test_import_refuses_a_file_without_the_columns(customer: Any, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("name,text\nx,y\n", encoding="utf-8")

    with pytest.raises(CommandError, match="missing column"):
        call_command("import_tickets", str(path))


def test_seed_demo_tickets_tops_up_to_the_size_with_progress(capsys: Any, settings: Any) -> None:
    settings.DEBUG = True
    call_command("seed_demo", "--tickets", "40")
    first = Ticket.objects.count()
    first_output = capsys.readouterr().out
    call_command("seed_demo", "--tickets", "40")

    assert first == Ticket.objects.count() == 40
    assert "35/35 100.0%" in first_output  # the 5 demo tickets exist; the bar counts the rest
    assert "already 40 or more tickets" in capsys.readouterr().out
