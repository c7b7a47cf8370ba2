"""The tables the seeds produce, pinned: a change of structure must leave every one byte-identical.

``tests/data/seed_tables.sha256`` holds the SHA-256 of each table's CSV as
``analyze`` writes it on ``seeds/`` (CSV rather than Parquet: Parquet files
carry the writer's version). A change that is meant to change a table
updates the file, in the same commit, with
``python tests/test_seed_tables.py --write``, and says why.
"""

import hashlib
import sys
import tempfile
from pathlib import Path

HASHES = Path(__file__).parent / "data" / "seed_tables.sha256"


def seed_table_hashes() -> dict[str, str]:
    from analysis import analyze
    from analysis.config import SEEDS_DIR
    from analysis.run.tables import write_tables

    with tempfile.TemporaryDirectory() as out:
        write_tables(analyze(SEEDS_DIR, cache=False), out)
        return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted((Path(out) / "tables").glob("*.csv"))}


def test_every_seed_table_is_byte_identical_to_the_pinned_one():
    pinned = dict(line.split()[::-1] for line in HASHES.read_text(encoding="utf-8").splitlines() if line.strip())
    now = seed_table_hashes()
    assert sorted(now) == sorted(pinned)
    changed = sorted(name for name in now if now[name] != pinned[name])
    assert not changed, f"seed tables changed: {changed} (python tests/test_seed_tables.py --write if intended)"


if __name__ == "__main__" and "--write" in sys.argv:
    HASHES.write_text("".join(f"{h}  {name}\n" for name, h in seed_table_hashes().items()), encoding="utf-8")
