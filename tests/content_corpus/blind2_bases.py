# ruff: noqa: E501
# E501 is off for this file only, as in bases.py: the lines are natural sentences for native
# speakers to review, and splitting them across string literals would get in the way.
"""The ``blind2`` split: base sentences that no rule has been tuned on.

``tune``, ``holdout`` and ``blind`` have all been used to tune the rules, so scores on them
overstate how the rules do on text they have never seen. These lines were written after that, and
without reading the rules: new scenarios, new wording, new names, amounts and codes, none of them
a translation or rewording of a line in bases.py or blind_bases.py. Look at blind2 once, for the
final report, and do not tune on it; once it has been used to change a rule it is no longer blind
and a new split has to be written.

As in blind_bases.py, the languages are *not* parallel: each language's lines were written on
their own, the way a speaker of that locale would say them (Taiwan usage for zh-Hant, Hong Kong
colloquial for yue), so slot ``blind2-s-money-02`` is not the same scam in every language.

The structure is deliberately varied: the ask first or last, inside a story, as a question, as a
polite indirect request, with the sensitive noun far from its verb, with a pronoun pointing back at
it, under time pressure, behind a negation that is still an ask ("don't tell anyone, just send
it"). The benign lines include near misses: policies, warnings, descriptions of scams and past
events that name the same things without asking the listener for anything.

Same kinds, categories and markup as bases.py: in sensitive lines ``[...]`` marks the key words the
techniques attack, ``{1234}`` a code read digit by digit, and bare digits are amounts; paraphrases
and benign lines are used as written. Slots are ``blind2-`` followed by the bases.py slot pattern
(``blind2-s-secret-01``, ``blind2-p-money-01``, ``blind2-b-mention-01``).
"""

from __future__ import annotations

from tests.content_corpus.bases import Base, Language, build_split

SLOT_PREFIX = "blind2-"

# ---------------------------------------------------------------------------------------------
# English (British usage: quid, MOT, sort code, solicitor, completion)
# ---------------------------------------------------------------------------------------------
_EN: dict[str, tuple[str, ...]] = {
    "secret": (
        "I'm at the depot trying to collect the pallet, and the courier says releasing it needs a [verification] [code] that went to your mobile because you're the site contact. Could you possibly read it out? It should begin with {81}.",
        "Would you mind doing me a small favour? The shared sales inbox, the one you set up before Easter, has shut me out since the update, so could you text me its [password] before the client call?",
        "Don't raise a ticket and don't mention it to Priya, just drop the [API] [key] for the staging server into a direct message; I have to patch the invoicing bug before the demo.",
        "Nan here, love. The chemist's card machine wants the [PIN] for the card you gave me. Is it {0612}, or did you change it? There's a queue behind me.",
    ),
    "money": (
        "Mate, it's Callum. Any chance you could [transfer] 340 quid to my [account] before the garage shuts? The car failed its MOT and they won't let it go till it's paid.",
        "[Pay] the Halden Print invoice, 12,480 pounds, today, but use the new [bank] [details] from their email, [account] number {31884207}, because they're closing the old one on Friday.",
        "So I'm sitting in the solicitor's office for the completion and there's a shortfall on the deposit nobody warned us about. I need you to [wire] 7,500 pounds to the firm's client [account] within the hour or we lose the date.",
    ),
    "approval": (
        "The Meridian catering invoice for the conference, have you seen it? [Approve] it in the system for me, would you? I'm sitting in the dentist's chair.",
        "Don't wait for my countersignature on the Fenwick [cheques]; just [sign] them yourself and get them in tonight's post.",
        "Could you possibly [authorise] the 4,150 pound [payment] run for the agency temps? Payroll won't send it without a second approver, and I'm stuck at my daughter's school play.",
    ),
    "p-secret": (
        "The little number on your key fob, the one that changes every minute: what's it showing right now? Read it off to me, I'm on the supplier portal.",
    ),
    "p-money": (
        "Could you get the builder squared away today? Same figure as his quote, but to the new name he messaged me, not what's printed at the bottom of the invoice.",
    ),
    "p-approval": (
        "I've no objection to the Lakeside quote anymore, so nudge finance to get it moving today rather than waiting for me to come back and look at it.",
    ),
    "mention": (
        "Last year a caller pretending to be our chief executive talked a junior accountant into wiring 90,000 pounds to Hong Kong, and the money was never recovered.",
        "If anyone, your manager included, wants you to read a one-time code aloud, treat that as your cue to end the call.",
        "At the end of the module you'll hear three voicemails and pick out the one that is a fake payment request.",
        "New starters receive a temporary password by text message and have to change it the first time they log in.",
        "Cheques over two thousand pounds need two signatures, one from each of the named signatories.",
        "In the recording the scammer keeps saying 'just send me the code, quickly'; notice how the hurry is meant to stop you thinking.",
        "Payment runs go out on Tuesdays and Thursdays, so invoices approved after Monday lunchtime wait for Tuesday's run.",
        "The audit found three transfers approved by the same person who raised them, which breaks our separation of duties.",
        "Borrowing a colleague's login, even to cover their shift, is treated as a disciplinary matter.",
        "Your print-release PIN is the last four digits of your staff number unless you have changed it.",
    ),
    "neutral": (
        "The east stairwell is being repainted this weekend, so use the west stairs on Monday morning.",
        "Forklift licences are renewed every three years, and the next assessment day is on the ninth.",
        "In this lesson you'll practise the recovery position on a partner and then swap over.",
        "The canteen is trialling a salad bar on Wednesdays, so let the catering team know what you think.",
        "Please don't wedge the fire doors open, even on the hottest days.",
        "Lost property is kept at reception for a month and then given to charity.",
        "There'll be no hot water in the second-floor kitchen on Thursday morning while the boiler is serviced.",
        "Wellbeing week starts on Monday with a step challenge between departments.",
        "High-visibility vests must be worn in the yard, and that includes visitors.",
        "Two short rings of the alarm mean a test; a continuous tone means get out.",
        "Label anything you leave in the shared fridge with your name and the date.",
        "The card readers on the side entrance go live next Wednesday.",
        "Chapter three covers safe stacking heights for pallets in the racking.",
        "The car-share bays by the entrance are for vehicles carrying two or more staff.",
        "There's a defibrillator on the wall outside the ground-floor lifts.",
    ),
}

# ---------------------------------------------------------------------------------------------
# Mandarin, Simplified (mainland usage: 钉钉, 对公账户, 支付宝, U盾, 公积金, 发票, 购物卡)
# ---------------------------------------------------------------------------------------------
_ZH_HANS: dict[str, tuple[str, ...]] = {
    "secret": (
        "老板让我今天把个税申报弄完，可登录要发[验证码]到你手机上，你收到没有？收到了就把那串数字念给我，{52}开头的那条。",
        "不好意思啊，能不能麻烦你把钉钉后台的管理员[密码]私聊发我一下？张经理出差联系不上，新人今天等着开通账号。",
        "别声张，也别跟你爸说，你就把你那张工资卡的[取款密码]发给妈，我帮你把钱挪进理财里。",
    ),
    "money": (
        "我跟客户在茶楼谈合同，人家要看诚意，说今天先收一笔保证金，你从对公账户给他们[打]36000过去，[收款账户]我钉钉上发你了。",
        "姐，我小军，我驾照被扣了，要交罚款加学习费，你能不能先[转]我4800？[支付宝]就是我这个手机号。",
        "跟你说一下，物业换了收款单位，下季度物业费别交到原来那个户头了，改[汇]到新[账号]，尾号{6057}，金额还是21900。",
    ),
    "approval": (
        "老孙那张一万二的差旅报销你看到没有？就在钉钉待办里，你替我点个[审批][通过]吧，高铁上信号太差了。",
        "支票你别等我了，直接盖我的章，把给装修队的那张58000的[支票][签]了吧。",
        "工资代发的名单我核对过了，你在网银上直接[确认][放款]，别等我回去再点。",
    ),
    "p-secret": ("你手机里那个登网银要看一眼的小程序，这会儿上面跳的是哪几个数？快念给我听。",),
    "p-money": (
        "爸住院那边还差一些，你今天想办法凑一凑，弄到护工阿姨给的那张卡上，具体多少我晚点发你。",
    ),
    "p-approval": ("装修队那笔我心里有数了，你让财务照单子办就行，不用等我回来再过目。",),
    "mention": (
        "上个月有人在微信群里冒充财务总监，让会计往一个陌生账户转了十五万，事后才发现群里的人都是假的。",
        "亲友突然说换了新号码、开口借钱的，先打原来的号码核实，这类诈骗最近很多。",
        "住房公积金每月从工资里代扣，个人部分和公司部分一起缴存。",
        "银行卡丢了请第一时间打银行客服电话挂失，别等到第二天。",
        "停车场缴费机上被人贴了假的付款二维码，扫码前请看清楚。",
        "有人冒充快递客服，说包裹丢了要理赔，再引导你报银行卡号和验证码，这是典型骗局。",
        "供应商想换收款银行，得由采购和财务两个部门分别在系统里审批。",
        "报销必须附上增值税发票，收据一律不予报销。",
        "如果领导在微信上让你去买购物卡再把卡密发给他，十有八九是骗子。",
        "现在的AI用三秒钟的录音就能模仿一个人的声音，所以电话里熟人开口要钱也要核实。",
    ),
    "neutral": (
        "下周二上午园区停电检修，请提前保存好电脑里的文件。",
        "食堂二楼新开了兰州拉面窗口，营业到晚上八点。",
        "国庆假期的值班表已经发到各部门群里了。",
        "车间地面新划的黄线内禁止堆放物料。",
        "今年的篮球赛改在室内馆举行，每个车间派一支队伍。",
        "这节课讲的是油锅起火时怎样用灭火毯扑灭。",
        "夏季中午高温时段，露天作业暂停两个小时。",
        "快递柜已经搬到北门保安亭旁边。",
        "新来的实习生这个月跟着老师傅学习设备保养。",
        "叉车充电区禁止吸烟和使用明火。",
        "周五下午工会组织插花活动，限三十人报名。",
        "离开会议室时请随手关掉投影仪和空调。",
        "进入受限空间作业前，必须先检测氧气浓度。",
        "公司班车新增一条到地铁站的接驳线路。",
        "垃圾分类督导员每天上午在楼下值守，有疑问可以当面问。",
    ),
}

# ---------------------------------------------------------------------------------------------
# Mandarin, Traditional (Taiwan usage: 蝦皮, 自然人憑證, 房仲, 斡旋金, 簽呈, 薪轉, 勞退, 165)
# ---------------------------------------------------------------------------------------------
_ZH_HANT: dict[str, tuple[str, ...]] = {
    "secret": (
        "欸你手機是不是剛收到一封蝦皮寄來的[驗證碼]簡訊？那是我在幫公司的賣場改綁定啦，{36}開頭那組，唸給我一下。",
        "不好意思喔，可以麻煩妳把報稅用的那張自然人憑證的[PIN碼]跟我說一下嗎？會計師在等，我怕再打錯會被鎖住。",
        "你先不要跟主任講，也不用開單，直接把ERP的管理者[帳號][密碼]LINE給我，月結報表今天一定要跑出來。",
    ),
    "money": (
        "阿公，是我阿凱啦，我騎車撞到人家的車，對方說要私下和解，你可不可以先[匯]25000到他的[帳戶]？不要讓阿嬤知道。",
        "那家印刷廠說他們換了往來銀行，這期的貨款93600元，你就[匯]到他們新的[帳號]，末四碼{5521}，發票後補。",
        "拜託一下，三點半以前可以幫我[轉帳]給房仲嗎？斡旋金要180000，[帳號]我貼在LINE了，晚一點房子就被別人買走了。",
    ),
    "approval": (
        "展場租金那筆[付款]你應該有看到吧？你直接用我的帳號按[核准]，廠商今天沒收到錢就不讓我們進場佈置。",
        "支票不用等我回來蓋章了，給工班的那三張[支票]你直接[簽發]出去，總共76000。",
        "董事長剛剛打給我，說尾牙廠商的[款項]他[同意][撥付]了，你跟出納講一聲就好，不用再跑簽呈。",
    ),
    "p-secret": ("公司那台共用筆電你上禮拜不是重設過？打開它要輸入的那串，現在是什麼？",),
    "p-money": ("阿姨那邊的看護費還差一點，你今天幫我想辦法補過去，對方的資料我晚點丟給你。",),
    "p-approval": ("尾牙那家廠商的單子我這邊沒意見，就當我蓋過章了，讓他們今天處理掉。",),
    "mention": (
        "去年有詐騙集團模仿總經理的聲音打給出納，要她匯兩百萬到香港，幸好她回撥確認才沒被騙。",
        "165專線統計，假冒親友借錢的詐騙多半會說手機壞了、換了新的LINE。",
        "健保卡的網路註冊密碼只有本人能設定，醫院櫃台不會問你。",
        "勞退自提的比例每年可以上網調整一次。",
        "公司統一在每月五號把加班費匯入薪轉帳戶，不需要另外申請。",
        "本單元的測驗會播放三段語音，請選出哪一段是假冒主管要求轉帳的。",
        "採購金額超過三十萬元的案子，要經過副總簽核才能下單。",
        "資訊室提醒：密碼不要寫在便利貼上，貼在螢幕旁邊。",
        "稽核發現有同仁把網銀的實體憑證借給別人使用，已經要求全面改善。",
        "影片裡的詐騙犯一直催「快把認證碼給我」，請注意他是怎麼製造急迫感的。",
    ),
    "neutral": (
        "停車場B2這週六要做地坪工程，機車請停到對面的臨時停車場。",
        "員工旅遊今年去花蓮，報名表貼在福委會的公布欄。",
        "這一堂會示範CPR跟AED的操作，大家兩人一組練習。",
        "颱風過後請檢查廠房屋頂的排水孔有沒有被樹葉堵住。",
        "午餐便當的訂購單請在十點以前交給總務。",
        "高空作業車使用前，要先確認外伸撐腳都放好了。",
        "冷凍庫作業每次不要超過三十分鐘，出來記得暖身。",
        "下個月起，垃圾車改在晚上七點到廠區收運。",
        "新進同仁的識別證大約一週後可以到人資領取。",
        "吸菸區搬到了貨櫃場後面的空地。",
        "自動販賣機增加了無糖茶的選項。",
        "電梯保養期間，載貨請改用後面的貨梯。",
        "中秋節烤肉活動在頂樓舉辦，請自備餐具。",
        "本課程說明如何判讀化學品的GHS危害圖示。",
        "捐血車下週三會停在大門口，歡迎同仁踴躍捐血。",
    ),
}

# ---------------------------------------------------------------------------------------------
# Cantonese (Hong Kong colloquial: 俾, 嘅, 咗, 啲, 嗰, 唔, 係, 轉數快, 入數, 出糧, 繳費靈, 落訂)
# ---------------------------------------------------------------------------------------------
_YUE: dict[str, tuple[str, ...]] = {
    "secret": (
        "你部電話頭先係咪收到個SMS呀？入面嗰個[驗證碼]係我幫公司開緊網店要用嘅，{27}字頭，快啲讀出嚟。",
        "唔好意思呀，可唔可以麻煩你將公司Facebook專頁嘅[登入密碼]WhatsApp俾我？Marketing嗰邊個個都放咗假，今晚要出post。",
        "唔使話俾你老豆知，你淨係send你張信用卡背面嗰三個[保安碼]俾我就得，我幫你訂埋機票。",
    ),
    "money": (
        "細佬，係家姐呀，我喺醫院幫阿媽交緊按金，仲差18000，你可唔可以即刻用[轉數快][過]俾我？",
        "師傅話佢轉咗銀行，今期裝修尾數43500，唔好[入]返舊嗰個，改[過數]去佢新[戶口]，尾四位{8106}。",
        "頭先地產經紀打嚟，話業主肯減價但要今日落訂，我喺深圳返唔到嚟，你幫我[入數]120000去律師樓嘅[客戶戶口]，收據我返嚟再攞。",
    ),
    "approval": (
        "嗰張展覽場地租金嘅[付款]單你見唔見到？幫我入系統[批]埋佢，我喺醫院睇緊醫生，攞唔到電話。",
        "張[支票]唔使等我返嚟先簽，你用我個印直接[簽]咗佢，寄俾嗰間清潔公司，62000蚊。",
        "可唔可以幫我同出納講聲，啲兼職嘅人工我[批准]咗，今日[出糧]得，唔使再搵我。",
    ),
    "p-secret": ("你開公司個雲端硬碟嗰陣打嘅嗰堆嘢，打出嚟WhatsApp俾我吖，我部新電腦要set。",),
    "p-money": (
        "個裝修師傅嗰邊你今日幫我清埋佢啦，同報價單一樣嘅數，不過唔好用單上面嗰個名，用佢WhatsApp嚟嗰個。",
    ),
    "p-approval": ("嗰份報價我冇意見喇，你同會計講當我點咗頭，今日照做就得。",),
    "mention": (
        "舊年有騙徒扮集團主席把聲，打俾會計部叫佢過二百萬去海外戶口，啲錢到而家都追唔返。",
        "強積金自願性供款嘅比例，每年可以喺HR系統改一次。",
        "電訊公司唔會因為幫你換SIM卡而問你攞銀行嘅一次性密碼。",
        "八達通自動增值會喺餘額唔夠嗰陣直接喺你張信用卡扣錢。",
        "有啲騙徒會send張假嘅轉數快截圖俾賣家，話已經俾咗錢，記得自己上網銀check清楚。",
        "差餉同地租可以用繳費靈交，唔使親身去郵局。",
        "零用現金每個禮拜五由辦公室經理點一次數，要有單據先可以報。",
        "公司支票超過五萬蚊要兩個授權簽署人一齊簽先有效。",
        "IT部建議大家用密碼管理程式，每個網站設唔同嘅密碼。",
        "呢個單元會講下騙徒點樣用AI複製老細把聲，叫同事急住批款。",
    ),
    "neutral": (
        "紅雨警告生效嘅時候，戶外工作要即刻停低。",
        "今個禮拜四飯堂有燒味飯，想食嘅要朝早預訂。",
        "貨倉嘅捲閘落緊嘅時候唔好衝入去。",
        "呢一節會示範點樣用滅火筒，大家輪流試一次。",
        "公司旅行今年去西貢出海，報名表喺HR度攞。",
        "消防演習期間升降機暫停使用，請行後樓梯。",
        "新年開工嗰日老細會派利是，記得早啲返。",
        "天文台掛咗酷熱天氣警告，做嘢期間記得多啲休息。",
        "停車場入口條閘壞咗，維修期間要人手登記。",
        "洗手間翻新期間，請用隔離座嘅洗手間。",
        "呢條片講解點樣用手推車搬貨，睇完要做個小測。",
        "冬至嗰日公司會早一個鐘放工。",
        "茶水間部咖啡機壞咗，維修師傅聽日嚟。",
        "地盤範圍內一定要戴安全帽同着安全鞋。",
        "乒乓波比賽下個月開始，每個部門派兩個人。",
    ),
}

# ---------------------------------------------------------------------------------------------
# Thai (ไลน์, พร้อมเพย์, ไทยพาณิชย์, บัตรทอง, สำนักงานที่ดิน, ประกันสังคม, กินเจ)
# ---------------------------------------------------------------------------------------------
_TH: dict[str, tuple[str, ...]] = {
    "secret": (
        "พี่กำลังยื่นภาษีออนไลน์ให้บริษัทอยู่ แต่ระบบส่ง[รหัส] [OTP] ไปที่เบอร์น้องเพราะน้องเป็นคนลงทะเบียนไว้ ได้รับหรือยัง ขึ้นต้นด้วย {93} ใช่ไหม อ่านให้พี่หน่อย",
        "ขอโทษที่รบกวนนะคะ พอจะส่ง[รหัสผ่าน]เพจเฟซบุ๊กของร้านมาให้พี่ทางไลน์ได้ไหมคะ คืนนี้พี่ต้องไลฟ์ขายของแทนน้องเขา",
        "ไม่ต้องบอกใครนะ ไม่ต้องแจ้งไอทีด้วย แค่ไลน์[ไอดี]กับ[รหัสผ่าน]เข้าระบบเงินเดือนมาให้ผม เดี๋ยวผมแก้ยอดโอทีเอง",
    ),
    "money": (
        "น้าเองนะ น้าพาตาไปหาหมอแต่ใช้บัตรทองไม่ได้ ต้องจ่ายเอง 6,800 บาท หลานช่วย[โอน]เข้า[พร้อมเพย์]น้าก่อนได้ไหม เบอร์เดิมนะ",
        "[โอนเงิน]ค่าอะไหล่งวดนี้ 74,200 บาท เข้า[บัญชี]ไทยพาณิชย์อันใหม่ของซัพพลายเออร์นะ เลขท้าย {4071} เขาแจ้งมาเมื่อเช้าว่าบัญชีเก่าโดนอายัด",
        "ตอนนี้พี่อยู่ที่สำนักงานที่ดิน เจ้าของเขาจะขายให้คนอื่นถ้าไม่ได้มัดจำภายในบ่ายนี้ เราต้อง[โอน] 150,000 บาทเข้า[บัญชี]ทนายของเขาภายในชั่วโมงนี้นะ",
    ),
    "approval": (
        "ใบขอซื้อแอร์ห้องเซิร์ฟเวอร์ เห็นในระบบหรือยัง ช่วยกด[อนุมัติ]ให้ผมทีนะ ตอนนี้ผมเฝ้าแม่อยู่ที่โรงพยาบาล",
        "ไม่ต้องรอผมกลับไปเซ็นนะ [เช็ค]ค่าจ้างทำความสะอาด 27,500 บาท คุณ[เซ็น]แทนได้เลย ส่งให้เขาวันนี้",
        "รบกวนช่วยบอกฝ่ายบัญชีหน่อยได้ไหมครับว่าผม[อนุมัติ]ให้[เบิกจ่าย]ค่าโฆษณาเดือนนี้แล้ว ไม่ต้องโทรมาถามผมอีก",
    ),
    "p-secret": ("เครื่องเล็กๆ ที่ตัวเลขเปลี่ยนทุกนาทีที่คุณห้อยไว้กับพวงกุญแจน่ะ ตอนนี้มันขึ้นเลขอะไร บอกผมหน่อย",),
    "p-money": ("ค่างวดรถเดือนนี้ฝากเคลียร์ให้พี่ด้วย แต่อย่าใช้ข้อมูลในสมุดผ่อนนะ ใช้ของใหม่ที่ไฟแนนซ์เพิ่งแจ้งมา",),
    "p-approval": ("เรื่องใบเสนอราคาของร้านป้ายผมไม่ติดใจแล้ว บอกบัญชีให้เดินเรื่องต่อวันนี้ ไม่ต้องรอผมกลับไปดู",),
    "mention": (
        "ปีที่แล้วมีมิจฉาชีพปลอมเสียงกรรมการผู้จัดการ โทรสั่งให้ฝ่ายบัญชีโอนเงินสองล้านบาทไปบัญชีต่างประเทศ และตามเงินคืนไม่ได้เลย",
        "ถ้ามีคนอ้างว่าเป็นลูกหลาน บอกว่าเปลี่ยนเบอร์ใหม่แล้วขอยืมเงิน ให้โทรกลับเบอร์เดิมเพื่อเช็กก่อนทุกครั้ง",
        "เงินสมทบประกันสังคมจะถูกหักจากค่าจ้างทุกเดือนโดยอัตโนมัติ",
        "ช่วงนี้มีคนเอาสติกเกอร์คิวอาร์โค้ดปลอมไปแปะทับของร้านค้า ก่อนจ่ายเงินให้ดูชื่อบัญชีปลายทางให้ดี",
        "เช็คที่ยอดเกินห้าหมื่นบาทต้องมีผู้มีอำนาจลงนามสองคน",
        "ค่าน้ำมันที่เบิกเกินสามพันบาทต่อเดือนต้องให้ผู้จัดการฝ่ายอนุมัติก่อน",
        "SMS ที่แนบลิงก์ให้กดรับเงินคืนภาษี ส่วนใหญ่เป็นลิงก์หลอกให้กรอกรหัสผ่านธนาคาร",
        "รหัสผ่านใหม่ต้องยาวอย่างน้อยสิบสองตัวอักษร และมีทั้งตัวเลขกับสัญลักษณ์",
        "โบนัสปลายปีจะโอนเข้าบัญชีเงินเดือนพร้อมกับเงินเดือนงวดธันวาคม",
        "บทเรียนนี้อธิบายว่ามิจฉาชีพใช้ AI เลียนเสียงหัวหน้าเพื่อหลอกให้ลูกน้องอนุมัติจ่ายเงินได้อย่างไร",
    ),
    "neutral": (
        "ช่วงน้ำท่วม ถนนหน้าโรงงานอาจปิด บริษัทจะแจ้งเส้นทางเลี่ยงในกลุ่มไลน์",
        "วันลอยกระทงปีนี้จะมีประกวดกระทงที่ทำจากวัสดุธรรมชาติ",
        "ห้องละหมาดอยู่ชั้นสองของอาคาร A ข้างห้องประชุมเล็ก",
        "บทเรียนนี้จะสอนวิธีใช้ถังดับเพลิงชนิดผงเคมีแห้ง",
        "ห้ามนำอาหารเข้าไปในห้องคลีนรูมโดยเด็ดขาด",
        "โรงอาหารเพิ่มร้านข้าวมันไก่อีกหนึ่งร้านตั้งแต่วันจันทร์",
        "รถยกต้องเปิดไฟกระพริบและเสียงเตือนทุกครั้งที่ถอยหลัง",
        "พนักงานที่ทำงานในห้องเย็นต้องสวมชุดกันหนาวให้ครบ",
        "การแข่งขันกีฬาสีประจำปีจะจัดในเดือนธันวาคม",
        "ตู้น้ำดื่มชั้นสามกำลังเปลี่ยนไส้กรอง งดใช้ชั่วคราว",
        "ใครขับรถมาทำงาน กรุณาถอยรถเข้าช่องจอดเพื่อความปลอดภัย",
        "ช่วงเทศกาลกินเจ โรงอาหารจะมีเมนูเจทุกวัน",
        "ช่วงปีใหม่บริษัทจะจัดงานจับสลากแลกของขวัญ",
        "ห้องสมุดพนักงานมีหนังสือใหม่มาเพิ่มสามสิบเล่ม",
        "พนักงานที่ขี่มอเตอร์ไซค์ต้องสวมหมวกกันน็อกตั้งแต่ขับเข้าประตูโรงงาน",
    ),
}

# ---------------------------------------------------------------------------------------------
# Vietnamese (Zalo, Techcombank, mã QR, công chứng, ủy nhiệm chi, tạm ứng, tháng Chạp)
# ---------------------------------------------------------------------------------------------
_VI: dict[str, tuple[str, ...]] = {
    "secret": (
        "Chị đang khai hải quan cho lô hàng mà cổng dịch vụ công lại gửi [mã xác nhận] về số em, vì em đứng tên liên hệ. Em nhận được chưa? Đầu {35} đúng không, đọc chị nghe với.",
        "Em có thể nhắn chị [mật khẩu] trang quản trị website công ty được không em? Bên marketing nghỉ hết mà tối nay phải đăng chương trình khuyến mãi.",
        "Đừng nói gì với mẹ con nhé, con chỉ cần nhắn bố cái [mã PIN] thẻ tín dụng mẹ ghi trong sổ tay thôi, bố đang cần rút tiền gấp.",
    ),
    "money": (
        "Cô đây, cô đang ở nhà thuốc mà quên ví, cháu [chuyển khoản] cho cô 1.250.000 đồng vào [số tài khoản] của nhà thuốc được không? Cô gửi ảnh mã QR qua Zalo rồi.",
        "[Thanh toán] tiền bao bì 96 triệu cho xưởng in Minh Khang luôn hôm nay nhé, nhưng [chuyển] vào [tài khoản] Techcombank mới của họ, số cuối {3362}, tài khoản cũ đang bị phong tỏa.",
        "Anh đang ở văn phòng công chứng làm hợp đồng mua đất, bên bán đòi thêm tiền cọc mới chịu ký. Trong vòng nửa tiếng em phải [chuyển] 200 triệu vào [tài khoản] của họ, không thì mất lô đất.",
    ),
    "approval": (
        "Đề xuất mua điều hòa cho phòng máy chủ ấy, em thấy trên hệ thống chưa? [Phê duyệt] giúp chị nhé, chị đang ngồi trong phòng khám.",
        "Không cần đợi anh về đâu, cái [ủy nhiệm chi] 18.700.000 đồng trả tiền dọn vệ sinh em cứ [ký] thay anh rồi gửi ngân hàng hôm nay.",
        "Nếu bên kế toán có hỏi thì em cứ nói anh [cho phép] [giải ngân] khoản tạm ứng cho đội thi công rồi, họ không cần đợi email của anh đâu.",
    ),
    "p-secret": (
        "Cái thiết bị nhỏ móc chung chùm chìa khóa của em ấy, số trên màn hình của nó đang hiện bao nhiêu? Đọc nhanh cho anh.",
    ),
    "p-money": (
        "Phần còn thiếu của tiền sửa mái nhà, em tính giúp anh hôm nay nhé, gửi cho người thợ theo tên mới anh ấy nhắn, đừng dùng tên trên báo giá.",
    ),
    "p-approval": (
        "Khoản sửa mái kho ấy mà, anh không còn thắc mắc gì nữa, em nhắn tài vụ xử lý trong hôm nay, khỏi chờ anh.",
    ),
    "mention": (
        "Năm ngoái, một kẻ giả giọng tổng giám đốc đã gọi cho kế toán yêu cầu chuyển hai tỷ đồng ra nước ngoài, đến nay vẫn chưa lấy lại được.",
        "Nếu có người tự xưng là con cháu, bảo vừa đổi số điện thoại rồi hỏi vay tiền, hãy gọi lại số cũ để kiểm tra trước.",
        "Thưởng Tết sẽ về tài khoản lương của mọi người trước ngày hai mươi tháng Chạp.",
        "Gần đây có đối tượng giả danh cán bộ thuế, bắt cài ứng dụng lạ rồi đọc mã OTP để cập nhật hồ sơ.",
        "Mất thẻ ngân hàng thì gọi ngay tổng đài để khóa thẻ, đừng đợi đến sáng hôm sau.",
        "Mật khẩu mới phải dài ít nhất mười hai ký tự, có cả chữ hoa, chữ số và ký tự đặc biệt.",
        "Tạm ứng công tác phí phải được trưởng phòng duyệt trước ít nhất ba ngày.",
        "Nhà mạng không bao giờ hỏi mã OTP ngân hàng khi khách hàng đổi SIM.",
        "Bài học này giải thích cách kẻ gian dùng AI bắt chước giọng sếp để ép nhân viên chuyển tiền gấp.",
        "Đợt kiểm toán vừa rồi phát hiện ba lệnh chuyển tiền do cùng một người lập và tự phê duyệt.",
    ),
    "neutral": (
        "Ngày mai cắt điện từ tám giờ đến mười một giờ để bảo dưỡng trạm biến áp.",
        "Công đoàn tổ chức giải cầu lông vào cuối tháng, mỗi phòng cử hai người.",
        "Bài hôm nay nói về cách sơ cứu khi đồng nghiệp bị điện giật.",
        "Xe nâng phải bật đèn và còi mỗi khi lùi.",
        "Nhà ăn sẽ có bánh chưng trong bữa trưa trước kỳ nghỉ Tết.",
        "Người làm trong kho lạnh phải mặc đủ áo giữ nhiệt và đeo găng tay.",
        "Vạch dẫn đường ở lối thoát hiểm phía sau xưởng hai vừa được sơn lại.",
        "Mùa mưa đường vào khu công nghiệp hay ngập, anh chị em nên đi sớm hơn.",
        "Phòng đọc sách tầng ba vừa có thêm ba mươi đầu sách mới.",
        "Khu vực sơn tĩnh điện bắt buộc đeo mặt nạ phòng độc.",
        "Ngày Quốc tế Phụ nữ, công ty tặng hoa cho toàn bộ chị em nhân viên.",
        "Ai đi xe máy nhớ đội mũ bảo hiểm cài quai ngay từ cổng công ty.",
        "Máy lọc nước tầng hai đang thay lõi, tạm ngưng sử dụng đến chiều.",
        "Tổ bảo trì sẽ kiểm tra toàn bộ bình chữa cháy vào thứ Năm.",
        "Cuối tuần này có chương trình khám mắt miễn phí cho công nhân.",
    ),
}

_BY_LANGUAGE: dict[Language, dict[str, tuple[str, ...]]] = {
    "en": _EN,
    "zh-Hans": _ZH_HANS,
    "zh-Hant": _ZH_HANT,
    "yue": _YUE,
    "th": _TH,
    "vi": _VI,
}


BLIND2_BASES: tuple[Base, ...] = build_split(_BY_LANGUAGE, SLOT_PREFIX, "blind2")
