"""The read-side rule on paths: a reader's own subtree; the issuer and above: everything."""

import pytest

from chidao.domain.scope import may_see_figures, visible_top

SO, KIEN_HAI, HON_TRE, LAI_SON, PHU_QUOC = "/1/", "/1/2/", "/1/2/3/", "/1/2/4/", "/1/5/"


@pytest.mark.parametrize(("reader", "issuer", "top"), [
    (SO, SO, SO), ("/", SO, SO),  # the issuer, the Ministry above it
    (KIEN_HAI, SO, KIEN_HAI), (HON_TRE, SO, HON_TRE), (HON_TRE, KIEN_HAI, HON_TRE),
    (PHU_QUOC, KIEN_HAI, PHU_QUOC),
])
def test_the_top_of_what_a_reader_sees(reader, issuer, top):
    assert visible_top(reader, issuer) == top


def test_a_school_sees_itself_not_its_sibling_nor_its_commune():
    assert may_see_figures(HON_TRE, KIEN_HAI, HON_TRE)
    assert not may_see_figures(HON_TRE, KIEN_HAI, LAI_SON)
    assert not may_see_figures(HON_TRE, SO, KIEN_HAI)
    assert may_see_figures(KIEN_HAI, SO, LAI_SON)
    assert not may_see_figures(KIEN_HAI, SO, PHU_QUOC)
    assert may_see_figures(SO, SO, PHU_QUOC)


def test_paths_are_compared_whole_segments():
    """/1/2/ is not above /1/23/."""
    assert not may_see_figures("/1/2/", "/1/", "/1/23/")
