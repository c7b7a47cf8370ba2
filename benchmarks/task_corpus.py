"""Write a corpus folder (one .txt per article and articles.csv) from an evaluation task file.

Used to try the package as a new user would, on real articles it was not written for, e.g. the
narrative-framing set (214 climate articles from 33 outlets, MIT):

    python benchmarks/task_corpus.py tasks/frames/narrative_dev.jsonl /tmp/narrative
    python -m analysis suggest-actors /tmp/narrative --out /tmp/narrative_actors.csv
    python -m analysis run /tmp/narrative --actors /tmp/narrative_actors.csv --group-by bias --out /tmp/narrative_out

Keys read: ``id``, ``text``, ``outlet``, ``date``, ``title`` and ``bias`` or ``bias_label`` when present; an
article-tone file (one line per article and target) gives each article once.
"""

from __future__ import annotations

import csv
import hashlib
import json
import sys
from pathlib import Path


def main(task: str, folder: str) -> int:
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    seen = set()
    with open(task, encoding="utf-8") as fh, open(out / "articles.csv", "w", newline="", encoding="utf-8") as man:
        writer = csv.writer(man)
        writer.writerow(["file", "outlet", "title", "date", "bias"])
        for line in fh:
            if not line.strip():
                continue
            item = json.loads(line)
            key = str(item.get("article") or item["id"])
            if key in seen:
                continue
            seen.add(key)
            name = hashlib.sha1(key.encode()).hexdigest()[:12] + ".txt"
            title = item.get("title") or ""
            text = item.get("text") or " ".join(s["text"] for s in item.get("sentences", []))
            (out / name).write_text((title + "\n\n" if title else "") + text + "\n", encoding="utf-8")
            writer.writerow([name, item.get("outlet") or "", title, item.get("date") or "",
                             item.get("bias") or item.get("bias_label") or ""])
    print(f"{len(seen)} articles written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]) if len(sys.argv) == 3 else print(__doc__) or 2)
