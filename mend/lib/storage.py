"""Static files storage for production."""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):  # type: ignore[misc]
    """Hashed, compressed static files, with ES module imports rewritten too.

    Without import aggregation, `import "./sodium.js"` inside a hashed module would load
    the unhashed file, so a deploy could mix old and new modules in one page.
    """

    support_js_module_import_aggregation = True
    # A module's hash covers the hashed names it imports, so each level of imports takes one
    # pass: a dialogue page (page script → case.js → case-core.js → crypto/dialogue.js →
    # endorsement.js → …) is deeper than Django's default of 5.
    max_post_process_passes = 12
