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


def test_small_multiples_share_a_scale_and_never_draw_a_hidden_count_to_scale():
    from pimpasa.suppression import suppress_list
    from reporting.dashboard.maps import small_multiple

    cells, _total = suppress_list([0, 3, 10], total=False)
    svg = str(small_multiple("Kapuk", cells, ["Okt", "Nov", "Des"], top=20))
    assert '<rect class="spark__hidden"' in svg and "<title>Nov: &lt; 5</title>" in svg
    assert 'height="17.0"' in svg or 'height="17"' in svg  # 10 of the shared 20: half of 34
    assert ">3<" not in svg and ": 3<" not in svg
