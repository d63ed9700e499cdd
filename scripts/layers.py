"""Imports only downward: list every import of a later layer (UP) and count function-local imports.

Run from the repository root: python3 scripts/layers.py (exit 1 when an UP line is printed)."""
import ast
import pathlib
import sys

order = ["core","places","accounts","needs","projects","volunteers","pledges","evaluation","dashboards","portal","privacy","admin","api"]
rank = {n:i for i,n in enumerate(order)}
def layer(mod):
    parts = mod.split(".")
    if parts[0] != "coordination" or len(parts) < 2: return None
    return parts[1]
local = 0
up = 0
for p in sorted(pathlib.Path("coordination").rglob("*.py")):
    src = layer(".".join(p.with_suffix("").parts))
    tree = ast.parse(p.read_text())
    funcs = [n for n in ast.walk(tree) if isinstance(n,(ast.FunctionDef,ast.AsyncFunctionDef))]
    inner = set()
    for f in funcs:
        for n in ast.walk(f):
            if isinstance(n,(ast.Import,ast.ImportFrom)): inner.add(id(n))
    for n in ast.walk(tree):
        if isinstance(n, ast.ImportFrom) and n.module:
            mods=[n.module]
        elif isinstance(n, ast.Import):
            mods=[a.name for a in n.names]
        else: continue
        if id(n) in inner and any(m.startswith("coordination") for m in mods): local += 1
        for m in mods:
            dst = layer(m)
            if src in rank and dst in rank and rank[dst] > rank[src]:
                up += 1
                print(f"UP {p}:{n.lineno} {src} -> {m}{' (local)' if id(n) in inner else ''}")
print("function-local coordination imports:", local)
sys.exit(1 if up else 0)
