"""The wheel installs one import name, ``infointerview``, with its templates, question bank and
migrations inside: nothing generic such as ``core`` or ``bot`` lands in site-packages."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_wheel_ships_one_package_with_its_data(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps",
                    "-q", "-w", str(tmp_path), str(ROOT)], check=True, timeout=300,
                   capture_output=True)
    [wheel] = tmp_path.glob("infointerview-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert {name.split("/")[0] for name in names} == {
        "infointerview", wheel.name.removesuffix("-py3-none-any.whl") + ".dist-info"}
    assert "infointerview/core/data/questions.toml" in names
    assert "infointerview/core/templates/pipeline/help.j2" in names
    web = "infointerview/adapters/web/"  # the pages' templates, CSS, JS and its licence
    for shipped in ("templates/cohort.html", "static/site.css", "static/network.js",
                    "static/vendor/cytoscape-3.34.4/cytoscape.min.js",
                    "static/vendor/cytoscape-3.34.4/LICENSE"):
        assert web + shipped in names
    assert any(name.startswith("infointerview/core/store/migrations/versions/0001")
               for name in names)
    entry = zipfile.ZipFile(wheel).read(
        wheel.name.removesuffix("-py3-none-any.whl") + ".dist-info/entry_points.txt").decode()
    assert "infointerview = infointerview.bot.cli:main" in entry
