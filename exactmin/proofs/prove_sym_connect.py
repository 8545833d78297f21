"""sym.connect — digest §2.3, §4, Fig. 4: r*! isolated minima at m = r*, one connected manifold at m = r* + 1,
and an exact path between two permuted minima.

Hand counts: at m = r*: r*! nodes, no edges.  At m = r* + 1: T = (r*+2)!/2 nodes; the (r*+1) r*! blue subspaces
each meet exactly r* green ones, so edges = (r*+1) r*! r*  (2, 12, 72, 480 for r* = 1..4); for r* = 2 the graph
is one 12-cycle.  Paths: Fig. 4(a) has 3 segments (r* = 1); a transposition through the buffer takes the 6
segments of digest §4 plus one that returns the buffer's incoming vector, 7 in all.  T(2, 4) = 62 (digest table).
"""
from exactmin.prove import Case, main, pytest_cases


def v(iso, nodes, edges, segs):
    return {"nodes_isolated": str(iso), "edges_isolated": "0", "components_isolated": str(iso), "nodes": str(nodes),
            "edges": str(edges), "components": "1", "path_segments": str(segs)}


CASES = [
    Case("sym.connect", None, "proved", values=v(1, 3, 2, 3), options={"r": 1}, label="Fig. 4(a) r*=1"),
    Case("sym.connect", None, "proved", values=v(2, 12, 12, 7), options={"r": 2}, label="r*=2"),
    Case("sym.connect", None, "proved", values=v(6, 60, 72, 7), options={"r": 3}, label="r*=3"),
    Case("sym.connect", None, "proved", values=v(24, 360, 480, 7), options={"r": 4}, label="r*=4"),
    Case("sym.connect", None, "proved", values={"nodes": "62", "components": "1"}, options={"r": 2, "m": 4},
         label="m=r*+2"),
]


test_sym_connect = pytest_cases(CASES)   # one pytest test per case


if __name__ == "__main__":
    raise SystemExit(main(CASES))
