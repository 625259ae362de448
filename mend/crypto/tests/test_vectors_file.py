from __future__ import annotations

import importlib.util
from types import ModuleType

from mend.crypto.tests.vectors import PROJECT


def load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("generate_vectors", PROJECT / "generate.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_it_regenerates_exactly_the_committed_vectors() -> None:
    generator = load_generator()
    built = generator.build()
    committed = sorted(p.name for p in PROJECT.glob("*.json"))
    assert sorted(built) == committed
    for name, data in built.items():
        assert generator.render(data) == (PROJECT / name).read_text(encoding="utf-8"), name
