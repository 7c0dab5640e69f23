"""Near-duplicate clustering: a labelled wire-copy test set, its precision and recall, and the
clustering throughput against brute-force pairwise Jaccard and a MinHash scan without LSH.

The test set is generated from Arabic sentences written for this project. Each story (a city,
numbers, an official) gets an agency article and republications of it: lightly edited (a few
words swapped, a sentence dropped or added), re-punctuated (other commas and full stops,
diacritics, digits and paragraph breaks), under a different lead paragraph, and both edited and
re-punctuated. The same story also gets articles that are *not* copies: one written
independently (and a re-punctuated copy of it) and a follow-up that shares the agency's
background paragraph. Pairs of records from one article are positives; all others negatives.
The index is an SQLite file on disk, as in a crawl.

    python -m benchmarks.bench_neardup
"""

from __future__ import annotations

import random
import re
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.report import print_table
from scraper.core.arabic_text import content_hash, fold
from scraper.store.minhash import NUM_PERM, SHINGLE_WORDS, shingles, signature
from scraper.store.neardup import DEFAULT_THRESHOLD, Incoming, NearDupIndex, cluster_key

CITIES = (
    "دمشق",
    "حلب",
    "حمص",
    "حماة",
    "اللاذقية",
    "طرطوس",
    "درعا",
    "السويداء",
    "إدلب",
    "الرقة",
    "دير الزور",
    "الحسكة",
    "القامشلي",
    "منبج",
    "جبلة",
    "تدمر",
)
AGENCIES = ("وكالة سانا", "وكالة الصحافة الفرنسية", "وكالة رويترز", "وكالة الأناضول")
OFFICIALS = (
    "محافظ {city}",
    "مدير المكتب الإعلامي في {city}",
    "رئيس المجلس المحلي في {city}",
    "مسؤول في مديرية الخدمات",
    "متحدث باسم {org}",
)
ORGS = ("الدفاع المدني", "الهلال الأحمر", "مديرية الصحة", "المؤسسة السورية للمخابز", "البلدية")
DAYS = ("السبت", "الأحد", "الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة")


@dataclass(frozen=True)
class Kind:
    """The sentences of one kind of story: leads, body sentences and agency background."""

    leads: tuple[str, ...]
    sentences: tuple[str, ...]
    background: str


KINDS = (
    Kind(
        leads=(
            "أعلنت {org} في {city} رفع سعر ربطة الخبز المدعوم إلى {price} ليرة سورية، اعتبارًا من يوم {day} المقبل.",
            "قررت السلطات المحلية في {city} زيادة سعر الخبز المدعوم للمرة الثانية خلال عام، ليصل سعر الربطة إلى {price} ليرة.",
            "يدفع سكان {city} منذ يوم {day} سعرًا جديدًا لربطة الخبز بلغ {price} ليرة، بعد قرار رسمي بتخفيض الدعم.",
            "في خطوة أثارت استياء الأهالي، رفعت {org} سعر الخبز في {city} إلى {price} ليرة للربطة الواحدة.",
        ),
        sentences=(
            "و[قال|ذكر] {official} في تصريح [صحفي|لوسائل إعلام محلية] إن القرار جاء بسبب ارتفاع تكاليف الطحين والمازوت ونقص التمويل.",
            "وأوضح أن عدد الأرغفة في الربطة سيبقى {n} أرغفة، وأن وزنها لن يتغير [رغم زيادة السعر|في الوقت الحالي].",
            "ويعتمد نحو {big} شخص في {city} وريفها على الخبز المدعوم [بشكل يومي|لتأمين غذائهم].",
            "وشهدت الأفران [صباح اليوم|منذ ساعات الفجر] طوابير طويلة، بحسب ما رصده مراسلون في المدينة.",
            "وأشار صاحب فرن خاص إلى أن سعر الكيلوغرام من الطحين ارتفع بنسبة {pct} بالمئة خلال الشهر الماضي.",
            "وطالب أهال بزيادة مخصصات الأفران من الطحين بدل رفع الأسعار، مؤكدين أن الدخل الشهري لا يكفي [لأسبوع واحد|لأيام معدودة].",
            "ويبلغ متوسط راتب الموظف الحكومي نحو {salary} ليرة شهريًا، في حين تحتاج الأسرة إلى أضعاف هذا المبلغ.",
            "وكانت الحكومة قد خفضت مخصصات الأسرة من الخبز عبر البطاقة الذكية قبل {n} أشهر.",
            "وتقول {org} إنها تبيع الخبز بأقل من كلفته الحقيقية، وإن العجز السنوي في قطاع المخابز [كبير|يتجاوز قدرتها].",
            "وانتشرت على مواقع التواصل الاجتماعي تعليقات ساخرة من القرار، تساءل بعضها عن جدوى الدعم [أصلًا|من الأساس].",
            "وتراجعت جودة الخبز في الأشهر الأخيرة، بحسب شكاوى متكررة من السكان حول طعمه ولونه.",
            "ولجأ بعض السكان إلى شراء الخبز السياحي رغم ارتفاع سعره، بسبب الازدحام أمام الأفران العامة.",
        ),
        background=(
            "وتعاني سوريا منذ سنوات من أزمة في توفير القمح، بعد تراجع الإنتاج المحلي وخروج مساحات زراعية واسعة من الخدمة. "
            "وكانت البلاد تنتج قبل عام 2011 نحو أربعة ملايين طن من القمح سنويًا، وتصدّر الفائض إلى دول الجوار."
        ),
    ),
    Kind(
        leads=(
            "ارتفعت ساعات تقنين الكهرباء في {city} إلى {hours} ساعات يوميًا، وسط انخفاض درجات الحرارة وزيادة الطلب على التدفئة.",
            "يعيش سكان {city} منذ أيام على ساعتين فقط من الكهرباء يوميًا، بعد خروج محطة توليد رئيسية عن الخدمة.",
            "أعلنت شركة الكهرباء عن برنامج تقنين جديد في {city} يقضي بقطع التيار لمدة {hours} ساعات مقابل ساعة وصل.",
            "تغرق أحياء واسعة من {city} في الظلام معظم ساعات اليوم، مع تراجع كميات الغاز الواصلة إلى محطات التوليد.",
        ),
        sentences=(
            "و[قال|أكد] {official} إن سبب الانقطاع يعود إلى نقص إمدادات الغاز والفيول عن محطات التوليد.",
            "وأضاف أن الورشات الفنية تعمل على إصلاح الأعطال في خطوط النقل، متوقعًا تحسن الوضع خلال {n} أيام.",
            "ويضطر السكان إلى الاشتراك في مولدات خاصة، يصل سعر الأمبير الواحد فيها إلى {price} ليرة [أسبوعيًا|في الأسبوع].",
            "وتأثرت المشافي والأفران ومحطات ضخ المياه بالانقطاع، ما اضطرها إلى تشغيل مولدات احتياطية.",
            "واشتكى أصحاب ورشات صغيرة من توقف أعمالهم، مؤكدين أنهم خسروا معظم زبائنهم خلال [الشهر الحالي|الأسابيع الماضية].",
            "ولجأت عائلات إلى ألواح الطاقة الشمسية والبطاريات، رغم كلفتها المرتفعة مقارنة بالدخل.",
            "وتحتاج الشبكة إلى نحو {n} آلاف ميغاواط لتغطية الطلب، بينما لا يتجاوز الإنتاج الحالي نصف هذه الكمية.",
            "وأكد موظفون في شركة الكهرباء أن سرقة الكابلات والمحولات زادت من حجم الأعطال في [الأرياف|القرى البعيدة].",
            "ويرى خبراء في قطاع الطاقة أن إصلاح المحطات القديمة يحتاج إلى استثمارات لا تملكها الحكومة حاليًا.",
            "وانتقد سكان غياب العدالة في توزيع ساعات الوصل بين الأحياء، مشيرين إلى أن بعض المناطق لا تخضع للتقنين.",
            "وخلال ساعات الوصل القصيرة يسارع الأهالي إلى شحن الهواتف وتشغيل الغسالات وضخ المياه إلى الخزانات.",
            "وتحدث {official} عن اتفاق لاستجرار الكهرباء من دول مجاورة، دون أن يحدد موعدًا [لتنفيذه|لبدء العمل به].",
        ),
        background=(
            "ودمرت سنوات الحرب أجزاء كبيرة من البنية التحتية لقطاع الكهرباء، بما فيها محطات التوليد وخطوط النقل. "
            "وتقدّر خسائر القطاع بمليارات الدولارات، بحسب تصريحات سابقة لمسؤولين في وزارة الكهرباء."
        ),
    ),
    Kind(
        leads=(
            "تضررت {m} خيمة على الأقل في مخيمات ريف {city} جراء السيول التي سببتها الأمطار الغزيرة خلال الليلة الماضية.",
            "أغرقت مياه الأمطار عشرات الخيام في ريف {city}، وأجبرت عائلات نازحة على ترك مساكنها المؤقتة في ساعات الفجر.",
            "قال فريق {org} إن العاصفة المطرية التي ضربت ريف {city} ألحقت أضرارًا بـ{m} خيمة وقطعت طرقًا ترابية بين المخيمات.",
            "عاشت آلاف العائلات في مخيمات ريف {city} ليلة صعبة، بعدما تحولت الطرق بين الخيام إلى برك من الوحل.",
        ),
        sentences=(
            "و[أوضح|بيّن] {official} أن فرق الإنقاذ أخلت {m} عائلة إلى مراكز إيواء مؤقتة في المدارس والمساجد القريبة.",
            "ولم تسجل إصابات بشرية حتى الآن، لكن الأضرار المادية كبيرة، وفق [الإحصائيات الأولية|التقديرات الأولى].",
            "وجرفت المياه أغطية وفرشًا ومواد غذائية كانت مخزنة داخل الخيام، ما ضاعف معاناة السكان.",
            "وناشدت إدارات المخيمات المنظمات الإنسانية تقديم خيام بديلة وعوازل بلاستيكية ووقود للتدفئة بشكل عاجل.",
            "وتقع معظم المخيمات المتضررة في أراض زراعية منخفضة، تتجمع فيها مياه الأمطار [كل شتاء|في كل موسم].",
            "وعملت آليات ثقيلة على فتح قنوات لتصريف المياه وفرش الطرق بالحصى، بحسب فرق الاستجابة.",
            "وقالت نازحة تقيم في المخيم منذ {n} سنوات إن المشهد يتكرر كل عام دون حلول حقيقية.",
            "وتوقعت الأرصاد الجوية استمرار الهطولات المطرية حتى نهاية الأسبوع، مع انخفاض ملحوظ في درجات الحرارة.",
            "ويقيم في المنطقة أكثر من {big} نازح، يعيش قسم كبير منهم في خيام مهترئة لم تستبدل منذ سنوات.",
            "ودعا ناشطون إلى نقل العائلات إلى مساكن إسمنتية تحميها من البرد والسيول في [فصل الشتاء|الأشهر الباردة].",
            "وتسببت الأمطار أيضًا في انهيار جدران طينية لعدد من المنازل في القرى المجاورة.",
            "وأشار {official} إلى أن الاستجابة ما زالت دون الحاجة بسبب نقص التمويل المخصص لفصل الشتاء.",
        ),
        background=(
            "وتتكرر مأساة المخيمات في كل فصل شتاء، مع غياب البنية التحتية وشبكات الصرف الصحي في معظمها. "
            "وتقول الأمم المتحدة إن خطة الاستجابة الإنسانية في سوريا لم تحصل إلا على جزء صغير من التمويل المطلوب هذا العام."
        ),
    ),
    Kind(
        leads=(
            "قتل {n} مدنيين وأصيب {m} آخرون بقصف مدفعي استهدف قرى في ريف {city} صباح يوم {day}.",
            "ارتفعت حصيلة ضحايا القصف الذي طال ريف {city} إلى {n} قتلى، بينهم أطفال، بحسب مصادر طبية محلية.",
            "استهدف قصف صاروخي منازل مدنيين في ريف {city}، ما أدى إلى سقوط {n} قتلى وعدد من الجرحى.",
            "شهد ريف {city} تصعيدًا عسكريًا جديدًا، إذ قتل {n} أشخاص بقذائف سقطت على أحياء سكنية وسوق شعبي.",
        ),
        sentences=(
            "وقال {org} إن فرقه نقلت المصابين إلى المشافي القريبة، وإن بعضهم في حالة [حرجة|خطرة].",
            "وأضاف أن القذائف سقطت على منازل وسط القرية وعلى طريق يستخدمه المزارعون للوصول إلى أراضيهم.",
            "ووثق ناشطون تضرر مدرسة ومسجد ومحال تجارية، إضافة إلى احتراق عدد من السيارات.",
            "وشهدت القرى المستهدفة حركة نزوح لعشرات العائلات باتجاه المناطق الحدودية [الأكثر أمانًا|البعيدة عن خطوط التماس].",
            "ولم تصدر الجهة المسؤولة عن القصف أي تعليق حول الحادثة حتى ساعة إعداد هذا التقرير.",
            "ودانت منظمات حقوقية استهداف المدنيين، مطالبة بتحقيق مستقل ومحاسبة المسؤولين.",
            "ويأتي القصف بعد أيام من اجتماع جمع ممثلي الأطراف الضامنة لبحث تثبيت وقف إطلاق النار.",
            "وقال أحد سكان القرية إن القذائف بدأت بالسقوط في وقت مبكر، حين كان الأطفال يستعدون للذهاب إلى المدارس.",
            "وعلّقت مديرية التربية الدوام في {n} مدارس بالمنطقة حفاظًا على سلامة الطلاب والمعلمين.",
            "وأحصى فريق منسقي الاستجابة أكثر من {big} خرق لاتفاق وقف إطلاق النار منذ بداية العام.",
            "وتعرضت المنطقة ذاتها لقصف مماثل قبل {n} أسابيع، أدى إلى أضرار في شبكة المياه.",
            "وتحلق طائرات استطلاع في أجواء المنطقة بشكل مستمر منذ مساء أمس، وفق [مراصد محلية|ناشطين في المنطقة].",
        ),
        background=(
            "ويخضع ريف {city} لاتفاق خفض التصعيد الموقع منذ سنوات، لكن الخروقات لم تتوقف. "
            "وتسبب التصعيد العسكري في المنطقة خلال الأشهر الماضية بنزوح آلاف العائلات، وفق تقارير أممية."
        ),
    ),
    Kind(
        leads=(
            "بدأ {big} طالب وطالبة في {city} امتحانات الشهادة الثانوية يوم {day}، في {m} مركزًا امتحانيًا.",
            "توجه آلاف الطلاب في {city} صباح اليوم إلى قاعات الامتحان، مع انطلاق امتحانات الشهادة الثانوية بمادة التربية الدينية.",
            "أعلنت مديرية التربية في {city} جاهزية المراكز الامتحانية لاستقبال طلاب الشهادة الثانوية، مع بدء الامتحانات يوم {day}.",
            "انطلقت في {city} امتحانات الشهادة الثانوية وسط إجراءات مشددة لمنع الغش وقطع لشبكة الإنترنت في أوقات الامتحان.",
        ),
        sentences=(
            "و[قال|أوضح] {official} إن المديرية جهزت المراكز بالمقاعد والمراوح ومولدات الكهرباء.",
            "وأوضح أن عدد المراقبين المكلفين بلغ {big} مراقب، إضافة إلى لجان تفقد تجول على المراكز.",
            "واشتكى طلاب من صعوبة أسئلة مادة الرياضيات، مؤكدين أن الوقت المخصص لم يكن [كافيًا|كافيًا لحل الأسئلة].",
            "وتقطع شبكة الإنترنت في أوقات الامتحانات منذ سنوات، بحجة منع تسريب الأسئلة.",
            "وأشار أولياء أمور إلى ارتفاع تكاليف الدروس الخصوصية، التي تصل إلى {price} ليرة للساعة الواحدة.",
            "وخصصت المديرية قاعات لطلاب الحالات الخاصة، مع توفير مرافقين لمساعدتهم خلال الامتحان.",
            "ويتقدم للامتحان هذا العام طلاب من المناطق المجاورة، بعد فتح مراكز خاصة [لاستقبالهم|لهم في المدينة].",
            "وتصدر النتائج عادة بعد نحو شهر من انتهاء الامتحانات، وتنشر على الموقع الرسمي لوزارة التربية.",
            "وقالت طالبة إنها درست طوال العام على ضوء البطاريات بسبب انقطاع الكهرباء المتكرر.",
            "ومنعت المديرية إدخال الهواتف المحمولة إلى القاعات، وهددت بحرمان المخالفين من الامتحان لدورتين.",
            "وتحدثت معلمات عن نقص الكوادر التعليمية في مدارس الأرياف، وهجرة عدد كبير من [المعلمين|المدرسين].",
            "وسجلت المديرية {n} حالات غش في اليوم الأول، اتخذت بحق أصحابها الإجراءات القانونية.",
        ),
        background=(
            "وتعاني العملية التعليمية في سوريا من تضرر آلاف المدارس وتسرب أعداد كبيرة من الأطفال. "
            "وتقدّر منظمة الأمم المتحدة للطفولة عدد الأطفال المتسربين من التعليم بأكثر من مليوني طفل."
        ),
    ),
)
#: Sentences that fit any story.
GENERIC = (
    "ولم يصدر أي تعليق رسمي إضافي حتى لحظة نشر هذا الخبر.",
    "وتناقلت صفحات محلية صورًا ومقاطع مصورة تظهر حجم المعاناة في {city}.",
    "ويعيش أكثر من تسعين بالمئة من السوريين تحت خط الفقر، وفق تقديرات [أممية|الأمم المتحدة].",
    "وتشهد الليرة السورية تراجعًا مستمرًا أمام الدولار الأمريكي، ما ينعكس على أسعار السلع والخدمات.",
    "وطالب ناشطون الجهات المعنية بتحمل مسؤولياتها وإيجاد حلول عاجلة للمشكلة [قبل تفاقمها|دون تأخير].",
    "وقال أحد الأهالي إن الأوضاع تزداد سوءًا يومًا بعد يوم، وإن أحدًا لا يستمع إلى شكاوى الناس.",
    "وتحدثت مصادر محلية عن حالة من الغضب بين السكان، وسط مطالبات بمحاسبة المقصرين.",
    "وتأتي هذه التطورات في ظل أزمة اقتصادية خانقة تعيشها البلاد منذ سنوات.",
    "وعقد {official} اجتماعًا مع ممثلين عن الأهالي يوم {day} لبحث [الأزمة|المشكلة] والحلول الممكنة.",
    "وتخشى عائلات كثيرة من أن تتحول هذه الأزمة إلى واقع دائم كما حدث في أزمات سابقة.",
)
#: Words an editor swaps; both spellings are common in Syrian news copy.
SYNONYMS = {
    "قال": "أفاد",
    "وقال": "وأفاد",
    "وأضاف": "وتابع",
    "وأوضح": "وبيّن",
    "بحسب": "وفق",
    "الماضي": "المنصرم",
    "نحو": "حوالي",
    "أكثر": "ما يزيد",
    "وأشار": "ولفت",
    "مؤكدين": "مشددين",
    "السكان": "الأهالي",
    "الحالي": "الجاري",
}
#: Sentences an outlet adds when it republishes.
ADDITIONS = (
    "وتتابع {outlet} تطورات الموضوع وتنشر التفاصيل تباعًا.",
    "وحاولت {outlet} التواصل مع الجهات المعنية للحصول على تعليق دون أن تتلقى ردًا.",
)
OUTLETS = ("عنب بلدي", "صحيفة الوطن", "موقع تلفزيون سوريا", "شبكة شام")
_CHOICE = re.compile(r"\[([^\]]+)\]")
_TASHKEEL = "\u064e\u064f\u0650\u0651"


@dataclass(frozen=True)
class Sample:
    """One record of the test set; records with the same ``source`` are copies of one article."""

    url: str
    source: str
    body_search: tuple[str, ...]
    content_hash: str


def _sample(url: str, source: str, title: str, body: Sequence[str]) -> Sample:
    folded = tuple(fold(paragraph) for paragraph in body)
    return Sample(url, source, folded, content_hash(title, list(body)))


@dataclass(frozen=True)
class Story:
    kind: Kind
    slots: dict[str, str]

    def fill(self, rng: random.Random, template: str) -> str:
        text = _CHOICE.sub(lambda m: rng.choice(m[1].split("|")), template)
        return text.format(**self.slots)


def _story(rng: random.Random) -> Story:
    city, org = rng.choice(CITIES), rng.choice(ORGS)
    slots = {
        "city": city,
        "org": org,
        "official": rng.choice(OFFICIALS).format(city=city, org=org),
        "day": rng.choice(DAYS),
        "n": str(rng.randint(3, 9)),
        "m": str(rng.randint(11, 90)),
        "hours": str(rng.randint(4, 10)),
        "big": f"{rng.randint(12, 480)} ألف",
        "price": str(rng.randint(2, 90) * 100),
        "pct": str(rng.randint(10, 60)),
        "salary": f"{rng.randint(3, 9)}00 ألف",
    }
    return Story(rng.choice(KINDS), slots)


def _article(rng: random.Random, story: Story, lead: str, background: bool) -> list[str]:
    """A lead, five to seven paragraphs of two or three sentences, maybe the background."""
    pool = [*story.kind.sentences, *GENERIC]
    sentences = [story.fill(rng, s) for s in rng.sample(pool, rng.randint(14, 18))]
    paragraphs = [story.fill(rng, lead)]
    while sentences:
        size = rng.randint(2, 3)
        paragraphs.append(" ".join(sentences[:size]))
        sentences = sentences[size:]
    if background:
        paragraphs.append(story.fill(rng, story.kind.background))
    return paragraphs


def light_edit(rng: random.Random, paragraphs: list[str]) -> list[str]:
    """Swap up to four words for synonyms, then drop the last sentence of the body or add one
    of the outlet's own before the background."""
    words = [paragraph.split(" ") for paragraph in paragraphs]
    spots = [(i, j) for i, para in enumerate(words) for j, w in enumerate(para) if w in SYNONYMS]
    for i, j in rng.sample(spots, min(4, len(spots))):
        words[i][j] = SYNONYMS[words[i][j]]
    edited = [" ".join(para) for para in words]
    if rng.random() < 0.5:
        head = edited[-2].rpartition(". ")[0]
        edited[-2] = f"{head}." if head else edited[-2]
    else:
        addition = rng.choice(ADDITIONS).format(outlet=rng.choice(OUTLETS))
        edited.insert(len(edited) - 1, addition)
    return edited


def repunctuate(rng: random.Random, paragraphs: list[str]) -> list[str]:
    """Other commas and full stops, diacritics, digits and paragraph breaks; the same words."""
    text = "\n".join(paragraphs)
    text = text.replace("،", rng.choice((",", " ،", ""))).replace(".", rng.choice((" .", "..")))
    text = re.sub(r"(\w{4,})", lambda m: _decorate(rng, m[1]), text)
    text = text.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    merged = text.split("\n")
    cut = rng.randrange(1, len(merged) - 1)
    merged[cut : cut + 2] = [" ".join(merged[cut : cut + 2])]
    return merged


def _decorate(rng: random.Random, word: str) -> str:
    return word[:2] + rng.choice(_TASHKEEL) + word[2:] if rng.random() < 0.1 else word


def wire_corpus(stories: int = 40, seed: int = 11) -> list[Sample]:
    """The labelled test set, in a shuffled arrival order."""
    rng = random.Random(seed)
    samples: list[Sample] = []
    for number in range(stories):
        story = _story(rng)
        samples.extend(_story_samples(rng, story, f"s{number}"))
    rng.shuffle(samples)
    return samples


def _story_samples(rng: random.Random, story: Story, name: str) -> list[Sample]:
    wire_lead, own_lead, other_lead, follow_lead = rng.sample(story.kind.leads, 4)
    wire = _article(rng, story, wire_lead, background=True)
    independent = _article(rng, story, other_lead, background=False)
    versions = (
        ("wire", "wire", wire),
        ("edited", "wire", light_edit(rng, wire)),
        ("repunctuated", "wire", repunctuate(rng, wire)),
        ("new-lead", "wire", [story.fill(rng, own_lead), *wire[1:]]),
        ("edited-repunctuated", "wire", repunctuate(rng, light_edit(rng, wire))),
        ("independent", "independent", independent),
        ("independent-repunctuated", "independent", repunctuate(rng, independent)),
        ("follow-up", "follow-up", _article(rng, story, follow_lead, background=True)),
    )
    title = story.slots["city"]
    return [
        _sample(f"https://{name}.example/{label}", f"{name}/{source}", title, body)
        for label, source, body in versions
    ]


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    positives: int
    pairs: int


def pair_scores(samples: Sequence[Sample], clusters: Sequence[str]) -> Scores:
    """Pairwise precision and recall of a clustering against the samples' sources."""
    sources = [sample.source for sample in samples]
    both = _pairs(Counter(zip(sources, clusters, strict=True)))
    together, same = _pairs(Counter(clusters)), _pairs(Counter(sources))
    return Scores(
        precision=both / max(1, together),
        recall=both / max(1, same),
        positives=same,
        pairs=len(samples) * (len(samples) - 1) // 2,
    )


def _pairs(groups: Counter[Any]) -> int:
    return sum(n * (n - 1) // 2 for n in groups.values())


def cluster_with_index(
    samples: Sequence[Sample], threshold: float = DEFAULT_THRESHOLD
) -> list[str]:
    """Cluster as ``akhbar export --dedup near`` does (``assign_all``, with an index file in a
    temporary folder), then map each id through the merges found later."""
    incoming = [Incoming(s.url, s.content_hash, s.body_search) for s in samples]
    with _index(threshold) as index:
        return [index.resolve(found.cluster_id) for found in index.assign_all(incoming)]


def cluster_one_at_a_time(
    samples: Sequence[Sample], threshold: float = DEFAULT_THRESHOLD
) -> list[str]:
    """Cluster as the crawl's pipeline does: ``assign`` for each record as it comes."""
    with _index(threshold) as index:
        written = [index.assign(s.url, s.content_hash, s.body_search).cluster_id for s in samples]
        return [index.resolve(cluster) for cluster in written]


@contextmanager
def _index(threshold: float) -> Iterator[NearDupIndex]:
    with (
        tempfile.TemporaryDirectory() as folder,
        NearDupIndex(Path(folder) / "neardup.sqlite", threshold) as index,
    ):
        yield index


def cluster_brute_force(
    samples: Sequence[Sample], threshold: float = DEFAULT_THRESHOLD
) -> list[str]:
    """Exact Jaccard similarity with every earlier record."""
    sets: list[set[bytes]] = []

    def similar(row: int) -> list[int]:
        mine = shingles(samples[row].body_search)
        sets.append(mine)
        return [i for i, theirs in enumerate(sets[:row]) if _jaccard(mine, theirs) >= threshold]

    return _single_link(samples, similar)


def _jaccard(a: set[bytes], b: set[bytes]) -> float:
    return len(a & b) / len(a | b)


def cluster_minhash_scan(
    samples: Sequence[Sample], threshold: float = DEFAULT_THRESHOLD
) -> list[str]:
    """The same MinHash signatures, compared with every earlier one instead of through LSH."""
    signatures = np.empty((len(samples), NUM_PERM), dtype=np.uint32)

    def similar(row: int) -> list[int]:
        signatures[row] = signature(samples[row].body_search)
        matches = np.count_nonzero(signatures[:row] == signatures[row], axis=1)
        return np.flatnonzero(matches >= threshold * NUM_PERM).tolist()  # type: ignore[no-any-return]

    return _single_link(samples, similar)


def _single_link(samples: Sequence[Sample], similar: Callable[[int], list[int]]) -> list[str]:
    """Each record joins every earlier record ``similar`` finds; clusters are named after
    their oldest record, as :class:`NearDupIndex` names them once merges are resolved."""
    root = list(range(len(samples)))

    def find(row: int) -> int:
        while root[row] != row:
            row = root[row]
        return row

    for row in range(len(samples)):
        for other in similar(row):
            low, high = sorted((find(row), find(other)))
            root[high] = low
    return [cluster_key(samples[find(row)].url) for row in range(len(samples))]


def _timed(
    method: Callable[[Sequence[Sample]], list[str]], samples: Sequence[Sample]
) -> tuple[float, Scores]:
    start = time.perf_counter()
    clusters = method(samples)
    return len(samples) / (time.perf_counter() - start), pair_scores(samples, clusters)


def _row(
    samples: Sequence[Sample], name: str, baseline: Callable[[Sequence[Sample]], list[str]]
) -> dict[str, object]:
    rate, scores = _timed(cluster_with_index, samples)
    single_rate, _ = _timed(cluster_one_at_a_time, samples)
    base_rate, base_scores = _timed(baseline, samples)
    return {
        "benchmark": f"near-dup clustering, {len(samples)} records",
        "baseline": name,
        "ratio": rate / base_rate,
        "figures": (
            f"MinHash+LSH (SQLite) {rate:.0f} rec/s (P {scores.precision:.3f} R {scores.recall:.3f}),"
            f" one at a time as in a crawl {single_rate:.0f} rec/s,"
            f" baseline {base_rate:.0f} rec/s (P {base_scores.precision:.3f}"
            f" R {base_scores.recall:.3f}); {SHINGLE_WORDS}-word shingles, {NUM_PERM} perms,"
            f" threshold {DEFAULT_THRESHOLD}"
        ),
    }


def run() -> list[dict[str, object]]:
    """Brute force is quadratic, so it gets 1,200 records; the scan gets 12,000, an index size
    at which comparing with every signature starts to cost."""
    return [
        _row(wire_corpus(150), "brute-force pairwise Jaccard", cluster_brute_force),
        _row(wire_corpus(1500), "MinHash scan without LSH", cluster_minhash_scan),
    ]


if __name__ == "__main__":
    print_table(run())
