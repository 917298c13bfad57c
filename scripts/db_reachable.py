"""Exit 0 if the database at the given URL accepts a connection, 1 otherwise (used by the Makefile)."""

import sys

import psycopg


def main() -> int:
    """Try one short connection; print nothing, the Makefile says what to do."""
    url = sys.argv[1]
    try:
        with psycopg.connect(url, connect_timeout=3):
            return 0
    except psycopg.Error:
        return 1


if __name__ == "__main__":
    sys.exit(main())
