"""Every piece of training text that needs a translation, and how a page shows one.

``texts`` is the one extraction: the test that every piece has a Spanish entry, and
``manage.py training_strings`` (which ``make makemessages`` runs so that ``--no-obsolete``
keeps the content's entries in mend/training/locale), both read it. A piece is the exact
English text with paragraph lines joined by single spaces: the catalogue's msgid.
Source titles stay as published and are not translated.

``show`` translates a piece through gettext (the app's catalogue) and renders its inline
markup safely (mend.training.markup); an untranslated piece shows in English.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.safestring import SafeString
from django.utils.translation import gettext

from mend.training import markup
from mend.training.curriculum import Curriculum, Module


def module_texts(module: Module) -> Iterator[str]:
    yield module.title
    yield from module.objectives
    for lesson in module.lessons:
        yield lesson.title
        for block in lesson.blocks:
            if block.kind in ("subheading", "paragraph"):
                yield block.text
            elif block.kind == "list":
                yield from block.items
    for item in module.items.values():
        yield from item.texts()


def texts(curriculum: Curriculum) -> list[str]:
    """Each translatable piece once, in reading order (modules by number, then paths)."""
    found: dict[str, None] = {}
    for module in curriculum.ordered_modules():
        found.update(dict.fromkeys(module_texts(module)))
    for path in curriculum.paths.values():
        found[path.title] = None
    return list(found)


def show(text: str) -> SafeString:
    return markup.render(gettext(text))
