"""The README documents every registered claim, its readings and its certificate value names."""
from pathlib import Path

from exactmin.claims import base

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_lists_claims_and_value_names():
    text = README.read_text()
    reg = base.load_all()
    assert reg
    for c in reg.values():
        section = text.split(f"### `{c.id}`", 1)
        assert len(section) == 2, f"README lacks a section for {c.id}"
        body = section[1].split("\n### ", 1)[0]
        for v, _ in c.values:
            assert f"`{v}`" in body, f"README section of {c.id} lacks value {v}"
        for r, _ in c.readings:
            assert f"`{r}`" in body, f"README section of {c.id} lacks reading {r}"


def test_readme_starts_with_the_two_setup_commands():
    lines = README.read_text().splitlines()
    block = "\n".join(lines[:6])
    assert "exactmin prove" in block and "pytest" in block and "pip install" in block
