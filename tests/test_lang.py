"""The language guess, and what it lets the text layer do on a page that names no language."""

from cleaner import clean_article
from cleaner.lang import guess_language

ZH = ("去年九月，我辞掉了在上海的工作，搬到大理古城附近住了半年。很多朋友问我在大理生活到底要"
      "花多少钱，今天就把这半年的账本完整地分享出来。")
JA = ("与党の整備新幹線プロジェクトチームは十日、北陸新幹線の敦賀から新大阪までの区間について、"
      "年内に予定していた着工判断を来年度以降に先送りすることを決めた。")
KO = ("부산 북항 재개발 2단계 사업의 민간 사업자 선정이 또다시 무산됐다. 부산항만공사는 13일 "
      "2단계 사업 재공모를 마감한 결과 참가 신청서를 낸 컨소시엄이 한 곳도 없었다고 밝혔다.")
AR = ("وضعت الحكومة اليوم حجر الأساس لمشروع الناقل الوطني لتحلية المياه في مدينة العقبة، وهو "
      "أكبر مشروع للبنية التحتية في تاريخ المملكة.")
FA = ("دولت امروز سنگ بنای پروژه انتقال آب شیرین شده را در شهر بندری گذاشت که بزرگ‌ترین پروژه "
      "زیرساختی کشور است و چند سال طول می‌کشد.")
RU = ("Уровень воды в реке Урал у Оренбурга достиг отметки в тысячу двадцать сантиметров и "
      "продолжает расти примерно на пять сантиметров в час.")
UK = ("Рівень води в річці біля міста досяг позначки у тисячу сантиметрів і продовжує зростати "
      "приблизно на п'ять сантиметрів щогодини, повідомили в міській раді.")


def test_a_script_names_its_language():
    assert guess_language(ZH) == "zh"
    assert guess_language(JA) == "ja"
    assert guess_language(KO) == "ko"
    assert guess_language(AR) == "ar"
    assert guess_language(FA) == "fa"
    assert guess_language(RU) == "ru"
    assert guess_language(UK) == "uk"
    assert guess_language("Η κυβέρνηση ανακοίνωσε σήμερα νέα μέτρα για το νερό.") == "xx"


def _chinese_page(html_tag: str = "<html>") -> str:
    """Four Chinese paragraphs with a "recommended reading" teaser line among them."""
    paras = [f"<p>{ZH}{i}</p>" for i in range(4)]
    teaser = '<p><strong>推荐阅读：</strong><a href="/x">大理租房避坑指南：这五个问题一定要问房东</a></p>'
    return (f"{html_tag}<head><title>大理</title></head><body><article><h1>大理</h1>"
            f"{paras[0]}{paras[1]}{teaser}{paras[2]}{paras[3]}</article></body></html>")


def test_a_chinese_page_without_lang_gets_its_teaser_line_removed():
    result = clean_article(_chinese_page())
    assert "推荐阅读" not in result.text and "大理古城" in result.text
    assert result.metadata["language"] == "zh"
    assert any(r.rule == "related.inline.read-also" for r in result.removed)


def test_a_chinese_page_declared_english_is_read_as_chinese():
    from cleaner.lang import text_language
    assert text_language("en", ZH) == "zh" and text_language("ja", ZH) == "ja"
    assert text_language("en", "The pier opened on Monday.") == "en"
    result = clean_article(_chinese_page('<html lang="en-US">'))
    assert "推荐阅读" not in result.text and "大理古城" in result.text
    assert result.metadata["language"] == "en"    # what the page says, as it says it
