"""Jurisdiction resolution and its fallback chain; 非本辖区 goes one level up."""

from __future__ import annotations

from fanzha.event.codes import UnitLevel
from fanzha.warning.routing import Residence, UnitNode, UnitTree, resolve, route_up

L = UnitLevel
TREE = UnitTree(
    [
        UnitNode("C01", "示范市公安局反诈中心", L.CITY, None, ("9900",)),
        UnitNode("B01", "东湖分局", L.BRANCH, "C01", ("9901",)),
        UnitNode("B01S01", "湖滨派出所", L.STATION, "B01", ("990101",)),
        UnitNode("B01S02", "东门派出所", L.STATION, "B01", ("990102",)),
        UnitNode("B01S02C1", "东门花园社区", L.COMMUNITY, "B01S02"),
        UnitNode("B02", "西山分局", L.BRANCH, "C01"),
        UnitNode("B02S01", "山前派出所", L.STATION, "B02", ("990201",)),
    ]
)


def test_registered_station_comes_first() -> None:
    route = resolve(TREE, Residence(unit_id="B02S01", address="示范市湖滨街道3号"))
    assert route is not None
    assert (route.unit_id, route.rule, route.path) == ("B02S01", "registration", ("C01", "B02", "B02S01"))


def test_address_then_area_code_then_id_region_then_city() -> None:
    by_address = resolve(TREE, Residence(address="示范市湖滨街道3号", area_code="990201"))
    assert by_address is not None
    assert (by_address.unit_id, by_address.rule) == ("B01S01", "address")
    community = resolve(TREE, Residence(address="东门花园社区5栋"))
    assert community is not None
    assert community.unit_id == "B01S02C1"
    by_code = resolve(TREE, Residence(address="外地某路", area_code="99020133"))
    assert by_code is not None
    assert (by_code.unit_id, by_code.rule) == ("B02S01", "area_code")
    by_id = resolve(TREE, Residence(id_no="990102199001011234"))
    assert by_id is not None
    assert (by_id.unit_id, by_id.rule) == ("B01S02", "id_region")
    branch_only = resolve(TREE, Residence(id_no="990155199001011234"))
    assert branch_only is not None
    assert branch_only.unit_id == "B01"
    fallback = resolve(TREE, Residence(), fallback="B02")
    assert fallback is not None
    assert (fallback.unit_id, fallback.rule) == ("B02", "fallback")
    city = resolve(TREE, Residence(address="无"))
    assert city is not None
    assert (city.unit_id, city.rule) == ("C01", "city")


def test_a_registered_branch_is_not_a_front_line_unit() -> None:
    route = resolve(TREE, Residence(unit_id="B01", address="山前村"))
    assert route is not None
    assert route.unit_id == "B02S01"


def test_excluded_units_are_skipped() -> None:
    route = resolve(TREE, Residence(unit_id="B01S01", area_code="990101"), exclude=["B01S01"])
    assert route is not None
    assert route.unit_id == "B01"


def test_transfer_goes_one_level_up() -> None:
    assert route_up(TREE, "B01S01") == "B01"
    assert route_up(TREE, "B01") == "C01"
    assert route_up(TREE, "C01") == "C01"
    assert route_up(TREE, None) == "C01"
    assert TREE.subtree("B01") == {"B01", "B01S01", "B01S02", "B01S02C1"}


def test_no_units_no_route() -> None:
    assert resolve(UnitTree([]), Residence(address="x")) is None
