"""The SMS text: GSM 03.38 characters only, two concatenated messages at most."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from web.presentation.sms import TWO_SMS_SEPTETS, is_gsm, septets, sms_text, to_gsm


def test_french_letters_outside_the_gsm_alphabet_lose_their_accent_only() -> None:
    assert to_gsm("Fête à l'hôpital, ça coûte «5 €»") == 'Fete à l\'hopital, ca coute "5 €"'


def test_extension_characters_count_twice() -> None:
    assert septets("€[") == 4
    assert septets("abc") == 3


def test_optional_parts_are_added_only_while_they_fit() -> None:
    text = sms_text(["RSA : CAF d'Arras."], ["x" * 200, "y" * 200, "Tel 03 21 00 00 00."])
    assert "x" * 200 in text and "y" * 200 not in text and "Tel 03 21" in text
    assert septets(text) <= TWO_SMS_SEPTETS


@given(st.lists(st.text(max_size=400), max_size=4), st.lists(st.text(max_size=200), max_size=4))
def test_any_text_becomes_two_sms_at_most(parts: list[str], optional: list[str]) -> None:
    text = sms_text(parts, optional)
    assert is_gsm(text)
    assert septets(text) <= TWO_SMS_SEPTETS
