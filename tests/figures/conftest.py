import pytest

from tests.figures.world import FiguresWorld, build


@pytest.fixture
def world(db: None) -> FiguresWorld:
    return build()
