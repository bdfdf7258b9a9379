"""The pages' strings go through gettext, and the committed template lists all of them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[3]
TEMPLATE = ROOT / "web" / "translations" / "messages.pot"


def _msgids(path: Path) -> set[str]:
    with path.open("rb") as handle:
        return {str(m.id if isinstance(m.id, str) else m.id[0]) for m in read_po(handle) if m.id}


def test_the_committed_catalogue_template_is_up_to_date(tmp_path: Path) -> None:
    fresh = tmp_path / "messages.pot"
    pybabel = Path(sys.executable).with_name("pybabel")
    subprocess.run(
        [str(pybabel), "-q", "extract", "-F", "babel.cfg", "-k", "_", "-k", "gettext",
         "-k", "ngettext:1,2", "--no-location", "--omit-header", "-o", str(fresh), "."],
        cwd=ROOT,
        check=True,
    )  # fmt: skip
    assert _msgids(fresh) == _msgids(TEMPLATE), "lancez `make messages`"


def test_the_pages_have_many_translatable_strings() -> None:
    assert len(_msgids(TEMPLATE)) > 200
