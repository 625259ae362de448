"""Open Referral HSDS 3.1 import and export for the support directory.

Human Services Data Specification: an Open Referral resource (https://openreferral.org/),
CC BY-SA 4.0. The table and field names in ``spec`` follow it.

Modules: ``spec`` (tables, fields, JSON nesting), ``profile`` (Mend's extension fields),
``problems`` (the report), ``coerce`` (field values), ``reading`` (JSON, tabular JSON and
CSV data packages into flat records), ``checking`` (validation and references),
``writing`` (bulk upserts), ``exporting`` (public or private JSON and CSV).
This package imports no models at import time except through ``spec``.
"""
