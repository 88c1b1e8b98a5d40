"""The marketplace language: the order number's first group, else the buyer's most common language."""
import pytest

from claimlens.cases.marketplace import buyer_language, marketplace, store_of


@pytest.mark.parametrize("order_id, store", [
    ("114-8301856-2739412", "US"), ("111-0000000-0000000", "US"), ("250-1234567-1234567", "JP"),
    ("503-1234567-1234567", "JP"), ("028-1234567-1234567", "EU"), ("302-1234567-1234567", "EU"),
    ("406-1234567-1234567", "EU"), ("701-1234567-1234567", None), ("302-123456-1234567", None), ("A1B2", None),
])
def test_store_from_the_order_number(order_id, store):
    assert store_of(order_id) == store


def test_order_number_decides_for_us_and_jp_stores():
    assert marketplace("114-8301856-2739412", ["es", "es"]) == {"store": "US", "language": "en", "from": "order_id"}
    assert marketplace("250-1234567-1234567", ["en"]) == {"store": "JP", "language": "ja", "from": "order_id"}


def test_eu_and_unknown_stores_take_the_buyers_language():
    assert marketplace("302-1234567-1234567", ["fr", "en", "fr"]) == {"store": "EU", "language": "fr",
                                                                      "from": "messages"}
    assert marketplace("ORDER-7", ["it"]) == {"store": None, "language": "it", "from": "messages"}
    assert marketplace("ORDER-7", ["und"]) == {"store": None, "language": None, "from": None}


def test_a_tie_goes_to_the_language_seen_first():
    assert buyer_language(["de", "en", "en", "de"]) == "de"
    assert buyer_language([]) is None
