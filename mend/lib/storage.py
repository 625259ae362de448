"""Static files storage for production."""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):  # type: ignore[misc]
    """Hashed, compressed static files, with ES module imports rewritten too.

    Without import aggregation, `import "./sodium.js"` inside a hashed module would load
    the unhashed file, so a deploy could mix old and new modules in one page.
    """

    support_js_module_import_aggregation = True
    # Each pass rewrites imports with the hashes known so far, deepest folders first: a
    # module that imports one processed later in the pass (dialogue/ -> lib/, api.js ->
    # keystore.js) learns its hash a pass later. Django's 5 passes no longer reach the end
    # of the dialogue pages' import chains; they converge well within 10.
    max_post_process_passes = 10
