"""Arabic news text for the replica, composed from phrases written for this project.

The phrases carry the traits of real Syrian news copy: “ ” quotes used inconsistently (some
reversed, some plain ASCII), a tatweel after a one-letter prefix before a quote (بـ”),
Levantine month names in running text, and Arabic-Indic digits in places.
"""

from __future__ import annotations

import random

LEVANTINE_MONTHS = (
    "كانون الثاني",
    "شباط",
    "آذار",
    "نيسان",
    "أيار",
    "حزيران",
    "تموز",
    "آب",
    "أيلول",
    "تشرين الأول",
    "تشرين الثاني",
    "كانون الأول",
)
_ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")

ACTORS = (
    "وزارة الاقتصاد",
    "الأمم المتحدة",
    "“الإدارة الذاتية”",
    "الحكومة السورية المؤقتة",
    "منظمة ”الدفاع المدني“",
    "مجلس محافظة حلب",
    "تركيا",
    "الأردن",
    "لبنان",
    "مديرية التربية في إدلب",
    '"الهلال الأحمر"',
    "غرفة تجارة دمشق",
    "نقابة المعلمين",
)
VERBS = (
    "تعلّق على",
    "تعلن عن",
    "تنفي",
    "تحذّر من",
    "تدعو إلى",
    "تناقش",
    "ترحب بـ”",
    "تكشف تفاصيل",
    "تبدأ تنفيذ",
    "تطالب بـ”",
)
TOPICS = (
    "خطة لإصلاح شبكة الكهرباء",
    "ارتفاع أسعار المحروقات",
    "عودة اللاجئين من لبنان",
    "امتحانات الشهادة الثانوية",
    "أزمة الخبز في الأرياف",
    "مشروع لترميم المدارس",
    "تقرير عن أوضاع المخيمات",
    "اتفاق لتبادل المحاصيل",
    "قرار بتخفيض الرسوم الجمركية",
    "حملة لقاح ضد الحصبة",
    "افتتاح معبر تجاري جديد",
    "تعديل رواتب الموظفين",
)
PLACES = (
    "حلب",
    "إدلب",
    "دمشق",
    "ريف حمص الشمالي",
    "درعا",
    "القامشلي",
    "دير الزور",
    "اللاذقية",
    "منبج",
    "السويداء",
    "جسر الشغور",
    "عفرين",
)
SECTIONS = (
    ("سوريا", "syria"),
    ("اقتصاد", "economy"),
    ("عربي ودولي", "world"),
    ("مجتمع", "society"),
)
TAGS = (
    "حلب",
    "إدلب",
    "اللاجئين",
    "الكهرباء",
    "الاقتصاد السوري",
    "التعليم",
    "المخيمات",
    "الليرة السورية",
    "تركيا",
    "الأمم المتحدة",
    "الزراعة",
    "الصحة",
)
AUTHORS = ("حسن إبراهيم", "ريم حمود", "خالد الجرعتلي", "جنى العيسى", "عنب بلدي - إدلب")
CREDITS = (
    "الإعلام العسكري",
    "عنب بلدي",
    "رويترز",
    "AFP",
    "الدفاع المدني السوري",
    "عنب بلدي/ أنس الخربوطلي",
    "محافظة حلب/ فيسبوك",
)
SCENES = (
    "عمال يصلحون خطوط الكهرباء",
    "طلاب أمام مدرسة",
    "سوق شعبية",
    "مخيم للنازحين",
    "شاحنات محملة بالقمح",
    "متطوعون يوزعون مساعدات",
    "ورشة لترميم منزل",
)
SENTENCES = (
    "قال مسؤول في {actor} لعنب بلدي، إن {topic} سيبدأ خلال {n} أيام في {place}.",
    "وأضاف أن “الظروف الحالية لا تسمح بتأخير إضافي”، مشيرًا إلى أن الخطة تشمل {n} قرية.",
    "وبحسب ما رصدته عنب بلدي في {place}، ارتفع سعر الكيلو إلى {price} ليرة سورية.",
    "ووصفت مصادر محلية ما جرى بـ”الخطوة المتأخرة”، بعد أشهر من المطالبات.",
    "وكانت {actor} أعلنت، في {date}، عن {topic}، دون أن تحدد موعدًا للتنفيذ.",
    "وتخضع {place} لاتفاق ”خفض التصعيد“ الموقّع في آذار 2020، بحسب بيانات رسمية.",
    "ويعاني السكان من نقص في الخدمات، إذ لا تصل المياه إلى الأحياء سوى {n} مرات أسبوعيًا.",
    'وأكد أحد الأهالي أن "الأسعار تضاعفت" خلال العام الحالي، مقارنة بعام {year}.',
    "ولم تعلّق {actor} على الموضوع حتى لحظة تحرير هذا الخبر.",
    "وتقدّر منظمات إنسانية عدد المستفيدين بنحو {big} شخص في {place} وريفها.",
    "وجاء ذلك خلال اجتماع عُقد في {place}، حضره ممثلون عن {actor} ووجهاء محليون.",
    "ويأتي القرار بعد {n} أسابيع من احتجاجات طالبت بـ“تحسين الواقع المعيشي”.",
)


def _digits(rng: random.Random, number: int) -> str:
    """A number in Latin digits, or now and then in Arabic-Indic ones, as the site mixes them."""
    text = str(number)
    return text.translate(_ARABIC_INDIC) if rng.random() < 0.2 else text


def levantine_date(rng: random.Random) -> str:
    return f"{rng.randint(1, 28)} من {rng.choice(LEVANTINE_MONTHS)} {rng.choice((2023, 2024))}"


def title(rng: random.Random) -> str:
    verb = rng.choice(VERBS)
    topic = rng.choice(TOPICS)
    closing = "”" if verb.endswith("”") else ""
    opening = "" if closing else " "
    return f"{rng.choice(ACTORS)} {verb}{opening}{topic}{closing}"


def sentence(rng: random.Random) -> str:
    return rng.choice(SENTENCES).format(
        actor=rng.choice(ACTORS),
        topic=rng.choice(TOPICS),
        place=rng.choice(PLACES),
        n=_digits(rng, rng.randint(2, 12)),
        price=_digits(rng, rng.randint(15, 90) * 100),
        big=_digits(rng, rng.randint(10, 500) * 1000),
        year=rng.randint(2018, 2023),
        date=levantine_date(rng),
    )


def paragraph(rng: random.Random) -> str:
    return " ".join(sentence(rng) for _ in range(rng.randint(1, 3)))


def caption(rng: random.Random) -> tuple[str, str | None]:
    """A photo caption (scene, place and date) and its credit, or no credit now and then."""
    text = f"{rng.choice(SCENES)} في {rng.choice(PLACES)}- {levantine_date(rng)}"
    return text, (rng.choice(CREDITS) if rng.random() < 0.9 else None)
