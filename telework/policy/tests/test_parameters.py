"""Policy parameters: validation, the city's bounds on overrides, and merging."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from telework.policy.parameters import PRESETS, PolicyParameters, check_within_bounds, merge, validate_values


def test_every_preset_is_valid():
    for preset in PRESETS.values():
        assert validate_values(preset.parameters.as_dict()) == [], preset.key


def test_shares_that_cannot_both_hold_are_refused():
    problems = validate_values({"max_home_share": 0.6, "min_onsite_share": 0.5})
    assert [(problem.name, problem.code) for problem in problems] == [("min_onsite_share", "inconsistent_shares")]


def test_out_of_range_and_wrong_type_are_refused():
    problems = validate_values({"max_home_share": 1.5, "max_home_days_per_week": "two", "required_equipment": ["fax"]})
    assert sorted((problem.name, problem.code) for problem in problems) == [
        ("max_home_days_per_week", "type"),
        ("max_home_share", "range"),
        ("required_equipment", "type"),
    ]


def test_override_may_tighten_but_not_loosen_the_city():
    city = PRESETS["hcmc_pilot"].parameters
    assert check_within_bounds(city, {"max_home_share": 0.2, "min_office_days_per_week": 4, "notice_days": 30}) == []
    problems = check_within_bounds(city, {"max_home_share": 0.5, "max_home_days_per_week": 3, "required_equipment": ["computer"], "notice_days": 1})
    assert sorted((problem.name, problem.code) for problem in problems) == [
        ("max_home_days_per_week", "exceeds_city_bound"),
        ("max_home_share", "exceeds_city_bound"),
        ("notice_days", "below_city_bound"),
        ("required_equipment", "drops_city_item"),
    ]


def test_override_cannot_touch_the_switches():
    problems = check_within_bounds(PolicyParameters(), {"telework_suspended": False, "citizen_reception_suspended": True})
    assert {problem.code for problem in problems} == {"switch_only"}


def test_merge_clamps_an_older_override_to_a_tightened_city():
    city = PRESETS["hcmc_pilot"].parameters.with_changes({"max_home_share": 0.1, "min_onsite_share": 0.9})
    merged = merge(city, {"max_home_share": 0.2}, {"max_home_days_per_week": 1})
    assert merged.max_home_share == 0.1
    assert merged.max_home_days_per_week == 1


@given(
    city_share=st.floats(min_value=0, max_value=1),
    override_share=st.floats(min_value=0, max_value=1),
    city_days=st.one_of(st.none(), st.integers(min_value=0, max_value=5)),
    override_days=st.one_of(st.none(), st.integers(min_value=0, max_value=5)),
)
def test_merged_policy_is_never_looser_than_the_city(city_share, override_share, city_days, override_days):
    city = PolicyParameters(max_home_share=city_share, min_onsite_share=0.0, max_home_days_per_week=city_days)
    merged = merge(city, {"max_home_share": override_share, "max_home_days_per_week": override_days})
    assert merged.max_home_share <= city_share
    if city_days is not None:
        assert merged.max_home_days_per_week is not None
        assert merged.max_home_days_per_week <= city_days
