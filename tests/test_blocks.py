"""Rendering blocks to text, Markdown and HTML."""

from cleaner.blocks import Block, to_html, to_markdown, to_text

BLOCKS = [
    Block("h", "Results", level=2),
    Block("p", "The *fast* runners [won] #1."),
    Block("li", "first", level=1, ordered=1),
    Block("li", "nested", level=2),
    Block("li", "second", level=1, ordered=2),
    Block("pre", "def f(x):\n    return x"),
    Block("quote", "To be | or not"),
    Block("table", "", rows=(("Name", "Time"), ("Ann | B", "10.2")), header=True),
]


def test_text_is_one_block_per_line_with_list_marks():
    text = to_text(BLOCKS[:5])
    assert text.splitlines() == ["Results", "The *fast* runners [won] #1.", "- first",
                                 "  - nested", "- second"]


def test_markdown_headings_lists_code_quotes_tables():
    md = to_markdown(BLOCKS)
    assert md.startswith("## Results\n\n")
    assert r"The \*fast\* runners \[won\] #1." in md
    assert "1. first\n   - nested\n2. second" in md
    assert "```\ndef f(x):\n    return x\n```" in md
    assert "> To be | or not" in md
    assert "| Name | Time |\n|---|---|\n| Ann \\| B | 10.2 |" in md


def test_markdown_escapes_line_start_markers():
    md = to_markdown([Block("p", "# not a heading"), Block("p", "1. not a list")])
    assert md == "\\# not a heading\n\n1\\. not a list"


def test_markdown_fence_longer_than_code_fences():
    md = to_markdown([Block("pre", "```\ncode\n```")])
    assert md.startswith("````\n") and md.endswith("\n````")


def test_markdown_escapes_raw_html_and_character_references():
    # was: a page's text "<script>alert(1)</script>" came out as raw HTML in the Markdown
    md = to_markdown([Block("p", "<script>alert(1)</script> &amp; <http://x.example> & co"),
                      Block("h", "<img src=x onerror=alert(1)>", level=2),
                      Block("table", "", rows=(("<b>cell</b>",),))])
    assert "<script" not in md.replace("\\<", "") and "<img" not in md.replace("\\<", "")
    assert md.startswith("\\<script>alert(1)\\</script> \\&amp; \\<http://x.example> & co")
    assert "| \\<b>cell\\</b> |" in md


def test_markdown_fence_outlasts_every_backtick_run_in_the_code():
    # was: code holding a line of four backticks closed the four-backtick fence early,
    # and the "<script>" after it was raw HTML in the Markdown
    md = to_markdown([Block("pre", "````\nx\n````\n<script>alert(1)</script>")])
    assert md.startswith("`````\n") and md.endswith("\n`````")


def test_markdown_escapes_a_line_of_dashes():
    assert to_markdown([Block("p", "---")]) == "\\---"


def test_html_escapes_and_nests_lists():
    html = to_html([Block("p", "<script>alert(1)</script> & co")] + BLOCKS[2:5])
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert "<ol>\n<li>first\n<ul>\n<li>nested\n</li></ul>\n</li>\n<li>second\n</li></ol>" \
        in html


def test_html_table_header():
    html = to_html([BLOCKS[-1]])
    assert "<tr><th>Name</th><th>Time</th></tr>" in html
    assert "<td>Ann | B</td>" in html
