"""Static files storage for production."""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):  # type: ignore[misc]
    """Hashed, compressed static files, with ES module imports rewritten too.

    Without import aggregation, `import "./sodium.js"` inside a hashed module would load
    the unhashed file, so a deploy could mix old and new modules in one page.
    """

    support_js_module_import_aggregation = True
    # Each pass settles one more level of imports: a dialogue page's script imports
    # case.js, which imports case-core.js, then crypto modules down to sodium.js, deeper
    # than Django's default five passes ("Max post-process passes exceeded").
    max_post_process_passes = 12
