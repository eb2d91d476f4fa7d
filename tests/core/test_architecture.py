"""The house stays one-way: no import cycle among the platform's modules (imports inside
functions count too: grimp reads every import statement). The layers themselves are
import-linter's contracts in pyproject.toml, run by `make lint`."""

import grimp

PACKAGES = ("lms", "courses", "quizzes", "media_pipeline", "themes")


def import_cycles(graph) -> list[list[str]]:
    """The groups of modules that import each other, directly or in a ring (Tarjan)."""
    modules = sorted(graph.modules)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                cycles.append(sorted(group))

    for module in modules:
        if module not in index:
            visit(module)
    return cycles


def test_no_module_imports_one_that_imports_it_back():
    cycles = import_cycles(grimp.build_graph(*PACKAGES, cache_dir=None))

    assert cycles == [], "import cycles:\n" + "\n".join(" ↔ ".join(c) for c in cycles)


def test_the_check_finds_a_ring_of_three_modules():
    graph = grimp.ImportGraph()
    for module in ("app.a", "app.b", "app.c"):
        graph.add_module(module)
    graph.add_import(importer="app.a", imported="app.b")
    graph.add_import(importer="app.b", imported="app.c")
    graph.add_import(importer="app.c", imported="app.a")

    assert import_cycles(graph) == [["app.a", "app.b", "app.c"]]
