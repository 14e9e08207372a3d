"""bench/RESULTS.md holds one marked section per benchmark; each run rewrites only its own."""

from __future__ import annotations

import re
from pathlib import Path


def write_section(path: Path, name: str, markdown: str) -> None:
    """Replace the ``<!-- name:start -->`` … ``<!-- name:end -->`` section of ``path``, or append
    it; nothing else in the file moves."""
    begin, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    old = path.read_text() if path.exists() else ""
    block = f"{begin}\n{markdown.rstrip()}\n{end}\n"
    pattern = re.compile(re.escape(begin) + ".*?" + re.escape(end) + "\n?", re.S)
    new = pattern.sub(lambda _: block, old, count=1) if pattern.search(old) else \
        (old.rstrip("\n") + "\n\n" if old else "") + block
    path.write_text(new)


def publish(markdown: str, path: Path | None, name: str) -> None:
    """Print a benchmark's report and, given ``--write``, put it in its section of ``path``."""
    print(markdown)
    if path:
        write_section(path, name, markdown)
        print(f"wrote {path}")
