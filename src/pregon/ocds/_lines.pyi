from array import array
from collections.abc import Callable

def index_lines(
    chunk: bytes,
    base: int,
    end: int,
    bits: int,
    indexes: list[array[int]],
    hash_of: Callable[[bytes], int],
) -> tuple[int, int, bool]: ...
