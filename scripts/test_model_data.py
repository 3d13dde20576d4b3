"""Synthetic Arabic->English news-template data for the demo test model.

Used by scripts/build_test_model.py; pure Python (no torch), so it can be imported and
inspected on its own:  python scripts/test_model_data.py  prints a sample.

Names come from ArWikiCats (/work/shared/data/train/arwikicats, MIT): people and places
(Arabic + English). Every name whose Arabic (or English) occurs in seeds/*.txt or in the
seeds' glossary name list below is excluded, so the seed names (Lavrov, Haftar, al-Sarraj,
Erdoğan, Idlib, Tripoli, ...) stay unknown to the model and glossary enforcement has
something to prove. A disjoint slice of names is held out for the held-out test sentences.

A fraction of name slots is code-switched: the name is written in Latin script inside the
Arabic sentence (as the product's glossary enforcement does), with a clitic (و ف ب ك ل)
kept as a separate word before it, and the model learns to copy it verbatim.
"""

from __future__ import annotations

import random
import re
import string
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path("/work/shared/data/train")

# Name words of the seed articles' glossary (Arabic, normalised on use) and their English
# forms: no training name may contain any of them.
SEED_NAME_WORDS_AR = """
لافروف سيرغي سيرجي حفتر خليفة السراج سراج فايز فائز أردوغان اردوغان رجب طيب إدلب ادلب طرابلس
مصراتة مصراته سرت إيريني ايريني تشاووش جاويش أوغلو اوغلو مولود مايو لويجو لويجي إنترفاكس
موسكو أنقرة انقرة روما الوفاق
""".split()
SEED_NAME_WORDS_EN = """
lavrov sergey sergei haftar hifter khalifa sarraj serraj fayez fayiz erdoğan erdogan recep
tayyip idlib tripoli misrata misurata sirte irini çavuşoğlu cavusoglu mevlüt mevlut maio
luigi interfax moscow ankara rome gna lna
""".split()

CLITICS = "وفبكل"
# Titles that may precede a person (as in "المشير خليفة حفتر"); the clitic attaches to the title.
TITLES = [("المشير", "Marshal"), ("الرئيس", "President"), ("رئيس الوزراء", "Prime Minister"),
          ("الوزير", "Minister"), ("الجنرال", "General"), ("السفير", "Ambassador"),
          ("الشيخ", "Sheikh"), ("الدكتور", "Dr.")]
DAYS = [("الاثنين", "Monday"), ("الثلاثاء", "Tuesday"), ("الأربعاء", "Wednesday"),
        ("الخميس", "Thursday"), ("الجمعة", "Friday"), ("السبت", "Saturday"), ("الأحد", "Sunday")]

# Countries: (Arabic, English, Arabic adjective (masc.), English adjective). Those whose name
# occurs in the seeds are dropped automatically.
COUNTRIES = [
    ("فرنسا", "France", "الفرنسي", "French"), ("ألمانيا", "Germany", "الألماني", "German"),
    ("الصين", "China", "الصيني", "Chinese"), ("اليابان", "Japan", "الياباني", "Japanese"),
    ("إيران", "Iran", "الإيراني", "Iranian"), ("العراق", "Iraq", "العراقي", "Iraqi"),
    ("الأردن", "Jordan", "الأردني", "Jordanian"), ("لبنان", "Lebanon", "اللبناني", "Lebanese"),
    ("تونس", "Tunisia", "التونسي", "Tunisian"), ("المغرب", "Morocco", "المغربي", "Moroccan"),
    ("السودان", "Sudan", "السوداني", "Sudanese"), ("قطر", "Qatar", "القطري", "Qatari"),
    ("إسبانيا", "Spain", "الإسباني", "Spanish"), ("الهند", "India", "الهندي", "Indian"),
    ("باكستان", "Pakistan", "الباكستاني", "Pakistani"), ("كندا", "Canada", "الكندي", "Canadian"),
    ("البرازيل", "Brazil", "البرازيلي", "Brazilian"), ("السعودية", "Saudi Arabia", "السعودي", "Saudi"),
    ("الكويت", "Kuwait", "الكويتي", "Kuwaiti"), ("عمان", "Oman", "العماني", "Omani"),
    ("اليمن", "Yemen", "اليمني", "Yemeni"), ("النمسا", "Austria", "النمساوي", "Austrian"),
    ("هولندا", "the Netherlands", "الهولندي", "Dutch"), ("بلجيكا", "Belgium", "البلجيكي", "Belgian"),
    ("السويد", "Sweden", "السويدي", "Swedish"), ("النرويج", "Norway", "النرويجي", "Norwegian"),
    ("بولندا", "Poland", "البولندي", "Polish"), ("أوكرانيا", "Ukraine", "الأوكراني", "Ukrainian"),
    ("إندونيسيا", "Indonesia", "الإندونيسي", "Indonesian"), ("ماليزيا", "Malaysia", "الماليزي", "Malaysian"),
    ("نيجيريا", "Nigeria", "النيجيري", "Nigerian"), ("إثيوبيا", "Ethiopia", "الإثيوبي", "Ethiopian"),
    ("كينيا", "Kenya", "الكيني", "Kenyan"), ("المكسيك", "Mexico", "المكسيكي", "Mexican"),
    ("الأرجنتين", "Argentina", "الأرجنتيني", "Argentine"), ("البرتغال", "Portugal", "البرتغالي", "Portuguese"),
    ("سويسرا", "Switzerland", "السويسري", "Swiss"), ("الدنمارك", "Denmark", "الدنماركي", "Danish"),
    ("فنلندا", "Finland", "الفنلندي", "Finnish"), ("رومانيا", "Romania", "الروماني", "Romanian"),
    ("المجر", "Hungary", "المجري", "Hungarian"), ("صربيا", "Serbia", "الصربي", "Serbian"),
    ("أذربيجان", "Azerbaijan", "الأذربيجاني", "Azerbaijani"), ("أرمينيا", "Armenia", "الأرميني", "Armenian"),
    ("جورجيا", "Georgia", "الجورجي", "Georgian"), ("كازاخستان", "Kazakhstan", "الكازاخي", "Kazakh"),
    ("أفغانستان", "Afghanistan", "الأفغاني", "Afghan"), ("الصومال", "Somalia", "الصومالي", "Somali"),
    ("تشاد", "Chad", "التشادي", "Chadian"), ("النيجر", "Niger", "النيجري", "Nigerien"),
    ("مالي", "Mali", "المالي", "Malian"), ("موريتانيا", "Mauritania", "الموريتاني", "Mauritanian"),
    ("البحرين", "Bahrain", "البحريني", "Bahraini"), ("فلسطين", "Palestine", "الفلسطيني", "Palestinian"),
    ("روسيا", "Russia", "الروسي", "Russian"), ("تركيا", "Turkey", "التركي", "Turkish"),
    ("ليبيا", "Libya", "الليبي", "Libyan"), ("سوريا", "Syria", "السوري", "Syrian"),
    ("مصر", "Egypt", "المصري", "Egyptian"), ("اليونان", "Greece", "اليوناني", "Greek"),
    ("قبرص", "Cyprus", "القبرصي", "Cypriot"), ("إيطاليا", "Italy", "الإيطالي", "Italian"),
    ("الجزائر", "Algeria", "الجزائري", "Algerian"), ("بريطانيا", "Britain", "البريطاني", "British"),
]

ORGS = [
    ("الأمم المتحدة", "the United Nations"), ("الاتحاد الأفريقي", "the African Union"),
    ("جامعة الدول العربية", "the Arab League"), ("حلف شمال الأطلسي", "NATO"),
    ("البنك الدولي", "the World Bank"), ("صندوق النقد الدولي", "the International Monetary Fund"),
    ("منظمة الصحة العالمية", "the World Health Organization"), ("البرلمان", "parliament"),
    ("الصليب الأحمر", "the Red Cross"), ("منظمة العفو الدولية", "Amnesty International"),
    ("وزارة الدفاع", "the defence ministry"), ("وزارة الداخلية", "the interior ministry"),
    ("وزارة الخارجية", "the foreign ministry"), ("الحكومة", "the government"), ("الجيش", "the army"),
    ("المعارضة", "the opposition"), ("الشرطة", "the police"), ("الرئاسة", "the presidency"),
    ("مجلس الأمن", "the Security Council"), ("الاتحاد الأوروبي", "the European Union"),
]

NOUNS = [  # "called for X", "supports X"
    ("وقف إطلاق النار", "a ceasefire"), ("الحوار", "dialogue"), ("حل سياسي", "a political solution"),
    ("إجراء انتخابات", "holding elections"), ("تهدئة التوتر", "calming tensions"),
    ("الإفراج عن المعتقلين", "the release of detainees"), ("تعزيز التعاون", "strengthening cooperation"),
    ("ضبط النفس", "restraint"), ("تحقيق دولي", "an international investigation"),
    ("إيصال المساعدات الإنسانية", "the delivery of humanitarian aid"), ("السلام", "peace"),
    ("الاستقرار", "stability"), ("المفاوضات", "negotiations"), ("الإصلاحات", "reforms"),
    ("انسحاب القوات الأجنبية", "the withdrawal of foreign forces"), ("حماية المدنيين", "the protection of civilians"),
]
TOPICS = [  # "discussed X"
    ("العلاقات الثنائية", "bilateral relations"), ("الأزمة", "the crisis"),
    ("التعاون الاقتصادي", "economic cooperation"), ("التعاون الأمني", "security cooperation"),
    ("الوضع الإنساني", "the humanitarian situation"), ("ملف الهجرة", "the migration file"),
    ("التطورات الأخيرة", "the latest developments"), ("الأوضاع الإقليمية", "the regional situation"),
    ("قضايا الطاقة", "energy issues"), ("مكافحة الإرهاب", "the fight against terrorism"),
]

# Clauses after "said that" etc.; may hold slots themselves.
CLAUSES = [
    ("{C} ستدعم {NOUN}", "{C} will support {NOUN}"),
    ("الوضع في {CITY} خطير", "the situation in {CITY} is dangerous"),
    ("المحادثات كانت مثمرة", "the talks were fruitful"),
    ("{C} ترفض التدخل الأجنبي", "{C} rejects foreign intervention"),
    ("بلاده مستعدة للحوار", "his country is ready for dialogue"),
    ("{P2} سيزور {CITY} الأسبوع المقبل", "{P2} will visit {CITY} next week"),
    ("الحكومة ستعقد اجتماعا يوم {D}", "the government will hold a meeting on {D}"),
    ("{N} أشخاص قتلوا في {CITY}", "{N} people were killed in {CITY}"),
    ("الاتفاق مع {C} مهم", "the agreement with {C} is important"),
    ("{ORG} يدعم {NOUN}", "{ORG} supports {NOUN}"),
    ("المفاوضات مع {P2} ستستمر", "the negotiations with {P2} will continue"),
    ("{C} و{C2} اتفقتا على {NOUN}", "{C} and {C2} agreed on {NOUN}"),
    ("القوات وصلت إلى {CITY}", "the forces reached {CITY}"),
]

TEMPLATES = [
    ("وقال {P} إن {CL}.", "{P} said that {CL}."),
    ("قال {P} إن {CL}.", "{P} said that {CL}."),
    ("وأضاف {P} أن {CL}.", "{P} added that {CL}."),
    ("وأكد {P} أن {CL}.", "{P} stressed that {CL}."),
    ("التقى {P} {P2} في {CITY} يوم {D}.", "{P} met {P2} in {CITY} on {D}."),
    ("التقى {P} ب{P2} في {CITY}.", "{P} met {P2} in {CITY}."),
    ("التقى {P} {P2} و{P3}.", "{P} met {P2} and {P3}."),
    ("زار {P} {CITY} يوم {D}.", "{P} visited {CITY} on {D}."),
    ("وزار {P} {C} يوم {D}.", "{P} visited {C} on {D}."),
    ("دعا {P} إلى {NOUN}.", "{P} called for {NOUN}."),
    ("ودعا {ORG} إلى {NOUN}.", "{ORG} called for {NOUN}."),
    ("وفي اتصال هاتفي مع {P2}، بحث {P} {TOPIC}.", "In a phone call with {P2}, {P} discussed {TOPIC}."),
    ("بحث {P} مع {P2} {TOPIC}.", "{P} discussed {TOPIC} with {P2}."),
    ("وأجرى {P} اتصالا هاتفيا مع {P2}.", "{P} held a phone call with {P2}."),
    ("وصل {P} إلى {CITY} يوم {D}.", "{P} arrived in {CITY} on {D}."),
    ("وصل الوزير إلى {CITY}.", "The minister arrived in {CITY}."),
    ("والتقى وزير خارجية {C} {P}.", "The foreign minister of {C} met {P}."),
    ("وقال وزير خارجية {C} إن {CL}.", "The foreign minister of {C} said that {CL}."),
    ("وقع الانفجار في مدينة {CITY}.", "The explosion occurred in the city of {CITY}."),
    ("قتل {N} أشخاص في مدينة {CITY} يوم {D}.", "{N} people were killed in the city of {CITY} on {D}."),
    ("أعلن {ORG} يوم {D} أن {CL}.", "{ORG} announced on {D} that {CL}."),
    ("وقال الرئيس {CA} {P} إن {CL}.", "The {CA} president {P} said that {CL}."),
    ("التقى وزير الخارجية {CA} {P} نظيره {CA2} {P2} في {CITY}.",
     "{CA} Foreign Minister {P} met his {CA2} counterpart {P2} in {CITY}."),
    ("وتقدمت القوات بقيادة {P} نحو {CITY}.", "The forces led by {P} advanced towards {CITY}."),
    ("ووجه {P} رسالة ل{P2}.", "{P} sent a message to {P2}."),
    ("وأعلن {P} دعمه ل{ORG}.", "{P} announced his support for {ORG}."),
    ("وأشاد {P} ب{ORG}.", "{P} praised {ORG}."),
    ("وندد {P} ب{ORG}.", "{P} condemned {ORG}."),
    ("ف{P} يدعم {NOUN}.", "So {P} supports {NOUN}."),
    ("وزار الوفد مدنا ك{CITY} و{CITY2}.", "The delegation visited cities such as {CITY} and {CITY2}."),
    ("وفي {CITY}، قال {P} إن {CL}.", "In {CITY}, {P} said that {CL}."),
    ("وعاد {P} إلى {C} بعد زيارة إلى {CITY}.", "{P} returned to {C} after a visit to {CITY}."),
    ("وقالت مصادر مقربة ل{P} إن {CL}.", "Sources close to {P} said that {CL}."),
    ("وتعهد {P} بدعم {C}.", "{P} pledged to support {C}."),
    ("ويزور {P} {C} الأسبوع المقبل.", "{P} will visit {C} next week."),
    ("واستقبل {P} في {CITY} وفدا من {C}.", "{P} received a delegation from {C} in {CITY}."),
    # short phrases (titles, glossary-style fragments)
    ("وزير خارجية {C}", "the foreign minister of {C}"),
    ("في مدينة {CITY}", "in the city of {CITY}"),
    ("و{P}", "and {P}"),
    ("{P} و{P2}", "{P} and {P2}"),
    ("{P}", "{P}"),
    ("{CITY}", "{CITY}"),
    ("ب{ORG}", "with {ORG}"),
    ("ل{ORG}", "to {ORG}"),
]


# --- Arabic normalisation and the seed-name exclusion -------------------------------------

_HARAKAT = re.compile("[\u064b-\u0652\u0670\u0640]")
_ALEF = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي"})
_WORD = re.compile(r"[\u0621-\u064a\u0660-\u0669\u0671-\u06d3]+")


def norm_ar(text: str) -> str:
    return _HARAKAT.sub("", text).translate(_ALEF)


def _strip_clitics(word: str) -> set[str]:
    """A seed word and every form of it with a prefix clitic sequence removed."""
    forms = {word}
    for prefix in ("وال", "فال", "بال", "كال", "لل", "ال", "و", "ف", "ب", "ك", "ل", "وب", "ول", "وف"):
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            rest = word[len(prefix):]
            forms.add(rest)
            forms.add("ال" + rest)
    return forms


class SeedFilter:
    """Says whether a name (Arabic, English) occurs in the seeds or the seed glossary words."""

    def __init__(self, seed_texts: list[str]) -> None:
        self.tokens: list[set[str]] = []
        for text in seed_texts:
            for word in _WORD.findall(norm_ar(text)):
                self.tokens.append(_strip_clitics(word))
        self.ar_words = {norm_ar(w) for w in SEED_NAME_WORDS_AR}
        self.ar_words |= {w[2:] for w in self.ar_words if w.startswith("ال")}
        self.en_words = set(SEED_NAME_WORDS_EN)
        self.first: dict[str, list[int]] = {}
        for i, forms in enumerate(self.tokens):
            for form in forms:
                self.first.setdefault(form, []).append(i)

    def excluded(self, ar: str, en: str) -> bool:
        words = _WORD.findall(norm_ar(ar))
        if any(w in self.ar_words or (w.startswith("ال") and w[2:] in self.ar_words) for w in words):
            return True
        en_words = re.findall(r"[^\W\d_]+", en.lower())
        if any(w in self.en_words for w in en_words):
            return True
        if not words:
            return False
        n = len(words)
        for i in self.first.get(words[0], ()):
            if i + n <= len(self.tokens) and all(words[k] in self.tokens[i + k] for k in range(n)):
                return True
        return False


# --- name pools ----------------------------------------------------------------------------

def title_case(text: str) -> str:
    def cap(word: str) -> str:
        return "-".join(p[:1].upper() + p[1:] for p in word.split("-"))
    return " ".join(cap(w) for w in text.split())


_BAD_AR = re.compile(r"[()\[\]{}0-9٠-٩a-zA-Z,،.:]")
_BAD_EN = re.compile(r"[()\[\]{}0-9,.:/&]")


def load_arwikicats(root: Path = SHARED / "arwikicats") -> list[tuple[str, str, str]]:
    ar = (root / "ar.txt").read_text(encoding="utf-8").splitlines()
    en = (root / "en.txt").read_text(encoding="utf-8").splitlines()
    group = (root / "group.txt").read_text(encoding="utf-8").splitlines()
    return list(zip(group, en, ar))


@dataclass
class Pools:
    people: list[tuple[str, str]] = field(default_factory=list)
    places: list[tuple[str, str]] = field(default_factory=list)
    latin: list[str] = field(default_factory=list)
    countries: list[tuple[str, str, str, str]] = field(default_factory=list)
    orgs: list[tuple[str, str]] = field(default_factory=list)


PLACE_GROUPS = {"cities/cities_full.json", "geography/P17_PP.json", "geography/popopo.json",
                "geography/India_dd.json", "geography/P17_2_final_ll.json", "geography/New_Keys.json"}
AR_PLACE_PREFIXES = ("مقاطعة", "بلدية", "منطقة", "مدينة", "محافظة", "ولاية", "إقليم", "قرية")


def build_pools(seed_filter: SeedFilter, rng: random.Random) -> tuple[Pools, Pools, list[str]]:
    """Training pools, held-out pools (disjoint names) and the excluded names (for the log)."""
    people: list[tuple[str, str]] = []
    places: list[tuple[str, str]] = []
    latin: set[str] = set()
    excluded: list[str] = []
    seen_ar: set[str] = set()
    for group, en, ar in load_arwikicats():
        en_clean = en.strip()
        if not en_clean or _BAD_EN.search(en_clean):
            continue
        if seed_filter.excluded(ar, en_clean):
            excluded.append(f"{ar}\t{en_clean}")
            continue
        words_en = en_clean.split()
        if 1 <= len(words_en) <= 4 and all(re.fullmatch(r"[^\W\d_][^\W\d_'\-]*('[^\W\d_]+)?", w) for w in words_en):
            latin.add(title_case(en_clean))
        if _BAD_AR.search(ar) or ar in seen_ar:
            continue
        words_ar = ar.split()
        if group == "people/peoples.json":
            if 2 <= len(words_en) <= 3 and len(words_ar) == len(words_en):
                people.append((ar, title_case(en_clean)))
                seen_ar.add(ar)
        elif group in PLACE_GROUPS:
            if (1 <= len(words_en) <= 2 and len(words_ar) == len(words_en)
                    and not ar.startswith(AR_PLACE_PREFIXES) and "county" not in en_clean):
                places.append((ar, title_case(en_clean)))
                seen_ar.add(ar)
    people.sort()
    places.sort()
    rng.shuffle(people)
    rng.shuffle(places)
    latin_list = sorted(latin)
    rng.shuffle(latin_list)
    n_p, n_c, n_l = len(people) // 10, len(places) // 10, len(latin_list) // 10
    held_latin = set(latin_list[:n_l])
    held_en = {en for _, en in people[:n_p] + places[:n_c]}
    train = Pools(people=people[n_p:], places=places[n_c:],
                  latin=[n for n in latin_list[n_l:] if n not in held_en])
    held = Pools(people=people[:n_p], places=places[:n_c], latin=sorted(held_latin))
    # Held-out Latin names must not occur anywhere in training, not even as the English of a
    # training Arabic-script name.
    seen_en = set(train.latin) | {en for _, en in train.people + train.places}
    held.latin = [n for n in held.latin if n not in seen_en]
    for pools in (train, held):
        pools.countries = [c for c in COUNTRIES if not seed_filter.excluded(c[0], c[1])]
        pools.orgs = [o for o in ORGS if not seed_filter.excluded(o[0], o[1])]
    excluded += [f"{c[0]}\t{c[1]}" for c in COUNTRIES if seed_filter.excluded(c[0], c[1])]
    excluded += [f"{o[0]}\t{o[1]}" for o in ORGS if seed_filter.excluded(o[0], o[1])]
    return train, held, excluded


# --- Latin-name generators for code-switching ------------------------------------------------

_DIACRITIC_MAP = {"c": "ç", "s": "ş", "g": "ğ", "o": "ö", "u": "ü", "i": "ı", "a": "â", "e": "é",
                  "n": "ñ", "z": "ž", "C": "Ç", "S": "Ş", "O": "Ö", "U": "Ü", "I": "İ"}


def random_latin_name(rng: random.Random, pool: list[str]) -> str:
    kind = rng.random()
    if kind < 0.12:  # acronym (GNA, LNA, UNSMIL...)
        return "".join(rng.choice(string.ascii_uppercase) for _ in range(rng.randint(2, 6)))
    if kind < 0.22:  # Turkish/European-style diacritics on a real name
        name = rng.choice(pool)
        return "".join(_DIACRITIC_MAP.get(ch, ch) if rng.random() < 0.35 else ch for ch in name)
    if kind < 0.32:  # multi-word compound, e.g. "Government of National Accord"
        joiner = rng.choice([" ", " of ", " al-", " de ", " for "])
        return rng.choice(pool) + joiner + rng.choice(pool)
    if kind < 0.36:  # name with an acronym in parentheses-free apposition
        return rng.choice(pool) + " " + "".join(rng.choice(string.ascii_uppercase) for _ in range(3))
    return rng.choice(pool)


# Characters never seen by SentencePiece: their bytes must be copied via byte fallback.
RARE_LATIN = "ąęłśźżőűřťďňůșțđħŧŋþðæœøåāēīōūȳǎěǐǒǔ"


def rare_latin_name(rng: random.Random) -> str:
    base = "".join(rng.choice(string.ascii_lowercase + RARE_LATIN) for _ in range(rng.randint(4, 9)))
    return base[:1].upper() + base[1:]


# --- sentence generation ---------------------------------------------------------------------

_CLITIC_AR_ARTICLE = {"ل": "لل", "و": "وال", "ب": "بال", "ف": "فال", "ك": "كال"}


def attach(clitic: str, name_ar: str, latin: bool) -> str:
    """Attach a clitic as Arabic does (ل + ال -> لل); before a Latin name keep it a separate word."""
    if not clitic:
        return name_ar
    if latin:
        return f"{clitic} {name_ar}"
    if name_ar.startswith("ال"):
        return _CLITIC_AR_ARTICLE[clitic] + name_ar[2:]
    return clitic + name_ar


_ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
_SLOT = re.compile(r"([وفبكل]?)\{(\w+)\}")


class Generator:
    def __init__(self, pools: Pools, rng: random.Random, code_switch: float = 0.4,
                 rare: float = 0.0, titles: float = 0.12) -> None:
        self.pools = pools
        self.titles = titles
        self.rng = rng
        self.code_switch = code_switch
        self.rare = rare

    def _name(self, kind: str) -> tuple[str, str, bool]:
        ar, en, latin = self._bare_name(kind)
        if kind == "P" and self.titles and self.rng.random() < self.titles:
            t_ar, t_en = self.rng.choice(TITLES)
            return f"{t_ar} {ar}", f"{t_en} {en}", False
        return ar, en, latin

    def _bare_name(self, kind: str) -> tuple[str, str, bool]:
        rng = self.rng
        if rng.random() < self.code_switch:
            if self.rare and rng.random() < self.rare:
                name = rare_latin_name(rng)
            else:
                name = random_latin_name(rng, self.pools.latin)
            return name, name, True
        if kind == "P":
            ar, en = rng.choice(self.pools.people)
        elif kind == "CITY":
            ar, en = rng.choice(self.pools.places)
        else:
            ar, en = rng.choice(self.pools.orgs)
        return ar, en, False

    def _fill(self, ar_t: str, en_t: str, values: dict[str, tuple[str, str, bool]]) -> tuple[str, str]:
        rng = self.rng

        def value(slot: str) -> tuple[str, str, bool]:
            if slot not in values:
                base = slot.rstrip("23")
                if base in ("P", "CITY", "ORG"):
                    values[slot] = self._name(base)
                elif base in ("C", "CA"):
                    c = rng.choice(self.pools.countries)
                    values["C" + slot[len(base):]] = (c[0], c[1], False)
                    values["CA" + slot[len(base):]] = (c[2], c[3], False)
                elif base == "D":
                    d = rng.choice(DAYS)
                    values[slot] = (d[0], d[1], False)
                elif base == "N":
                    n = str(rng.randint(2, 300))
                    values[slot] = (n.translate(_ARABIC_DIGITS) if rng.random() < 0.2 else n, n, False)
                elif base == "NOUN":
                    values[slot] = (*rng.choice(NOUNS), False)
                elif base == "TOPIC":
                    values[slot] = (*rng.choice(TOPICS), False)
                elif base == "CL":
                    cl_ar, cl_en = rng.choice(CLAUSES)
                    values[slot] = (*self._fill(cl_ar, cl_en, values), False)
                else:
                    raise KeyError(slot)
            return values[slot]

        ar = _SLOT.sub(lambda m: attach(m.group(1), value(m.group(2))[0], value(m.group(2))[2]), ar_t)
        en = _SLOT.sub(lambda m: m.group(1) + value(m.group(2))[1], en_t)
        return ar, en

    def pair(self) -> tuple[str, str]:
        ar_t, en_t = self.rng.choice(TEMPLATES)
        ar, en = self._fill(ar_t, en_t, {})
        # "the X" at sentence start -> "The X"
        if en[:1].islower() and not en.startswith(("and ", "in ", "the foreign", "with ", "to ")):
            en = en[:1].upper() + en[1:]
        elif en.startswith("the ") and en.endswith("."):
            en = "T" + en[1:]
        return ar, en


def seed_filter_from_repo() -> SeedFilter:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    return SeedFilter(texts)


if __name__ == "__main__":
    rng = random.Random(1)
    train, held, excluded = build_pools(seed_filter_from_repo(), rng)
    print(f"people {len(train.people)}/{len(held.people)} places {len(train.places)}/{len(held.places)} "
          f"latin {len(train.latin)}/{len(held.latin)} countries {len(train.countries)} excluded {len(excluded)}")
    print("excluded sample:", excluded[:30])
    gen = Generator(train, rng, rare=0.05)
    for _ in range(25):
        print(*gen.pair(), sep="\t")
