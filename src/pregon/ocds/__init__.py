"""OCDS toolkit: framework-free reading, validating, merging, packaging and flattening of OCDS 1.1.

Everything here works on plain JSON data (dicts, files, streams) and imports no Django, so it can be
used from the command line (``pregon ocds ...``), benchmarked and tested alone. The publication
layer builds on :func:`compile_release`, :func:`update_compiled_release` and :class:`Validator`.
"""

from pregon.ocds.compile import CompileOptions, CompileStats, compile_stream
from pregon.ocds.errors import InputError, MergeError, OCDSError, SchemaError
from pregon.ocds.flatten import FlattenStats, flatten_csv
from pregon.ocds.flatten_formats import flatten_releases
from pregon.ocds.merge import (
    compile_release,
    sort_releases,
    update_compiled_release,
    update_versioned_release,
    version_releases,
)
from pregon.ocds.package import (
    PackageMetadata,
    make_record,
    record_package,
    release_package,
    write_record_package,
    write_release_package,
)
from pregon.ocds.readers import Reader, open_binary
from pregon.ocds.rules import merge_rules, rules_for
from pregon.ocds.schema import EXTENSION_URLS, load_release_schema, merge_patch
from pregon.ocds.validate import Issue, Validator, validate_stream
from pregon.ocds.versioned import versioned_release_schema

__all__ = [
    "EXTENSION_URLS",
    "CompileOptions",
    "CompileStats",
    "FlattenStats",
    "InputError",
    "Issue",
    "MergeError",
    "OCDSError",
    "PackageMetadata",
    "Reader",
    "SchemaError",
    "Validator",
    "compile_release",
    "compile_stream",
    "flatten_csv",
    "flatten_releases",
    "load_release_schema",
    "make_record",
    "merge_patch",
    "merge_rules",
    "open_binary",
    "record_package",
    "release_package",
    "rules_for",
    "sort_releases",
    "update_compiled_release",
    "update_versioned_release",
    "validate_stream",
    "version_releases",
    "versioned_release_schema",
    "write_record_package",
    "write_release_package",
]
