"""The Coast Gazette test page (pages/gazette.html) the teaching tests work on: a story
with a site-specific promo box (div.gz-shop), a content box cleaner drops as a related
list (div.related-timeline), a sign-off line, and header, menu, sidebar and footer
regions outside the article."""

URL = "https://www.gazette.example/2025/pier"
SHOP = "Buy our calendar: twelve photos of the pier for only ten pounds, while stocks last."
TIMELINE = "Timeline: the old pier closed in 2019"
SIGNOFF = "Read the full story on Coast Gazette"
SHOP_PATH = "/html/body/div/main/article/div[1]"
TIMELINE_PATH = "/html/body/div/main/article/div[2]"
REGIONS = {"/html/body/header": "extract.header", "/html/body/nav": "extract.navigation",
           "/html/body/div/aside": "extract.sidebar", "/html/body/footer": "extract.footer"}
