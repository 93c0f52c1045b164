"""The API applies the same scope rule as the admin: every list and detail, asked by staff of
another department, shows none of D1's rows and answers D1's pages as not found."""

import pytest

# Lists: (path, how to read the case numbers out of the answer)
LISTS = {
    "cases": ("/api/hall/cases", {}, lambda body: [c["case_no"] for c in body["items"]]),
    "refusals": ("/api/hall/refusals", {}, lambda body: [r["case_no"] for r in body]),
    "warnings": ("/api/hall/warnings", {}, lambda body: [w["case_no"] for w in body]),
    "accountability": ("/api/hall/accountability", {"from": "2010-05-01", "to": "2010-05-31"},
                       lambda body: [r["case_no"] for r in body if r["case_no"]]),
}


def case_nos(side) -> set[str]:
    return {side.case.case_no, side.noticed.case_no}


@pytest.mark.parametrize("name", LISTS)
def test_lists_show_only_the_callers_department(world, name):
    hall, mine, theirs = world
    path, params, read = LISTS[name]
    for who, own, other in ((hall.head, mine, theirs), (hall.head2, theirs, mine)):
        response = hall.api(who).get(path, **params)
        assert response.status_code == 200, response.content
        seen = set(read(response.json()))
        assert seen and seen <= case_nos(own)
        assert not seen & case_nos(other)
    everything = set(read(hall.api(hall.supervisor).get(path, **params).json()))
    assert case_nos(mine) & everything and case_nos(theirs) & everything


def test_accountability_records_of_every_kind_stay_in_the_department(world):
    hall, _mine, _theirs = world
    body = hall.api(hall.head2).get("/api/hall/accountability", **{"from": "2010-03-01", "to": "2010-12-31"}).json()
    assert body and {r["department"] for r in body} == {"D2"}


def test_consultations_list_shows_only_the_callers_department(world):
    hall, mine, theirs = world
    ids = [c["id"] for c in hall.api(hall.head2).get("/api/hall/consultations").json()]
    assert ids == [theirs.consultation.pk]


def detail_paths(side) -> list[str]:
    no = side.noticed.case_no
    return [
        f"/api/hall/cases/{side.case.case_no}",
        f"/api/hall/cases/{no}/missing-materials",
        f"/api/hall/cases/{no}/notices",
        f"/api/hall/cases/{no}/notices/{side.notice.seq}",
        f"/api/hall/cases/{no}/notices/{side.notice.seq}/print",
        f"/api/hall/cases/{no}/refusals",
        f"/api/hall/consultations/{side.consultation.pk}",
    ]


def test_details_of_another_department_are_not_found(world):
    hall, mine, theirs = world
    for path in detail_paths(mine):
        assert hall.api(hall.head).get(path).status_code == 200, path
        response = hall.api(hall.head2).get(path)
        assert response.status_code == 404, path
        assert mine.case.case_no not in response.content.decode()
    for path in detail_paths(theirs):
        assert hall.api(hall.head2).get(path).status_code == 200, path
