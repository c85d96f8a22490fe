"""Tests of policies.language, with the calibration set its thresholds were chosen on.

The thresholds in policies/language.py were chosen so that every calibration sentence passes under
every code of its family and is refused under every other family's code once it is long enough to
judge; the numbers behind them are in that module's comments.
"""

from __future__ import annotations

import re
import threading
import time

import pytest
from lingua import LanguageDetector

import policies.language as language_module
from policies import LanguageCheck, LanguageMismatch, PolicyError

CHECK = LanguageCheck()  # one for the module: lingua loads a script's models on first use (~3 s)

CODES = {
    "en": ("en", "EN"),
    "zh": ("zh", "cmn", "zh-Hans", "zh-Hant", "yue", "zh-hans", "ZH-HANT"),
    "th": ("th", "TH"),
    "vi": ("vi", "Vi"),
}
ALL_CODES = tuple(code for codes in CODES.values() for code in codes)

# Calibration set: factory training narration, HR notices, short fraud-like lines, and phrases of
# two to five words. Every sentence must pass under every code of its own family, and be refused
# under every other family's code when it is long enough to judge.
ENGLISH = (
    "Welcome to the plant. Safety glasses are required beyond this point.",
    "Always lock out the press before clearing a jam.",
    "Forklifts have right of way in the loading bay.",
    "Report every near miss to your shift supervisor.",
    "The fire assembly point is at the north car park.",
    "Wash your hands before entering the clean room.",
    "Hearing protection is mandatory in zone B.",
    "Open enrolment for health benefits closes on Friday.",
    "Please complete your annual compliance training by the end of the month.",
    "The canteen will be closed on Monday for maintenance.",
    "Payslips are now available in the employee portal.",
    "Hi, it's me, I need you to buy gift cards right now.",
    "Call me back on this number, it's urgent.",
    "Don't tell anyone about this transfer yet.",
    "Good morning team.",
    "Mind the gap.",
    "Check your badge.",
    "Thank you for listening.",
    "Wear your gloves.",
)
CHINESE = (
    "欢迎来到工厂，进入车间前请佩戴安全眼镜。",
    "清理卡料前必须先关闭冲压机电源。",
    "叉车在装卸区享有优先通行权。",
    "请向班组长报告每一次险肇事故。",
    "紧急集合点位于北侧停车场。",
    "进入洁净室前请洗手。",
    "年度合规培训须在本月底前完成。",
    "周一食堂因维修暂停开放。",
    "工资单现已在员工门户上发布。",
    "是我，马上帮我买几张礼品卡。",
    "这件事很急，请尽快回电话。",
    "早上好",
    "注意安全",
    "谢谢大家",
    "请戴好耳塞。",
    "歡迎參加新員工培訓。",
    "請在離開前關閉所有機器。",
    "人事部通知：下週三將進行消防演習。",
    "請勿將密碼告訴任何人。",
    "您好",
    # Cantonese, written colloquially
    "你可唔可以話我知",
    "唔該你幫我睇下呢部機。",
    "我哋今日要做安全檢查。",
    "佢而家喺邊度？",
    "快啲過數俾我，好急㗎。",
    "收工之前記得熄燈。",
)
THAI = (
    "ยินดีต้อนรับสู่โรงงาน กรุณาสวมแว่นตานิรภัยก่อนเข้าพื้นที่นี้",
    "ต้องปิดเครื่องก่อนทำความสะอาดทุกครั้ง",
    "รถยกมีสิทธิ์ผ่านก่อนในพื้นที่ขนถ่ายสินค้า",
    "กรุณารายงานเหตุการณ์เกือบเกิดอุบัติเหตุต่อหัวหน้ากะ",
    "จุดรวมพลอยู่ที่ลานจอดรถด้านทิศเหนือ",
    "กรุณาล้างมือก่อนเข้าห้องสะอาด",
    "การฝึกอบรมประจำปีต้องเสร็จภายในสิ้นเดือนนี้",
    "โรงอาหารจะปิดในวันจันทร์เพื่อซ่อมบำรุง",
    "สลิปเงินเดือนดูได้ในระบบพนักงานแล้ว",
    "นี่ผมเอง ช่วยโอนเงินให้หน่อย ด่วนมาก",
    "อย่าบอกใครเรื่องนี้นะ",
    "สวัสดีครับ",
    "ขอบคุณค่ะ",
    "ระวังพื้นลื่น",
    "สวมหมวกนิรภัย",
    "กรุณาโทรกลับด่วน",
)
VIETNAMESE = (
    "Chào mừng các bạn đến với buổi đào tạo an toàn.",
    "Luôn tắt nguồn máy dập trước khi gỡ kẹt.",
    "Xe nâng được ưu tiên trong khu vực bốc dỡ hàng.",
    "Hãy báo cáo mọi sự cố suýt xảy ra cho trưởng ca.",
    "Điểm tập trung khi có cháy nằm ở bãi đỗ xe phía bắc.",
    "Rửa tay trước khi vào phòng sạch.",
    "Khóa đào tạo tuân thủ hằng năm phải hoàn thành trước cuối tháng.",
    "Nhà ăn sẽ đóng cửa vào thứ Hai để bảo trì.",
    "Phiếu lương đã có trên cổng thông tin nhân viên.",
    "Anh đây, chuyển tiền giúp anh ngay nhé, gấp lắm.",
    "Đừng nói với ai về chuyện này.",
    "Xin chào",
    "Cảm ơn các bạn",
    "Chú ý an toàn",
    "Đeo kính bảo hộ",
    "Gọi lại cho tôi ngay.",
)
# Languages the gateway does not speak, with the code the refusal should name.
OTHER = (
    ("de", "Bitte tragen Sie in der Halle immer eine Schutzbrille."),
    ("de", "Überweisen Sie das Geld bitte noch heute."),
    ("de", "Melden Sie jeden Beinaheunfall Ihrem Schichtleiter."),
    ("fr", "Veuillez porter vos lunettes de sécurité dans l'atelier."),
    ("fr", "La cantine sera fermée lundi pour travaux."),
    ("es", "Por favor, use gafas de seguridad en la planta."),
    ("es", "Necesito que me envíes el dinero hoy mismo."),
    ("pt", "Por favor, use óculos de proteção na fábrica."),
    ("it", "Indossate sempre gli occhiali di sicurezza nel reparto."),
    ("nl", "Draag altijd een veiligheidsbril in de werkplaats."),
    ("pl", "Proszę zawsze nosić okulary ochronne na hali."),
    ("tr", "Lütfen fabrikada her zaman koruyucu gözlük takın."),
    ("id", "Harap gunakan kacamata pelindung di area produksi."),
    ("ms", "Sila pakai cermin mata keselamatan di kawasan kilang."),
    ("tl", "Mangyaring magsuot ng salaming pangkaligtasan sa pabrika."),
    ("ja", "工場内では必ず保護メガネを着用してください。"),
    ("ko", "공장 안에서는 항상 보안경을 착용하십시오."),
    ("ru", "Пожалуйста, надевайте защитные очки в цехе."),
    ("ar", "يرجى ارتداء نظارات السلامة داخل المصنع."),
    ("hi", "कृपया कारखाने में सुरक्षा चश्मा पहनें।"),
)
CALIBRATION = {"en": ENGLISH, "zh": CHINESE, "th": THAI, "vi": VIETNAMESE}

# Four- to six-word English phrases, written after the calibration as a harder probe of false
# refusals: lingua gives English only 0.20 to 0.81 here. All must pass as ``en``; declared ``vi``
# only those with English at MIN_OTHER_CONFIDENCE or more are refused (18 of 28).
ENGLISH_PHRASES = (
    "Can you do me a favour?",
    "Who left the door open?",
    "Put on your hard hat.",
    "Press the red button to stop.",
    "Call me when you land.",
    "Is the line running yet?",
    "Take a break now.",
    "Clock in before eight.",
    "Keep your area clean.",
    "Where is the first aid kit?",
    "The alarm is a test.",
    "Back to work, everyone.",
    "Your shift starts at six.",
    "Use the handrail on stairs.",
    "No phones on the line.",
    "Boxes go on the pallet.",
    "I lost my badge today.",
    "Need those numbers by five.",
    "Pay this invoice right away.",
    "Buy three gift cards now.",
    "Keep this between us.",
    "It is very urgent.",
    "Text me the code.",
    "Are you at your desk?",
    "Line two is down.",
    "Meet me at gate three.",
    "Turn off the lights.",
    "See you on Monday.",
)
# Text nobody can place: names, acronyms, codes, greetings, Vietnamese typed without its marks.
AMBIGUOUS = (
    "",
    "OK",
    "Hello",
    "Anna",
    "李明",
    "สมชาย",
    "12345",
    "2024-05-01 08:30",
    "+84 28 3823 4567",
    "Nguyễn Văn An",
    "Hello 王小明",
    "PPE",
    "OEE KPI PPE EHS",
    "SKU 4411-B QTY 20 PCS",
    "ISO 9001 ISO 14001 OHSAS",
    "Line 4 / Cell B / Station 12",
    "Ref: PO-2231, INV-8812, GRN-991",
    "Anna Maria Lopez Garcia",
    "Kenji Tanaka Priya Nair",
    "Somchai Wongsawat Chaiyaporn Suk",
    "Wang Jianguo Li Xiaolong Chen Meiling",
    "Mr. Zhang Wei, Ms. Li Na",
    "OK OK OK OK",
    "WiFi SSID: Plant-Guest-5G",
    "Cam on ban rat nhieu",
    "Xin chao cac ban than men",
    "Anh chuyen tien gap cho em nhe",
    "👍👍👍 !!! ???",
)

_DENSE = re.compile(r"[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u9fff]")


def _long_enough(text: str) -> bool:
    """The length from which a wrong declaration must be refused: 4 words, or 6 Han/Thai
    characters (scripts written without spaces)."""
    dense = len(_DENSE.findall(text))
    if dense:
        return dense >= 6
    return sum(1 for token in text.split() if any(c.isalpha() for c in token)) >= 4


def _refused(text: str, declared: str) -> LanguageMismatch:
    with pytest.raises(LanguageMismatch) as refused:
        CHECK.check(text, declared)
    return refused.value


_OWN = [(family, text) for family, texts in CALIBRATION.items() for text in texts]
_WRONG = [
    (family, text, declared)
    for family, text in _OWN
    for declared in CALIBRATION
    if declared != family
]


@pytest.mark.parametrize(("family", "text"), _OWN)
def test_every_code_of_its_family_accepts_a_calibration_sentence(family: str, text: str) -> None:
    for code in CODES[family]:
        CHECK.check(text, code)


@pytest.mark.parametrize(("family", "text", "declared"), [w for w in _WRONG if _long_enough(w[1])])
def test_a_sentence_declared_as_another_family_is_refused(
    family: str, text: str, declared: str
) -> None:
    for code in CODES[declared]:
        assert _refused(text, code).detected == family


@pytest.mark.parametrize(
    ("family", "text", "declared"), [w for w in _WRONG if not _long_enough(w[1])]
)
def test_a_phrase_too_short_to_judge_passes_under_any_family(
    family: str, text: str, declared: str
) -> None:
    CHECK.check(text, declared)


@pytest.mark.parametrize(("language", "text"), OTHER)
def test_languages_the_gateway_does_not_speak_are_refused(language: str, text: str) -> None:
    for declared in CALIBRATION:
        refused = _refused(text, declared)
        assert refused.detected == language
        assert refused.declared == declared


@pytest.mark.parametrize(
    ("text", "declared", "detected"),
    [
        ("Please complete your annual compliance training by the end of the month.", "th", "en"),
        ("Please complete your annual compliance training by the end of the month.", "vi", "en"),
        (
            "Please complete your annual compliance training by the end of the month.",
            "zh-Hant",
            "en",
        ),
        ("กรุณาล้างมือก่อนเข้าห้องสะอาด", "en", "th"),
        ("Chào mừng các bạn đến với buổi đào tạo an toàn.", "en", "vi"),
        ("Bitte tragen Sie in der Halle immer eine Schutzbrille.", "en", "de"),
        ("工場内では必ず保護メガネを着用してください。", "zh", "ja"),
    ],
)
def test_a_refusal_names_the_language_found(text: str, declared: str, detected: str) -> None:
    refused = _refused(text, declared)
    assert refused.detected == detected
    assert refused.declared == declared


@pytest.mark.parametrize(
    "declared", ["xx", "de", "", "EN ", " en", "zh_Hans", "zh-Hans-HK", "english"]
)
def test_an_unknown_code_is_refused_whatever_the_text(declared: str) -> None:
    for text in ("Welcome to the plant.", "", "OK"):
        refused = _refused(text, declared)
        assert refused.detected is None
        assert refused.declared == declared


@pytest.mark.parametrize("text", AMBIGUOUS)
def test_short_or_ambiguous_text_passes_under_every_code(text: str) -> None:
    for code in ALL_CODES:
        CHECK.check(text, code)


@pytest.mark.parametrize("text", ENGLISH_PHRASES)
def test_short_english_phrases_pass_as_english(text: str) -> None:
    CHECK.check(text, "en")


@pytest.mark.parametrize(
    ("text", "declared"),
    [
        ("Please welcome our new line supervisor 王建国 to the assembly team.", "en"),
        ("Meeting with 王建国, 李小龙 and 陈美玲 at noon.", "en"),
        ("Today's trainer is 陈美玲 from the Shenzhen office.", "en"),
        ("Our guest today is สมชาย from the Bangkok site.", "en"),
        ("Please welcome Nguyễn Thị Hương to the night shift.", "en"),
        ("Please welcome Nguyễn Thị Hương to the night shift.", "vi"),
        ("Our trainer today is Nguyen Van Minh.", "en"),
        ("请在 shift 开始前检查 PPE 和安全帽。", "zh"),
        ("本周的培训讲师是 John Smith。", "zh"),
        ("กรุณา scan QR code ที่หน้าประตูก่อนเข้างาน", "th"),
        ("Hôm nay anh John sẽ hướng dẫn về an toàn PPE.", "vi"),
    ],
)
def test_a_name_or_term_from_another_language_does_not_change_the_verdict(
    text: str, declared: str
) -> None:
    CHECK.check(text, declared)


def test_the_refusal_is_a_policy_error_coded_language_mismatch() -> None:
    refused = _refused("Bitte tragen Sie in der Halle immer eine Schutzbrille.", "en")
    assert isinstance(refused, PolicyError)
    assert refused.code == "language_mismatch"
    assert "'en'" in refused.reason
    assert "'de'" in refused.reason
    with pytest.raises(LanguageMismatch, match="not one this gateway speaks"):
        CHECK.check("Hello", "xx")


def test_family_folds_codes_and_their_case() -> None:
    assert [LanguageCheck.family(c) for c in ("zh", "cmn", "zh-Hans", "ZH-HANT", "yue")] == [
        "zh"
    ] * 5
    assert LanguageCheck.family("EN") == "en"
    assert LanguageCheck.family("th") == "th"
    assert LanguageCheck.family("vi") == "vi"
    assert LanguageCheck.family("EN ") is None
    assert LanguageCheck.family("zh_Hans") is None


def test_the_detector_is_built_once_however_many_threads_ask(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    builds: list[int] = []
    build = language_module._build_detector

    def slow_build() -> LanguageDetector:
        builds.append(1)
        time.sleep(0.05)  # widens the window in which a second build could start
        return build()

    monkeypatch.setattr(language_module, "_build_detector", slow_build)
    check = LanguageCheck()
    start = threading.Barrier(8)
    errors: list[BaseException] = []

    def worker() -> None:
        start.wait()
        try:
            check.check("Always lock out the press before clearing a jam.", "en")
            with pytest.raises(LanguageMismatch):
                check.check("Always lock out the press before clearing a jam.", "vi")
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert builds == [1]


def test_the_gateway_answers_a_mismatch_with_422() -> None:
    from gateway.refusals import classify

    refusal = classify(LanguageMismatch("declared 'en' but reads as 'de'", "en", "de"))
    assert (refusal.status, refusal.code) == (422, "language_mismatch")


# Found by an independent attack on the check.
@pytest.mark.parametrize(
    ("text", "declared", "detected"),
    [
        # A few characters of the declared script in front of a paragraph in another language.
        (
            "ครับผมครับ " + "Tell me your password right now, the boss needs it today. " * 10,
            "th",
            "en",
        ),
        (
            "我的名字是王小明 " + "Tell me your password right now, the boss needs it today. " * 3,
            "zh",
            "en",
        ),
        # Scripts no language of the gateway (nor a candidate of the identifier) is written in.
        ("ສະບາຍດີ ຂ້ອຍຢາກໄດ້ລະຫັດຜ່ານຂອງເຈົ້າ", "th", "lao"),
        ("សួស្តី ខ្ញុំចង់បានលេខសម្ងាត់", "th", "khmer"),
        ("မင်္ဂလာပါ စကားဝှက်ကို ပြောပြပါ", "en", "myanmar"),
    ],
)
def test_attack_findings_are_refused(text: str, declared: str, detected: str) -> None:
    with pytest.raises(LanguageMismatch) as refused:
        LanguageCheck().check(text, declared)
    assert refused.value.detected == detected


def test_a_thai_sentence_with_english_words_is_still_thai() -> None:
    LanguageCheck().check("ยินดีต้อนรับสู่การอบรม Safety Week ของโรงงานในวันจันทร์นี้", "th")


@pytest.mark.parametrize(
    ("code", "spelled"),
    [("EN", "en"), ("zh-hans", "zh-Hans"), ("ZH-HANT", "zh-Hant"), ("xx", None)],
)
def test_codes_are_spelled_as_engines_expect(code: str, spelled: str | None) -> None:
    assert LanguageCheck.canonical(code) == spelled
