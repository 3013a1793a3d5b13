"""Layers only point down: the web edge (api, web, cli) on top, the coach and its helpers below it,
engines, knowledge and storage at the bottom; small neutral modules may be imported by anyone."""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "coachbot"
NEUTRAL = 0
LAYERS = {
    # the edge: the app factory, the HTTP API, the pages and the command line
    "__init__": 3, "api": 3, "web": 3, "cli": 3,
    # the coach: answering, coaching flows, operations, and what builds and measures them
    "coach": 2, "coaching": 2, "ops": 2, "services": 2, "evaluation": 2, "scope": 2, "followup": 2,
    # engines, knowledge and storage
    "engines": 1, "knowledge": 1, "db": 1, "models": 1, "history": 1, "migrations": 1,
    # shared types, the error shape, text and language helpers, settings, file reading
    "answers": NEUTRAL, "http": NEUTRAL, "text": NEUTRAL, "language": NEUTRAL, "config": NEUTRAL,
    "errors": NEUTRAL, "yamlfile": NEUTRAL,
}


def part_of(module: str) -> str:
    """'coachbot.coaching.flow' -> 'coaching'; 'coachbot' and names the package itself defines
    (`from . import create_app`) -> '__init__'."""
    parts = module.split(".")
    if len(parts) == 1 or not ((PACKAGE / parts[1]).is_dir() or (PACKAGE / f"{parts[1]}.py").is_file()):
        return "__init__"
    return parts[1]


def runtime_imports(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module) for every coachbot import made when the module runs (not `if TYPE_CHECKING`)."""
    module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    package = module.rsplit(".", 1)[0] if path.name != "__init__.py" else module.removesuffix(".__init__")
    tree = ast.parse(path.read_text(encoding="utf-8"))
    type_only = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If)
                 and "TYPE_CHECKING" in ast.unparse(node.test) for n in ast.walk(node)}
    found = []
    for node in ast.walk(tree):
        if id(node) in type_only:
            continue
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[:len(package.split(".")) - node.level + 1] if node.level else []
            target = ".".join(base + ([node.module] if node.module else []))
            # `from .. import db`: the name imported is the module.
            found += [(node.lineno, f"{target}.{alias.name}" if not node.module else target) for alias in node.names]
    return [(line, name) for line, name in found if name == "coachbot" or name.startswith("coachbot.")]


def modules():
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def test_every_part_of_the_package_has_a_layer():
    unplaced = {part_of(".".join(p.relative_to(PACKAGE.parent).with_suffix("").parts)) for p in modules()} - set(LAYERS)
    assert not unplaced, f"place these in LAYERS: {sorted(unplaced)}"


def test_no_module_imports_from_a_layer_above_it():
    upward = []
    for path in modules():
        here = part_of(".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts))
        for line, name in runtime_imports(path):
            there = part_of(name)
            if there == here:
                continue
            # A neutral module imports only neutral ones; any other module imports its layer or below.
            allowed = LAYERS[there] == NEUTRAL if LAYERS[here] == NEUTRAL else LAYERS[there] <= LAYERS[here]
            if not allowed:
                upward.append(f"{path.relative_to(PACKAGE.parent)}:{line} imports {name}")
    assert not upward, "\n".join(upward)


def test_the_check_sees_relative_imports():
    """The test above would pass on a parser that found nothing: it must see the coach's imports."""
    found = {name for _, name in runtime_imports(PACKAGE / "coach.py")}
    assert {"coachbot.answers", "coachbot.engines.base", "coachbot.scope"} <= found
