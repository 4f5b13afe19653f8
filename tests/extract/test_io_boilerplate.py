"""Boilerplate masking and metadata inference on the scraped seed page and on PolNeAR prose."""
from __future__ import annotations

from pathlib import Path

import pytest

from narrativegraph.extract.boilerplate import boilerplate_spans, mask
from narrativegraph.extract.infer import find_dateline, find_title, guess_language, infer_metadata

SEED_FURNITURE = [
    "Registration was successful!",
    "Please follow the link from the email sent to",
    "© Sputnik / Ali HassanAleppo",
    "Aleppo - Sputnik International",
    "Syrian residents fleeing the violence, queue as they board a bus at a checkpoint, manned by "
    "pro-government forces, in the village of Aziza on the southwestern outskirts of the northern "
    "Syrian city of Aleppo on December 9, 2016 - Sputnik International",
    "Aleppo Residents 'No More Afraid of Being Killed' After Liberation of the City",
    "Never miss a story again\u00a0— sign up\u00a0to our Telegram channel and we'll keep you up\u00a0to speed!",
    "To participate in the discussion",
    "log in or register",
    "Заголовок открываемого материала",
]


def masked_lines(text: str) -> list[str]:
    return [text[s:e] for s, e in boilerplate_spans(text)]


def test_seed_furniture_is_masked_and_nothing_else(seed_path: Path):
    text = seed_path.read_text(encoding="utf-8")
    assert masked_lines(text) == SEED_FURNITURE


def test_seed_mask_keeps_offsets_and_every_statement(seed_path: Path):
    text = seed_path.read_text(encoding="utf-8")
    masked = mask(text, boilerplate_spans(text))
    assert len(masked) == len(text)
    assert [i for i, c in enumerate(text) if c == "\n"] == [i for i, c in enumerate(masked) if c == "\n"]
    for kept in ["'Aleppo Residents Heaved a Sigh of Relief After the City Was Liberated'",
                 '"There is no such thing as \'carnage\' or \'mass murder\' of civilians in Aleppo," '
                 "Turkish journalist Hediye Levent told Sputnik.",
                 "In his interview with Sputnik France, Le Corf emphasized",
                 "Lavrov underscored."]:
        assert kept in masked
    for gone in ["Registration", "Ali Hassan", "HassanAleppo", "Telegram", "register", "Заголовок", "Aziza"]:
        assert gone not in masked


def test_general_rules_on_another_scraped_page():
    page = "\n".join([
        "Sign in or register",
        "Minister Says Talks Will Resume",
        "",
        "Photo: AP / Jane Roe",
        "MOSCOW (Sputnik) — The minister said on Monday that the talks would resume next week.",
        "",
        "© Reuters / John Smith",
        "He added that both sides had agreed, according to the ministry.",
        "",
        "Read more: Another Story Title Here",
        "Subscribe to our newsletter for daily updates",
        "Ещё больше новостей в нашем канале",
        "",
        "Advertisement",
        "",
        "The talks, he said, were \"constructive\".",
        "The views and opinions expressed in the article do not necessarily reflect those of Sputnik.",
        "Tags: Syria, Aleppo",
        "Reuters contributed to this report.",
    ])
    assert masked_lines(page) == [
        "Sign in or register",
        "Photo: AP / Jane Roe",
        "© Reuters / John Smith",
        "Read more: Another Story Title Here",
        "Subscribe to our newsletter for daily updates",
        "Ещё больше новостей в нашем канале",
        "Advertisement",
        "The views and opinions expressed in the article do not necessarily reflect those of Sputnik.",
        "Tags: Syria, Aleppo",
        "Reuters contributed to this report.",
    ]


def test_headings_glued_to_prose_are_kept_but_lone_headline_lines_are_not():
    text = ("Title Of The Piece\n\nFirst paragraph, he said.\n"
            "Section Heading Inside Prose\nMore prose follows here, she said.\n\n"
            "Related Story Standing Alone\n\nLast paragraph.")
    assert masked_lines(text) == ["Related Story Standing Alone"]


@pytest.mark.slow
@pytest.mark.parametrize("split", ["train", "dev"])
def test_polnear_gold_content_is_never_masked(polnear_dir: Path, split: str):
    """Real news prose: no character of any gold attribution content may be blanked."""
    total = hit = 0
    root = polnear_dir / split
    for path in sorted((root / "text").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        spans = boilerplate_spans(text)
        anns = sorted((root / "attributions").glob(f"{path.stem}_*.ann"))
        if not spans or not anns:
            continue
        masked = set()
        for s, e in spans:
            masked.update(range(s, e))
        for line in anns[0].read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if len(parts) >= 2 and parts[1].startswith("Content "):
                for seg in parts[1].split(" ", 1)[1].split(";"):
                    a, b = map(int, seg.split())
                    total += b - a
                    hit += sum(1 for i in range(a, b) if i in masked)
    assert total > 0
    assert hit == 0, f"{hit} gold content characters masked in PolNeAR {split}"


# ------------------------------------------------------------------ inference
def test_seed_metadata_is_inferred(seed_path: Path):
    text = seed_path.read_text(encoding="utf-8")
    got = infer_metadata(text, boilerplate_spans(text))
    assert got.title == "Aleppo Residents Heaved a Sigh of Relief After the City Was Liberated"
    assert got.outlet == "Sputnik International"
    assert got.place == "Aleppo"
    assert got.published == "2016-12-09"  # from the photo caption: the only date the page gives
    assert got.language == "en"


def test_polnear_title_line(polnear_dir: Path):
    path = polnear_dir / "dev" / "text" / "nyt_2016-09-19_obama-sees-personal-insult-if-bl.txt"
    text = path.read_text(encoding="utf-8")
    assert find_title(text, boilerplate_spans(text)) == text.split("\n", 1)[0].strip()


def test_published_from_stamp_head_or_caption_never_from_prose():
    body = "On 14 December 2016, Lavrov said so" + " and more" * 15 + "."
    def published(text: str) -> str | None:
        return infer_metadata(text, boilerplate_spans(text)).published

    assert published("Title\nBy Jane Roe\nUpdated: Dec. 15, 2016 10:32\n\n" + body) == "2016-12-15"
    assert published("Title\n\n" + body + "\n\n© Photo taken on December 9, 2016") == "2016-12-09"
    assert published("Title\n\n" + body) is None


def test_datelines():
    assert find_dateline("Headline\n\nWASHINGTON — Sen. Sanders said so.") == ("Washington", None)
    assert find_dateline("Headline\nDamascus - Sputnik Arabic\nText.") == ("Damascus", "Sputnik Arabic")
    assert find_dateline("Headline\n\nHe said so - and more.") == (None, None)


def test_language_guess():
    assert guess_language("Le ministre a dit que la situation est calme et que les gens sont contents.") == "fr"
    assert guess_language("Заявил, что в Алеппо нет никакой резни и что это не так.") == "ru"
    assert guess_language("Aleppo Damascus Sputnik") is None
