"""Small counts of tips are hidden, and no shown total gives one back by subtraction
(pimpasa/suppression.py)."""

import itertools

import pytest

from pimpasa.suppression import COMPLEMENT, SHOWN, SMALL, suppress, suppress_list, suppress_table


def states(table):
    return [[cell.state for cell in row] for row in table.cells]


def assert_no_line_gives_back_a_small_count(table):
    """Every row and column whose total is shown hides none of its parts or at least two, and so do
    the totals row and the totals column against the grand total."""
    lines = [(row, total) for row, total in zip(table.cells, table.row_totals or [], strict=False)]
    columns = [list(column) for column in zip(*table.cells, strict=True)] if table.cells else []
    lines += list(zip(columns, table.column_totals or [], strict=False))
    if table.row_totals:
        lines.append((table.row_totals, table.grand_total))
    if table.column_totals:
        lines.append((table.column_totals, table.grand_total))
    for parts, total in lines:
        if not total.hidden:
            assert sum(part.hidden for part in parts) != 1, (parts, total)


def test_counts_from_one_to_four_are_shown_as_less_than_five_and_zero_is_shown():
    cells, total = suppress_list([0, 1, 4, 5, 12], total=False)
    assert [cell.text for cell in cells] == ["0", "< 5", "< 5", "5", "12"]
    assert total is None


def test_the_threshold_is_a_setting(settings):
    settings.PIMPASA_SMALL_COUNT_THRESHOLD = 10
    cells, _total = suppress_list([9, 10], total=False)
    assert [cell.text for cell in cells] == ["< 10", "10"]


def test_a_single_small_cell_in_a_row_hides_the_next_smallest_too():
    table = suppress_table([[3, 9, 7, 0]], column_totals=False)
    # 3 + 9 + 7 = 19 shown: without a second cell hidden, 19 - 9 - 7 = 3.
    assert states(table) == [[SMALL, SHOWN, COMPLEMENT, SHOWN]]
    assert table.row_totals[0].text == "19"
    assert [cell.text for cell in table.cells[0]] == ["< 5", "9", "*", "0"]
    assert_no_line_gives_back_a_small_count(table)


def test_a_row_whose_other_cells_are_zero_hides_its_total():
    table = suppress_table([[3, 0, 0], [8, 6, 7]])
    assert table.row_totals[0].hidden  # 3: itself a small count
    assert_no_line_gives_back_a_small_count(table)


def test_column_totals_cannot_give_back_a_small_cell():
    table = suppress_table([[2], [10], [6]], row_totals=False)
    assert [row[0].state for row in table.cells] == [SMALL, SHOWN, COMPLEMENT]
    assert table.column_totals[0].text == "18"
    assert_no_line_gives_back_a_small_count(table)


def test_row_and_column_totals_together_take_more_than_one_round():
    counts = [[1, 20, 30], [40, 50, 60], [70, 80, 90]]
    table = suppress_table(counts)
    # The 1 hides 20 (its row) and 40 (its column); 20 opens its column, 40 its row: hidden again there.
    assert_no_line_gives_back_a_small_count(table)
    assert table.grand_total.text == "441"
    hidden = sum(cell.hidden for row in table.cells for cell in row)
    assert hidden >= 4


def test_a_hidden_row_total_is_protected_in_the_totals_column():
    # Row 0's total is 3: small. The grand total is shown, so another row total must be hidden too.
    table = suppress_table([[1, 2], [10, 10], [20, 30]])
    assert table.row_totals[0].state == SMALL
    assert sum(total.hidden for total in table.row_totals) >= 2 or table.grand_total.hidden
    assert_no_line_gives_back_a_small_count(table)


def test_two_small_cells_in_a_row_need_no_complement():
    table = suppress_table([[2, 3, 40]], column_totals=False)
    assert states(table) == [[SMALL, SMALL, SHOWN]]


def test_a_complement_is_never_a_zero_and_never_a_small_count():
    table = suppress_table([[4, 0, 0, 6, 50], [0, 0, 0, 7, 8]])
    for row in table.cells:
        for cell in row:
            if cell.state == COMPLEMENT:
                assert cell.value >= 5


@pytest.mark.parametrize("seed", range(40))
def test_no_shown_total_gives_back_a_small_count_in_any_table(seed):
    """Tables of every shape with small counts here and there: every line holds."""
    rows, columns = 1 + seed % 4, 1 + (seed // 4) % 5
    values = itertools.cycle([0, 1, 7, 3, 0, 12, 5, 2, 30, 4, 9, 0, 6])
    values = itertools.islice(values, seed, None)
    counts = [[next(values) for _c in range(columns)] for _r in range(rows)]
    table = suppress_table(counts)
    assert_no_line_gives_back_a_small_count(table)
    shown = [cell for row in table.cells for cell in row]
    shown += [*table.row_totals, *table.column_totals, table.grand_total]
    assert not [cell for cell in shown if not cell.hidden and 0 < cell.value < 5]


def test_lines_of_any_shape_two_breakdowns_of_one_total():
    # The monthly report: a row's tips split by category and by status, both summing to its total.
    values = {"cat_a": 3, "cat_b": 9, "st_x": 6, "st_y": 6, "total": 12}
    shown = suppress(values, [(["cat_a", "cat_b"], "total"), (["st_x", "st_y"], "total")])
    assert shown["cat_a"].state == SMALL and shown["cat_b"].state == COMPLEMENT
    assert not shown["st_x"].hidden and shown["total"].text == "12"


def test_a_hidden_total_hides_one_of_its_parts_too():
    # Column 0's total (2) is small; the totals row then hides column 1's total (20) as well, and its
    # parts 10 + 10 would give 20 back, then 22 - 20 = 2: one of them is hidden too.
    table = suppress_table([[1, 10], [1, 10]])
    assert table.column_totals[1].hidden
    assert any(row[1].hidden for row in table.cells)
    assert_no_line_gives_back_a_small_count(table)


def test_margins_fixed_by_another_view_are_kept():
    """One area's RWs: the areas' table showed the area's months as 0, *, * and its total 15."""
    table = suppress_table([[0, 6, 9], [0, 0, 0]], margins=([SHOWN, COMPLEMENT, COMPLEMENT], SHOWN))
    # RW 1's 6 and 9 alone would give back the hidden months: both hidden; the total stays shown.
    assert [cell.state for cell in table.column_totals] == [SHOWN, COMPLEMENT, COMPLEMENT]
    assert table.cells[0][1].hidden and table.cells[0][2].hidden
    assert table.grand_total.text == "15"
    assert_no_line_gives_back_a_small_count(table)


def test_a_row_total_hidden_as_a_complement_is_not_given_back_by_its_row():
    # Three offices' tips by category (the monitoring table): 3 in the second row is small; the totals
    # column hides another row total (6) so the grand total cannot give the 3 back; the 6 of that row
    # is then hidden too, else adding up its row would give its total back.
    table = suppress_table([[7, 2, 0], [3, 0, 0], [0, 0, 6]])
    assert table.row_totals[1].state == SMALL
    assert table.row_totals[2].hidden and table.cells[2][2].hidden
    assert_no_line_gives_back_a_small_count(table)
