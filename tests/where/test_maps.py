"""The pictures' shades: each shown count falls in the legend's range for its shade."""

import pytest

from pimpasa.suppression import SMALL, Shown
from reporting.dashboard.maps import legend, level


@pytest.mark.parametrize("top", [1, 2, 3, 4, 5, 11, 100, 1234])
def test_every_count_is_shaded_as_the_legend_says(top):
    ranges = dict(legend(top))
    for value in range(1, top + 1):
        low, _dash, high = ranges[level(Shown(value), top)].partition("–")
        assert int(low) <= value <= int(high or low)


def test_a_hidden_count_is_never_shaded_by_its_value():
    assert level(Shown(3, SMALL), 10) == "hidden"
    assert level(Shown(0), 10) == "0"
