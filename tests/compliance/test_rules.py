"""The pure advertising-rule matcher: no database, plain rules and plain text."""

import pytest

from vial.compliance.rules import (
    InvalidPattern,
    MatchType,
    Rule,
    find_risky_phrases,
    unique_findings,
    validate_pattern,
)

BRAND = Rule("Botox", "brand name", 'say "a prescription-only medicine"', MatchType.WORD)
LOOKALIKE = Rule("baby botox", "look-alike", 'say "a light anti-wrinkle treatment"', MatchType.WORD)
HASHTAG = Rule("botox", "hashtag", "remove the hashtag", MatchType.HASHTAG)
INDIRECT = Rule("wrinkle-relaxing injection", "indirect term", 'say "anti-wrinkle treatment"', MatchType.WORD)
TOXIN_PRICE = Rule("toxin", "toxin beside a price", "price the consultation", MatchType.NEAR_PRICE)
PROM = Rule("prom", "under-18s", "write for adults", MatchType.WORD)
SIXTH_FORM = Rule("sixth form", "under-18s", "write for adults", MatchType.WORD)
RULES = [BRAND, LOOKALIKE, HASHTAG, INDIRECT, TOXIN_PRICE, PROM, SIXTH_FORM]


def phrases(text, rules=RULES):
    return [(f.phrase, f.kind) for f in find_risky_phrases(text, rules)]


@pytest.mark.parametrize("text", ["We use Botox.", "BOTOX works", "botox®", "Is botox's effect lasting?"])
def test_a_brand_is_found_in_any_case_as_written(text):
    found = find_risky_phrases(text, [BRAND])
    assert len(found) == 1
    assert found[0].phrase.lower() == "botox"
    assert found[0].phrase in text


def test_a_brand_inside_another_word_is_not_a_finding():
    assert phrases("Botoxin and unbotoxed are not words we use.", [BRAND]) == []


def test_finding_carries_suggestion_context_and_message():
    text = "After a careful assessment, your prescriber may suggest Botox for the lines between your brows, or not."
    [finding] = find_risky_phrases(text, [BRAND])
    assert finding.suggestion == 'say "a prescription-only medicine"'
    assert "Botox" in finding.context and finding.context.startswith("…") and finding.context.endswith("…")
    assert len(finding.context) < len(text)
    assert text[finding.start : finding.end] == "Botox"
    assert finding.message == 'Risky phrase "Botox" (brand name): say "a prescription-only medicine"'


@pytest.mark.parametrize("text", ["Try baby botox!", "Baby-Botox for beginners", "baby  botox", "BABY BOTOX"])
def test_a_look_alike_is_reported_once_not_as_the_brand_inside_it(text):
    assert [kind for _, kind in phrases(text)] == ["look-alike"]


def test_phrases_match_loosely_across_hyphens_spaces_and_plurals():
    for text in ["wrinkle-relaxing injections", "Wrinkle relaxing injection", "wrinkle–relaxing injections"]:
        assert phrases(text) == [(text, "indirect term")]
    assert phrases("wrinkle-relaxing") == []


@pytest.mark.parametrize("text", ["#botox", "Results! #Botox", "#botoxbeforeandafter", "(#BOTOX)"])
def test_hashtags_are_found_whole(text):
    found = find_risky_phrases(text, [HASHTAG])
    assert len(found) == 1 and found[0].phrase.lower().startswith("#botox")
    assert found[0].phrase == text.strip("()").split()[-1]


def test_a_hashtag_rule_ignores_the_bare_word_and_other_tags():
    assert phrases("botox and #frownlines and ##notatag", [HASHTAG]) == []


def test_a_hashtag_wins_over_the_brand_word_inside_it():
    assert phrases("#botox") == [("#botox", "hashtag")]


@pytest.mark.parametrize("price", ["£150", "£ 150", "£1,200", "£99.99", "150 pounds", "75 GBP", "GBP 75", "€200"])
def test_near_price_fires_for_any_way_of_writing_a_price(price):
    assert phrases(f"Botulinum toxin treatment {price}", [TOXIN_PRICE]) == [("toxin", "toxin beside a price")]
    assert phrases(f"{price} buys toxin", [TOXIN_PRICE]) == [("toxin", "toxin beside a price")]


def test_near_price_depends_on_distance():
    near = "toxin" + " " * 55 + "£150"
    far = "toxin" + " " * 70 + "£150"
    far_before = "£150" + "." * 70 + "toxin"
    assert phrases(near, [TOXIN_PRICE]) == [("toxin", "toxin beside a price")]
    assert phrases(far, [TOXIN_PRICE]) == []
    assert phrases(far_before, [TOXIN_PRICE]) == []


def test_near_price_needs_a_price_not_just_a_number():
    assert phrases("Toxin takes 14 days to work; 3 areas; 2024", [TOXIN_PRICE]) == []


@pytest.mark.parametrize(
    "text", ["Prom season glow-up", "Ready for prom?", "Sixth-form students", "all sixth forms", "our proms"]
)
def test_content_aimed_at_under_18s_is_found(text):
    assert [kind for _, kind in phrases(text)] == ["under-18s"]


@pytest.mark.parametrize("text", ["We promote consultations", "a promise", "Dr Hart went to medical school", "form"])
def test_under_18_words_do_not_fire_inside_other_words(text):
    assert phrases(text) == []


def test_ordinary_clinical_text_has_no_findings():
    text = (
        "A consultation for frown lines. If it suits you, your prescriber may recommend a prescription-only "
        "medicine after assessing you in person. Consultation £50. Dr Hart trained at medical school in Bristol."
    )
    assert phrases(text) == []


def test_regex_rules_match_any_case():
    rule = Rule(r"b[o0]t[o0]x\s+part(y|ies)", "look-alike", "don't", MatchType.REGEX)
    assert phrases("Book a B0TOX party now", [rule]) == [("B0TOX party", "look-alike")]


def test_an_invalid_regex_is_skipped_never_fatal():
    broken = Rule("botox(", "other", "-", MatchType.REGEX)
    assert phrases("a(b and Botox", [broken, BRAND]) == [("Botox", "brand name")]


@pytest.mark.parametrize(
    ("pattern", "match_type"),
    [
        ("botox(", MatchType.REGEX),
        ("[a-", MatchType.REGEX),
        ("x*", MatchType.REGEX),  # matches empty text, so it would flag everything
        ("", MatchType.WORD),
        ("---", MatchType.WORD),
        ("#", MatchType.HASHTAG),
        ("botox", "sounds-like"),
        ("a" * 501, MatchType.WORD),
    ],
)
def test_unusable_patterns_are_rejected_with_a_reason(pattern, match_type):
    with pytest.raises(InvalidPattern) as error:
        validate_pattern(pattern, match_type)
    assert str(error.value)


def test_findings_come_in_reading_order_and_unique_findings_keeps_the_first():
    text = "Botox here, #botox there, and Botox again."
    found = find_risky_phrases(text, RULES)
    assert [f.phrase for f in found] == ["Botox", "#botox", "Botox"]
    assert [f.phrase for f in unique_findings(found)] == ["Botox", "#botox"]


def test_empty_text_and_no_rules_find_nothing():
    assert find_risky_phrases("", RULES) == []
    assert find_risky_phrases("Botox", []) == []
