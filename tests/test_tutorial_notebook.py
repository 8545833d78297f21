"""The tutorial notebook (docs/tutorial.ipynb) runs top to bottom in a real Jupyter kernel (nbclient), and its
outputs say what the text promises: an exact instance from a DataFrame, verdicts, a typo'd option refused, the
kernel's re-check, a LaTeX fragment and a format-2 certificate."""
import json
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

NB = Path(__file__).resolve().parent.parent / "docs" / "tutorial.ipynb"


def _text(cell):
    out = []
    for o in cell.get("outputs", []):
        out.append(o.get("text") or o.get("data", {}).get("text/plain", "") if o.get("output_type") != "error"
                   else f"ERROR {o.get('ename')}: {o.get('evalue')}")
    return "\n".join(out)


def test_tutorial_notebook_executes(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    nb = nbformat.read(NB, as_version=4)
    nbclient.NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    code = [c for c in nb.cells if c.cell_type == "code"]
    texts = [_text(c) for c in code]
    assert not any(t.startswith("ERROR") for t in texts)
    joined = "\n".join(texts)
    assert "Instance(" in joined and "sizes=(4, 6, 5)" in joined              # the DataFrame became 3 exact classes
    assert "InputError: unknown option 'sed'" in joined                      # a typo is refused
    assert "certificate(s) valid" in joined and "deep.thm2.3 on instance sha256" in joined
    assert "exactmin LaTeX fragment" in joined
    assert "'exactmin-certificate/2'" in joined
    html = [o for c in code for o in c.get("outputs", []) if "text/html" in o.get("data", {})]
    assert html, "a Certificate or DataFrame shows as HTML in Jupyter"


def test_tutorial_is_committed_without_outputs():
    """The committed notebook has no stale outputs: what a reader sees is what the test suite produced."""
    nb = json.loads(NB.read_text())
    assert all(not c.get("outputs") for c in nb["cells"] if c["cell_type"] == "code")
