"""The package's shape, checked: stages import downwards, no cycles, no borrowed privates, a true map.

The layers themselves are checked by ``lint-imports`` (``pyproject.toml``);
these tests add what a layers contract does not see, and keep
``ARCHITECTURE.md``'s module list generated from the code
(``python tests/test_architecture.py --write`` rewrites it).
"""

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "analysis"
ARCHITECTURE = ROOT / "ARCHITECTURE.md"
BEGIN, END = "<!-- modules: begin (generated: python tests/test_architecture.py --write) -->", "<!-- modules: end -->"
STAGES = ("load", "measure", "models", "count", "show", "run")


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        name = ".".join(("analysis", *path.relative_to(PACKAGE).with_suffix("").parts)).removesuffix(".__init__")
        found[name] = path
    return found


def imports(path: Path, mods: dict[str, Path]) -> list[tuple[str, str]]:
    """``(module, name)`` of every ``from analysis… import name`` in ``path`` (functions' bodies too)."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("analysis"):
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                out.append((full, "") if full in mods else (node.module, alias.name))
    return out


def test_no_module_imports_a_private_name_of_another():
    mods = modules()
    borrowed = [(name, target, what) for name, path in mods.items() for target, what in imports(path, mods)
                if what.startswith("_") and not what.startswith("__") and target != name]
    assert not borrowed


def test_there_is_no_import_cycle_between_modules():
    mods = modules()
    graph = {name: {target for target, _ in imports(path, mods) if target in mods and target != name}
             for name, path in mods.items()}
    packages = {name for name, path in mods.items() if path.name == "__init__.py"}

    def reaches(start: str, goal: str) -> bool:
        seen, todo = set(), [start]
        while todo:
            node = todo.pop()
            for nxt in graph[node] - packages:  # a package's __init__ re-exports; it is no edge back
                if nxt == goal:
                    return True
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return False

    cycles = sorted((a, b) for a in graph for b in graph[a] - packages if a not in packages and reaches(b, a))
    assert not cycles


def test_every_module_sits_in_a_stage_or_the_ground():
    ground = {"analysis", "analysis.__main__", "analysis.config", "analysis.hashing", "analysis.outputs"}
    stray = [name for name in modules() if name not in ground and name.split(".")[1] not in STAGES]
    assert not stray


def module_list() -> str:
    """One line per module, stage by stage: its path and the first line of its docstring."""
    mods = modules()
    lines = []
    for stage in ("", *STAGES):
        prefix = f"analysis.{stage}" if stage else "analysis"
        # A stage's modules, those of its sub-packages (load/readers/) included.
        members = [n for n in mods if (n.startswith(prefix + ".") if stage else n.count(".") <= 1
                                       and n.split(".")[-1] not in STAGES)]
        lines.append(f"\n**`analysis/{stage + '/' if stage else ''}`**" + (" (the ground)" if not stage else "") + "\n")
        for name in members:
            path = mods[name]
            doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
            first = doc.strip().split("\n")[0] if doc else "(no docstring)"
            lines.append(f"- `{path.relative_to(ROOT).as_posix()}`: {first}")
    return "\n".join(lines).strip("\n")


def test_architecture_md_lists_every_module_as_the_code_has_it():
    text = ARCHITECTURE.read_text(encoding="utf-8")
    listed = text.split(BEGIN, 1)[1].split(END, 1)[0].strip("\n")
    assert listed == module_list(), "ARCHITECTURE.md is stale: python tests/test_architecture.py --write"


if __name__ == "__main__" and "--write" in sys.argv:
    text = ARCHITECTURE.read_text(encoding="utf-8")
    head, rest = text.split(BEGIN, 1)
    ARCHITECTURE.write_text(f"{head}{BEGIN}\n{module_list()}\n{END}{rest.split(END, 1)[1]}", encoding="utf-8")
