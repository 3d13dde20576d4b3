"""Table tests for the rule-based Arabic/Latin sentence splitter."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from translator.text.segment import sentence_spans, split_long, split_sentences

CASES = [
    # Arabic sentence ends
    ("قال لافروف إن الوضع صعب. وأضاف أن الحل سياسي.", ["قال لافروف إن الوضع صعب.", "وأضاف أن الحل سياسي."]),
    ("هل ستتوقف الحرب؟ لا أحد يعرف.", ["هل ستتوقف الحرب؟", "لا أحد يعرف."]),
    ("يا للهول! انتهى كل شيء.", ["يا للهول!", "انتهى كل شيء."]),
    ("هل هذا صحيح؟! نعم.", ["هل هذا صحيح؟!", "نعم."]),
    ("وانتظر الجميع… ثم جاء الرد.", ["وانتظر الجميع…", "ثم جاء الرد."]),
    ("في اتصال هاتفي.. لافروف وأوغلو يؤكدان", ["في اتصال هاتفي..", "لافروف وأوغلو يؤكدان"]),
    ("أخبار ... أخرى", ["أخبار ...", "أخرى"]),
    ("...انتهى", ["...انتهى"]),
    # ؛ ends a sentence only between real clauses
    ("انتهى الاجتماع في طرابلس؛ وبدأ فصل جديد في الأزمة.", ["انتهى الاجتماع في طرابلس؛", "وبدأ فصل جديد في الأزمة."]),
    ("أولا؛ يجب وقف إطلاق النار. ثانيا؛ الحوار.", ["أولا؛ يجب وقف إطلاق النار.", "ثانيا؛ الحوار."]),
    ("ضد الجيش الوطني الليبي؛ حليف موسكو.", ["ضد الجيش الوطني الليبي؛ حليف موسكو."]),
    ("للقتال ضد الجيش الوطني الليبي؛ حليف موسكو، يثير تساؤلات حول مدى التنسيق.",
     ["للقتال ضد الجيش الوطني الليبي؛ حليف موسكو، يثير تساؤلات حول مدى التنسيق."]),
    ("أعلن الجيش وقف القتال؛ وقالت الحكومة إنها ترحب، ثم صمتت.",
     ["أعلن الجيش وقف القتال؛", "وقالت الحكومة إنها ترحب، ثم صمتت."]),
    # quotes and brackets stay with their sentence
    ('قال: "انتهى الأمر." ثم غادر.', ['قال: "انتهى الأمر."', "ثم غادر."]),
    ("قال «انتهى الأمر.» ثم غادر.", ["قال «انتهى الأمر.»", "ثم غادر."]),
    ("قال “انتهى الأمر.” ثم غادر.", ["قال “انتهى الأمر.”", "ثم غادر."]),
    ("(انتهى الأمر.) ثم غادر.", ["(انتهى الأمر.)", "ثم غادر."]),
    ("هل انتهى؟» قالها وغادر.", ["هل انتهى؟»", "قالها وغادر."]),
    ('قال المسؤول:"لا". ثم صمت.', ['قال المسؤول:"لا".', "ثم صمت."]),
    # numbers
    ("ارتفع النمو 3.5 في المئة. وبلغ العدد 1.000 شخص.", ["ارتفع النمو 3.5 في المئة.", "وبلغ العدد 1.000 شخص."]),
    ("بلغت النسبة 3.5%. ثم تراجعت.", ["بلغت النسبة 3.5%.", "ثم تراجعت."]),
    ("الساعة 10.30 صباحا. بدأ الاجتماع", ["الساعة 10.30 صباحا.", "بدأ الاجتماع"]),
    ("وقع الهجوم عام 2020. ثم هدأ الوضع", ["وقع الهجوم عام 2020.", "ثم هدأ الوضع"]),
    ("عام 2020م. ثم", ["عام 2020م.", "ثم"]),
    ("١٢٫٥ مليون. انتهى", ["١٢٫٥ مليون.", "انتهى"]),
    ("1. وقف النار. 2. الحوار", ["1. وقف النار.", "2. الحوار"]),
    ("النقاط: 1. وقف النار", ["النقاط: 1. وقف النار"]),
    # abbreviations and initials
    ("وصل د. محمد إلى طرابلس. ثم غادر.", ["وصل د. محمد إلى طرابلس.", "ثم غادر."]),
    ("وصل د.محمد إلى طرابلس.", ["وصل د.محمد إلى طرابلس."]),
    ("الرئيس أ. د. فلان وصل. انتهى", ["الرئيس أ. د. فلان وصل.", "انتهى"]),
    ("الحرب والسلم إلخ. وغير ذلك", ["الحرب والسلم إلخ. وغير ذلك"]),
    ("The U.S. and Russia met. Then they left.", ["The U.S. and Russia met.", "Then they left."]),
    ("Dr. Smith arrived. He left.", ["Dr. Smith arrived.", "He left."]),
    ("J. R. Smith spoke. Done.", ["J. R. Smith spoke.", "Done."]),
    ("The U.S.A. is big. Yes it is.", ["The U.S.A. is big.", "Yes it is."]),
    # Latin text inside Arabic
    ("Operation Irini. The EU said.", ["Operation Irini.", "The EU said."]),
    ("أطلق الاتحاد الأوروبي عملية Irini. وقال المتحدث", ["أطلق الاتحاد الأوروبي عملية Irini.", "وقال المتحدث"]),
    ("موقع www.aljazeera.net نشر الخبر.", ["موقع www.aljazeera.net نشر الخبر."]),
    ("version 1.2.3 was released. ok", ["version 1.2.3 was released.", "ok"]),
    # a missing space after the full stop (common in news copy)
    ("انتهى الاجتماع.وبدأ آخر.", ["انتهى الاجتماع.", "وبدأ آخر."]),
    ("لماذا؟قال الوزير شيئا", ["لماذا؟", "قال الوزير شيئا"]),
    ("هذا البند 3.ب من القانون", ["هذا البند 3.ب من القانون"]),
    # whitespace and empties
    ("كلمة.\n\nأخرى", ["كلمة.", "أخرى"]),
    ("  نص بلا نهاية  ", ["نص بلا نهاية"]),
    ("", []),
    ("   ", []),
]


@pytest.mark.parametrize("text, expected", CASES, ids=[str(i) for i in range(len(CASES))])
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


@pytest.mark.parametrize("text, _", CASES, ids=[str(i) for i in range(len(CASES))])
def test_spans_point_into_the_original(text: str, _: list[str]) -> None:
    spans = sentence_spans(text)
    assert all(0 <= s < e <= len(text) for s, e in spans)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))
    # nothing but whitespace is lost between the spans
    covered = "".join(text[s:e] for s, e in spans)
    assert "".join(covered.split()) == "".join(text.split())


@given(st.text(alphabet="ابتث لافروف.؟!؛…«»\"() 0123456789\n", max_size=80))
def test_no_text_is_lost(text: str) -> None:
    sentences = split_sentences(text)
    assert "".join("".join(sentences).split()) == "".join(text.split())
    assert all(s == s.strip() and s for s in sentences)


WORDS = lambda text: len(text.split())  # noqa: E731 - a length measure for split_long


@pytest.mark.parametrize(
    "text, max_len, expected",
    [
        ("قصير جدا", 5, ["قصير جدا"]),
        ("أ ب ج، د ه و، ز ح", 4, ["أ ب ج،", "د ه و،", "ز ح"]),
        ("أ ب ج، د ه و، ز ح", 6, ["أ ب ج، د ه و،", "ز ح"]),
        ("أ ب؛ ج د: ه و - ز ح", 3, ["أ ب؛", "ج د:", "ه و -", "ز ح"]),
        ("a b c d e f g", 3, ["a b c", "d e f", "g"]),
        ("أ ب ج د ه و ز، ح", 3, ["أ ب ج", "د ه و", "ز، ح"]),
        ("3,5 و 1,000 مليون", 2, ["3,5 و", "1,000 مليون"]),  # no cut inside numbers
    ],
)
def test_split_long(text: str, max_len: int, expected: list[str]) -> None:
    chunks = split_long(text, max_len, WORDS)
    assert chunks == expected
    assert " ".join(chunks).split() == text.split()


@given(st.text(alphabet="ابت ،,؛:-0123456789", max_size=120), st.integers(min_value=1, max_value=12))
def test_split_long_keeps_every_word_and_respects_the_limit(text: str, max_len: int) -> None:
    chunks = split_long(text, max_len, WORDS)
    assert " ".join(chunks).split() == text.split()
    assert all(WORDS(c) <= max_len or WORDS(c) == 1 for c in chunks) or chunks == [text]
