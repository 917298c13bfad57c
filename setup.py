"""Build the compiled kernels of the OCDS toolkit; everything else is in pyproject.toml.

The kernels (``src/pregon/**/*.pyx``) are Cython. An editable install (``uv sync``, which
``make install`` runs) builds them next to their sources; ``uv sync`` rebuilds them when a ``.pyx``
file changes (``tool.uv.cache-keys``).
"""

from Cython.Build import cythonize
from setuptools import Extension, setup

KERNELS = ["pregon.ocds._merge", "pregon.ocds._flatten", "pregon.ocds._lines"]

setup(
    ext_modules=cythonize(
        [
            Extension(name, [f"src/{name.replace('.', '/')}.pyx"], extra_compile_args=["-O2"])
            for name in KERNELS
        ],
        build_dir="build/cython",
        force=True,  # regenerate the C whenever setuptools builds (uv only builds on a change)
        compiler_directives={"language_level": 3},
    )
)
