"""The public API: result shape, formats, options, profiles, clean_text."""

import json

import pytest

import cleaner
from cleaner import CleanResult, OptionError, ProfileError, Removal, clean_article, clean_text

PAGE = """<html lang="en"><head><title>Pier opens</title></head><body>
<article><h1>Pier opens</h1>
<p>The harbour authority said on Monday that the new pier would open in spring, after
two years of delays caused by storms and supply problems.</p>
<div class="shop-box"><p>Buy our calendar: twelve photos of the pier for only ten pounds.</p></div>
<p>Local traders welcomed the news, saying the pier would bring visitors back to the
seafront, which has been quiet since the old pier closed.</p>
<div class="gform_wrapper"><h2 class="gform_title">Newsletter</h2>
<p class="gform_required_legend">"<span class="gfield_required">*</span>" indicates required fields</p>
<form><label>Email<span class="gfield_required">*</span></label><input type="email"></form></div>
<p>Read the full story on Coast Gazette</p>
</article></body></html>"""


def test_public_api_is_listed():
    for name in ("clean_article", "clean_text", "CleanResult", "Removal", "CleanerError",
                 "InputError", "FetchError"):
        assert name in cleaner.__all__
        assert hasattr(cleaner, name)


def test_result_fields_and_json_round_trip():
    result = clean_article(PAGE, "https://gazette.example/pier")
    assert isinstance(result, CleanResult)
    assert result.title == "Pier opens"
    assert "indicates required fields" not in result.text
    assert all(isinstance(r, Removal) for r in result.removed)
    gravity = [r for r in result.removed if r.rule == "form.gravity.wrapper"]
    assert gravity and gravity[0].family == "form" and gravity[0].layer == "html"
    assert gravity[0].where.startswith("html:/html/body/article")
    data = json.loads(result.to_json())
    assert data["text"] == result.text
    assert data["removed"][0].keys() == {"rule", "family", "text", "where", "reason", "path"}
    assert data["removed_by_family"]["form"] >= 1
    assert set(data["metadata"]) >= {"title", "author", "date", "site_name", "language",
                                     "url", "description"}


def test_result_is_frozen():
    result = clean_article(PAGE)
    with pytest.raises(AttributeError):
        result.text = "x"


@pytest.mark.parametrize("fmt, marker", [("text", "Local traders"), ("markdown", "Local"),
                                            ("html", "<p>Local traders"),
                                            ("json", '"removed"')])
def test_output_formats(fmt, marker):
    result = clean_article(PAGE, format=fmt)
    assert marker in result.content


def test_unknown_format_is_an_option_error():
    with pytest.raises(OptionError):
        clean_article(PAGE, format="pdf")
    with pytest.raises(ValueError):  # OptionError is also a ValueError
        clean_text("x", format="xml")


def test_profile_strips_and_pins_the_body(tmp_path):
    (tmp_path / "gazette.example.toml").write_text(
        'host = "gazette.example"\nstrip = ["div.shop-box"]\n'
        'strip_text = ["Read the full story on Coast Gazette"]\n'
        'test_urls = ["https://gazette.example/pier"]\n', encoding="utf-8")
    plain = clean_article(PAGE, "https://news.gazette.example/pier")
    assert "Buy our calendar" in plain.text
    result = clean_article(PAGE, "https://news.gazette.example/pier", profiles_dir=tmp_path)
    assert result.metadata["profile"] == "gazette.example"
    assert "Buy our calendar" not in result.text
    assert "Read the full story" not in result.text
    assert {"profile"} <= {r.family for r in result.removed}
    by_name = clean_article(PAGE, profile="gazette.example", profiles_dir=tmp_path)
    assert "Buy our calendar" not in by_name.text


def test_profile_body_selector(tmp_path):
    (tmp_path / "p.toml").write_text('host = "x.example"\nbody = ["div.shop-box"]\n')
    result = clean_article(PAGE, "https://x.example/a", profiles_dir=tmp_path)
    assert result.text == "Buy our calendar: twelve photos of the pier for only ten pounds."


def test_bad_profiles_are_profile_errors(tmp_path):
    (tmp_path / "bad.toml").write_text('host = "b.example"\nstrip = ["div[["]\n')
    with pytest.raises(ProfileError):
        clean_article(PAGE, "https://b.example/", profiles_dir=tmp_path)
    with pytest.raises(ProfileError):
        clean_article(PAGE, profile="no-such-profile")


def test_clean_text_keeps_every_other_line_verbatim():
    text = "  Indented first line.\n\nSecond, with “quotes”.\n\"*\" indicates required fields\n"
    result = clean_text(text)
    assert result.text == "  Indented first line.\n\nSecond, with “quotes”."
    assert [r.where for r in result.removed] == ["text:4"]


def test_clean_text_cuts_long_phrases_and_restores_the_boundary():
    result = clean_text("Police said.Story continues below advertisementOn Monday the road "
                        "reopened.")
    assert result.text == "Police said. On Monday the road reopened."


def test_language_gating_in_clean_text():
    line = "„*“ zeigt erforderliche Felder an"
    assert clean_text(line, lang="de").text == ""
    assert clean_text(line, lang="en").text == line


def test_same_input_same_output():
    a = clean_article(PAGE).to_dict()
    b = clean_article(PAGE.encode()).to_dict()
    assert a["text"] == b["text"] and a["removed"] == b["removed"]


def test_error_message_for_failed_pages_in_batches_and_pipelines():
    from cleaner.errors import InputError, error_message
    assert error_message(InputError("input is a PNG image")) == "input is a PNG image"
    assert error_message(KeyError("x")) == "KeyError: 'x' (a bug in cleaner)"
