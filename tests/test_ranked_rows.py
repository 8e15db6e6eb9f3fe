"""Gold rows compared as a ranking: ties on every number may come in any order, nothing else may move."""
import pytest

from blind_fixture import same_ranked_rows

TIED = [["SB-118", 4800.0], ["CO-115", 3675.0], ["DC-119", 3675.0], ["CO-111", 3600.0]]


@pytest.mark.parametrize(("got", "same"), [
    (TIED, True),
    ([["SB-118", 4800.0], ["DC-119", 3675.0], ["CO-115", 3675.0], ["CO-111", 3600.0]], True),  # a tie swapped
    ([["SB-118", 4800.0], ["DC-119", 3675.0000001], ["CO-115", 3675.0], ["CO-111", 3600.0]], True),  # rounding
    ([["SB-118", 4800.0], ["DC-119", 3675.0004], ["CO-115", 3675.0006], ["CO-111", 3600.0]], True),  # within 1e-3
    ([["CO-115", 3675.0], ["SB-118", 4800.0], ["DC-119", 3675.0], ["CO-111", 3600.0]], False),  # not a tie
    ([["SB-118", 4800.0], ["CO-115", 3675.0], ["XX-999", 3675.0], ["CO-111", 3600.0]], False),  # another row
    ([["SB-118", 4800.0], ["CO-115", 3675.0], ["DC-119", 3675.0]], False),  # a row missing
    ([["SB-118", 4800.0], ["CO-115", 3675.0], ["DC-119", 3670.0], ["CO-111", 3600.0]], False),  # a number
    ([], False),
])
def test_rows_tied_on_their_numbers_may_swap_and_nothing_else(got, same):
    assert same_ranked_rows(got, TIED) is same


def _exact(got: list, want: list) -> bool:
    return got == want


def test_a_set_may_pass_its_own_row_comparison():
    """blind_delivery compares rows under its author's tolerance; a tie still swaps under it, a near number does not."""
    swapped = [["SB-118", 4800.0], ["DC-119", 3675.0], ["CO-115", 3675.0], ["CO-111", 3600.0]]
    assert same_ranked_rows(swapped, TIED, _exact)
    assert not same_ranked_rows([["SB-118", 4800.0004], *TIED[1:]], TIED, _exact)
