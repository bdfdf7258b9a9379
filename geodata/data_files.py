"""Where the bundled data files are: the ``data/`` folder at the root of the project.

Reference data (communes, town halls, France services…), the rights catalogue, the offers
by kind of partner, the deciding bodies, the data·inclusion schemas: every layer reads its
bundled files from here, and only this module knows where that is (see
``data/DATA_SOURCES.md`` for what each file is and where it comes from).
"""

from __future__ import annotations

from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
