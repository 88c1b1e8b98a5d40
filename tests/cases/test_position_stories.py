"""Every position rule, positive and negative, on hand-made orders with the seed-trained model, in seven languages."""
import pytest

from claimlens.cases import analyze_case, parse_case
from claimlens.cases.positions import RULES
from tests.cases.stories import (LANGUAGES, WORDS, buyer, case, claim, never_shipped, seed_story, seller,
                                 shipped_anyway)


def _no_delivery_proof(lang, tracked=False):
    return case(lang, [], [claim(WORDS[lang]["claim_lost"])], delivered_at=None,
                **({"tracking_id": "1Z999AA10123456784"} if tracked else {}))


def _reported(lang, answered):
    w = WORDS[lang]
    messages = [buyer("m1", "2026-03-06T10:00:00Z", w["report_parts"])]
    if answered:
        messages.append(seller("m2", "2026-03-06T12:00:00Z", lang))
    return case(lang, messages, [claim(w["claim_parts"])])


def _delivered(lang, delivered_at):
    w = WORDS[lang]
    return case(lang, [buyer("m1", "2026-03-03T10:00:00Z", w["hello"]), seller("m2", "2026-03-03T12:00:00Z", lang)],
                [claim(w["claim_lost"])], delivered_at=delivered_at)


def _refund_after_cancel(lang, answered):
    w = WORDS[lang]
    messages = [buyer("m1", "2026-03-02T20:00:00Z", w["cancel"])]
    if answered:
        messages.append(seller("m2", "2026-03-03T09:00:00Z", lang))
    return case(lang, messages, [claim(w["claim_refund"])])


def _shipped(lang):
    raw = never_shipped(lang)
    raw["order"].update(shipped_at="2026-03-02T08:00:00Z", delivered_at="2026-03-05T14:00:00Z")
    return raw


# (rule, build, expected (position, rule, risk codes)): a positive and a negative story per rule
STORIES = [
    ("not_shipped", never_shipped, ("accept", "not_shipped", ["not_shipped"])),
    ("not_shipped", _shipped, ("contest", "delivered_before_claim", ["shipped_after_cancel_request"])),
    ("no_delivery_proof", _no_delivery_proof, ("accept", "no_delivery_proof", ["no_delivery_proof"])),
    ("no_delivery_proof", lambda l: _no_delivery_proof(l, tracked=True), ("unclear", "undecided", [])),
    ("reported_unanswered", lambda l: _reported(l, answered=False),
     ("accept", "reported_unanswered", ["issue_raised_before_claim", "unanswered_buyer_message"])),
    ("reported_unanswered", lambda l: _reported(l, answered=True),
     ("unclear", "issue_answered", ["issue_raised_before_claim"])),
    ("delivered_before_claim", lambda l: _delivered(l, "2026-03-05T14:00:00Z"), ("contest", "delivered_before_claim", [])),
    ("delivered_before_claim", lambda l: _delivered(l, None), ("accept", "no_delivery_proof", ["no_delivery_proof"])),
    ("reason_not_raised_before", shipped_anyway, ("contest", "reason_not_raised_before", ["shipped_after_cancel_request"])),
    ("reason_not_raised_before", lambda l: shipped_anyway(l, reported_first=True),
     ("unclear", "issue_answered", ["shipped_after_cancel_request", "issue_raised_before_claim"])),
    ("cancel_after_shipment_answered", lambda l: _refund_after_cancel(l, answered=True),
     ("contest", "cancel_after_shipment_answered", [])),
    ("cancel_after_shipment_answered", lambda l: _refund_after_cancel(l, answered=False),
     ("unclear", "no_reason", ["unanswered_buyer_message"])),
]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("rule, build, expected", STORIES,
                         ids=[f"{r}-{'pos' if e[1] == r else 'neg'}" for r, _, e in STORIES])
def test_position_rule_in_every_language(seed_model, lang, rule, build, expected):
    result = analyze_case(seed_model, "seed", parse_case(build(lang)))
    a = result["assessment"]
    assert (a["position"], a["rule"], [r["code"] for r in a["risks"]]) == expected
    en = result["response_draft"]["en"]
    if a["position"] == "accept":
        assert en.endswith("are refunding the order in full.") and "review" not in en
    elif a["position"] == "contest":
        assert en.endswith("We ask that the claim be reviewed in light of these dated facts and the buyer's own words.")
    else:
        assert en.endswith("We are checking the order and will follow up with the facts.")


def test_each_rule_has_a_positive_and_a_negative_story():
    positive = {rule for rule, _, expected in STORIES if expected[1] == rule}
    negative = {rule for rule, _, expected in STORIES if expected[1] != rule}
    decisive = {r for r in RULES if RULES[r] != "unclear"}
    assert positive == negative == decisive
    assert {e[1] for _, _, e in STORIES} == set(RULES)


def test_the_seed_story_is_contest_in_every_language(seed_model):
    for lang in LANGUAGES:
        assert analyze_case(seed_model, "seed", parse_case(seed_story(lang)))["assessment"]["position"] == "contest"
