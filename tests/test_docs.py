"""The docs document every registered claim, its readings and its certificate value names."""
from pathlib import Path

from exactmin.claims import base

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"


def test_claim_pages_list_claims_readings_and_value_names():
    reg = base.load_all()
    assert reg
    for c in reg.values():
        page = ROOT / "docs" / "claims" / f"{c.paper}.md"
        assert page.is_file(), f"no docs page for paper {c.paper}"
        assert f"docs/claims/{c.paper}.md" in README.read_text(), f"README does not link {page.name}"
        section = page.read_text().split(f"## `{c.id}`", 1)
        assert len(section) == 2, f"{page.name} lacks a section for {c.id}"
        body = section[1].split("\n## ", 1)[0]
        for v, _ in c.values:
            assert f"`{v}`" in body, f"{page.name} section of {c.id} lacks value {v}"
        for r, _ in c.readings:
            assert f"`{r}`" in body, f"{page.name} section of {c.id} lacks reading {r}"
        for o, _, _ in c.options:
            assert f"`{o}`" in body, f"{page.name} section of {c.id} lacks option {o}"


def test_readme_starts_with_the_two_setup_commands():
    lines = README.read_text().splitlines()
    block = "\n".join(lines[:6])
    assert "exactmin prove" in block and "pytest" in block and "pip install" in block


def test_kernel_trusted_base_table_is_generated():
    """docs/kernel.md's per-claim trusted-base table is the output of scripts/trusted_base.py (no hand-kept counts)."""
    import importlib.util
    spec = importlib.util.spec_from_file_location("trusted_base", ROOT / "scripts" / "trusted_base.py")
    tb = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tb)
    assert tb.markdown() in (ROOT / "docs" / "kernel.md").read_text(), "run: python scripts/trusted_base.py --write"
    rows = {c: n for c, n, _ in tb.table()}
    assert rows["`deep.thm2.3` (L=Q, L>Q: forward pass)"] < 350 <= rows["`deep.thm2.3` (all readings)"]
    assert rows["`deep.thm2.3` (L=Q, L>Q: forward pass)"] < rows["`deep.thm2.3` (L=Q, L>Q: (2.59) route)"]
