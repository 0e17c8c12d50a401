"""Edge trimming: datelines, bylines and the title, only at the body's edges."""

import pytest

from cleaner.blocks import Block
from cleaner.boundary import is_byline, is_dateline, is_meta_line, trim_edges

PROSE = Block("p", "The council voted on Tuesday to close the old bridge, citing safety, cost and the rising river.")


@pytest.mark.parametrize("line", [
    "Updated 5:27 am CST, Wednesday, November 20, 2019",
    "Chris Davies - Nov 19, 2019, 10:31 pm CST",
    "NOVEMBER 20, 2019 10:43",
    "Published 11:34 PM EST Nov 19, 2019",
    "sexta-feira, 22 de outubro de 2010 às 20:13",
    "Veröffentlicht am 30. Juli 2018",
    "Mis à jour le 12 mars 2021 à 10h15",
    "20/11/2019",
    "05.12.2026 10:30 Uhr",
])
def test_datelines(line):
    assert is_dateline(line)


@pytest.mark.parametrize("line", [
    "On November 20 the council voted to close the bridge.",
    "1a etapa: 10 de março – Interlagos",
    "May the best team win",
    "The 2019 season",
    "3.0.0 — 2026-02-10",          # release headings name a version beside the date
    "v2.9.1 (2025-12-01)",
    "[1.4.0] - 2024-03-05",
])
def test_not_datelines(line):
    assert not is_dateline(line)


@pytest.mark.parametrize("line, author", [("By JERUSALEM POST STAFF", None),
                                          ("Von Moritz Bachmann", None),
                                          ("Par Claire Dubois", None),
                                          ("Jane Roe", "Jane Roe")])
def test_bylines(line, author):
    assert is_byline(line, author)


@pytest.mark.parametrize("line", ["Reporting by Will Dunham; Editing by Tom Brown",
                                  "By the end of the year the bridge will be closed for good."])
def test_not_bylines(line):
    assert not is_byline(line)


def test_trim_only_at_the_edges():
    middle = Block("p", "Monday, November 18, 2019")
    blocks = [Block("h", "Bridge to close"), Block("p", "By Jane Roe"),
              Block("p", "Nov 19, 2019 10:31 pm"), PROSE, middle, PROSE,
              Block("p", "Published 11:34 PM EST Nov 19, 2019")]
    kept, removed = trim_edges(blocks, {"title": "Bridge to close"})
    assert kept == [PROSE, middle, PROSE]
    assert [r.rule for r in removed] == ["structure.title", "meta.byline", "meta.dateline",
                                         "meta.dateline"]


def test_a_schedule_of_dates_is_content():
    dates = [Block("p", f"{d} March 2024") for d in (3, 10, 17, 24)]
    kept, removed = trim_edges(dates + [PROSE], {})
    assert kept == dates + [PROSE] and not removed


@pytest.mark.parametrize("line", [
    "Par Claire Dubois · Publié le 12 mars 2026 à 10h15 · Mis à jour à 11h02",
    "Jonas Berg · 12 April 2026",
    "By Jane Roe | Updated 5:27 PM EST, March 3, 2026 | 4 min read",
    "Agencias · Actualizado 15/04/2026 11:20",
    "Lesezeit: 3 Min.",
    "Temps de lecture : 2 min.",
    "4 min read",
])
def test_meta_lines(line):
    assert is_meta_line(line)


@pytest.mark.parametrize("line", [
    "Tickets · Opening night is sold out, the theatre said on 12 April.",
    "PARIS - The mayor said on Monday 12 April 2026",   # a wire story's opening words
    "Match report · Arsenal 2-1 Chelsea",               # no date, no reading time
    "March 28, 2026 · 42 min",                          # a running time, not a reading time
])
def test_not_meta_lines(line):
    assert not is_meta_line(line)


def test_a_byline_and_date_joined_by_separators_are_trimmed_at_the_head():
    meta = Block("p", "Par Claire Dubois · Publié le 12 mars 2026 à 10h15 · Mis à jour à 11h02")
    blocks = [Block("h", "Bridge to close"), meta, Block("p", "Temps de lecture : 2 min."),
              PROSE, Block("p", "Jonas Berg · 12 April 2026"), PROSE]
    kept, removed = trim_edges(blocks, {"title": "Bridge to close"})
    assert kept == [PROSE, blocks[4], PROSE]
    assert [r.rule for r in removed] == ["structure.title", "meta.dateline", "meta.dateline"]


def test_the_headline_beside_the_sites_name_in_the_title_is_trimmed():
    blocks = [Block("h", "Webhooks"), PROSE]
    kept, removed = trim_edges(blocks, {"title": "Webhooks | Paylane Docs"})
    assert kept == [PROSE] and [r.rule for r in removed] == ["structure.title"]
    # a heading that is only part of a title without a site's name beside it stays
    kept, removed = trim_edges(blocks, {"title": "Webhooks and retries"})
    assert kept == blocks and not removed


def test_a_spaced_hyphen_parts_the_headline_from_the_sites_name():
    # "Page - Site", the default of static site generators (MkDocs, Jekyll, Hugo)
    blocks = [Block("h", "Caching"), PROSE]
    kept, removed = trim_edges(blocks, {"title": "Caching - Quarry"})
    assert kept == [PROSE] and [r.rule for r in removed] == ["structure.title"]
    blocks = [Block("h", "padStart()"), PROSE]
    kept, removed = trim_edges(blocks, {"title": "padStart() - JavaScript | Web Docs"})
    assert kept == [PROSE]
    # a hyphen inside a word parts nothing
    blocks = [Block("h", "Self"), PROSE]
    kept, removed = trim_edges(blocks, {"title": "Self-hosting guide"})
    assert kept == blocks and not removed


def test_a_label_above_the_headline_is_the_kicker():
    blocks = [Block("p", "Analysis"), Block("h", "Bridge to close"), PROSE]
    kept, removed = trim_edges(blocks, {"title": "Bridge to close"})
    assert kept == [PROSE]
    assert [r.rule for r in removed] == ["meta.kicker", "structure.title"]
    # a sentence above the headline, or a label with no headline after it, stays
    sentence = Block("p", "Read the full report.")
    kept, _ = trim_edges([sentence, Block("h", "Bridge to close"), PROSE],
                         {"title": "Bridge to close"})
    assert kept == [sentence, PROSE]
    kept, _ = trim_edges([Block("p", "Analysis"), PROSE], {"title": "Bridge to close"})
    assert kept == [Block("p", "Analysis"), PROSE]


def test_the_summary_between_the_headline_and_the_byline_is_the_dek():
    dek = Block("p", "The old crossing will shut for good in May.")
    blocks = [Block("h", "Bridge to close"), dek, Block("p", "By Jane Roe"), PROSE]
    kept, removed = trim_edges(blocks, {"title": "Bridge to close"})
    assert kept == [PROSE]
    assert [r.rule for r in removed] == ["structure.title", "meta.dek", "meta.byline"]
    # with no byline under it, a short first paragraph is the article's
    kept, _ = trim_edges([Block("h", "Bridge to close"), dek, PROSE],
                         {"title": "Bridge to close"})
    assert kept == [dek, PROSE]


def test_date_headings_of_one_level_title_a_dated_list_not_a_dateline():
    # a changelog or a diary: each section under a date heading, the first at the head
    blocks = [Block("h", "2026-03-18", level=2), PROSE, Block("h", "2026-02-27", level=2),
              PROSE]
    kept, removed = trim_edges(blocks, {"title": "API changelog"})
    assert kept == blocks and not removed
    # one date heading at the head is the page's dateline
    blocks = [Block("h", "Monday, March 2, 2026", level=2), PROSE, Block("h", "Why", level=2),
              PROSE]
    kept, removed = trim_edges(blocks, {"title": "Pier opens"})
    assert kept == blocks[1:] and [r.rule for r in removed] == ["meta.dateline"]
