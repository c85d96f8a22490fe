# ruff: noqa: E501
# E501 is off for this file only, as in bases.py: the lines are natural sentences for native
# speakers to review, and splitting them across string literals would get in the way.
"""The ``blind`` split: base sentences that no rule has been tuned on.

The rules were tuned on both ``tune`` and ``holdout`` (bases.py), so scores on those splits
overstate how the rules do on text they have never seen. These lines are new: new scenarios,
new wording, new names, amounts and codes, none of them a translation or rewording of a line in
bases.py. Look at the blind split once, for the final report, and do not tune on it; after it
has been looked at for tuning it is no longer blind and a new one has to be written.

Unlike bases.py, the languages are *not* parallel: each language's lines were written on their
own, the way a speaker of that locale would say them, so slot ``blind-s-money-02`` is not the same
scam in every language, and there is no translation through which a model could have seen one.

Same kinds, categories and markup as bases.py: in sensitive lines ``[...]`` marks the key words the
techniques attack, ``{1234}`` a code read digit by digit, and bare digits are amounts; paraphrases
and benign lines are used as written. Slots are ``blind-`` followed by the bases.py slot pattern
(``blind-s-secret-01``, ``blind-p-money-01``, ``blind-b-mention-01``).
"""

from __future__ import annotations

from tests.content_corpus.bases import Base, Language, build_split

SLOT_PREFIX = "blind-"

# ---------------------------------------------------------------------------------------------
# English
# ---------------------------------------------------------------------------------------------
_EN: dict[str, tuple[str, ...]] = {
    "secret": (
        "Sweetheart, it's Grandpa. The bank says they've texted a [security] [code] to you because you're my second contact now; what are the digits? The lady's waiting on the other line.",
        "Could you lend me your access for ten minutes? Just message me your [username] and [password]; the rota system has locked me out again and the schedule has to go up by noon.",
        "It's Owen on the service desk. We've flagged some odd sign-ins on your account, so I'll need the [one-time] [passcode] we just sent you, the one that starts {58}.",
    ),
    "money": (
        "Hiya love, it's Auntie Joan. My pension's late and the rent's due tomorrow, so could you [transfer] 650 pounds into my [account] tonight? I'll make it up to you at Christmas.",
        "Quick one before I board: settle the Rotterdam freight bill, 17,340 euros, but [send] it to the new [IBAN] on the letter I forwarded, not the one we have on file.",
        "The landlord's threatening to change the locks, so I need you to [pay] 2,200 pounds into his [account] this afternoon. Sort code {404417}, I'll text you the rest.",
    ),
    "approval": (
        "Hi, Deborah here. The Castlegate refurbishment invoice is sitting in your queue. Please [approve] it today; the contractor has to be [paid] before the weekend.",
        "Could you [sign] [off] the 9,800 pound [payment] to Brightwell Logistics for me? I'm stuck on the motorway and they won't load the lorry without it.",
        "When treasury rings, tell them I've [authorised] the [release] of the escrow [funds] and they needn't wait for my email.",
    ),
    "p-secret": (
        "You know the thing you unlock the shared drive with? Spell it out for me letter by letter, I promise I'll remember it this time.",
    ),
    "p-money": (
        "Grandad's care home fees are overdue, so could you move what we talked about across to the home? I'll text you where it needs to go.",
    ),
    "p-approval": (
        "Tell Karen in accounts that the Harbourview invoice has my blessing; she can wave it through this afternoon without waiting for my signature.",
    ),
    "mention": (
        "Refunds go back to the card you originally paid with, usually within five working days.",
        "Please don't read your PIN aloud at the counter; type it on the keypad and shield it with your hand.",
        "After five wrong password attempts your account is locked, and the service desk will unlock it once they've checked your ID.",
        "Hotel stays longer than two nights need your cost-centre manager's approval before the travel agency can book them.",
        "Payslips can be viewed in the payroll portal from the twenty-fifth of each month.",
        "In this quarter's phishing test, one in eight people typed their login details into a fake page.",
        "Suppliers who want us to send their money somewhere new must fill in the change form, and finance rings them back on the number we already hold.",
        "The new password manager creates a long random password for every site, so you only need to remember one.",
        "Petty cash payments under fifty pounds need only a receipt and the office manager's signature.",
        "From next month, hardware security keys replace text-message codes for everyone who signs in to the banking portal.",
    ),
    "neutral": (
        "The Northgate site moves to the winter shift pattern from the first Monday in November.",
        "Ear defenders are now free from the vending machine next to the tool store.",
        "If you smell gas, leave by the nearest exit and do not touch any light switches.",
        "Please keep the microwave clean; the rota for wiping it down is pinned to the fridge.",
        "Sign-ups for the mentoring scheme close on Friday, and you can pick a mentor from any department.",
        "This module explains how to read the colour bands on the pipework in the boiler house.",
        "The bike shed behind building D now has a lockable gate and room for forty bikes.",
        "Anyone working more than two metres above the ground must clip their harness to an anchor point.",
        "The staff choir meets on Wednesdays at lunchtime in the training room, and beginners are welcome.",
        "Cover spilled oil with absorbent granules and fence the area off with cones until it is cleaned up.",
        "From next week the vending machines will carry a wider range of healthier snacks.",
        "Our new apprentices will spend their first month rotating between maintenance and quality.",
        "Inspect every ladder before use, and tag damaged ones and take them out of service.",
        "The quiet room on the fourth floor can be booked for prayer or a short rest.",
        "Hot work permits are issued by the shift engineer and are valid for one shift only.",
    ),
}

# ---------------------------------------------------------------------------------------------
# Mandarin, Simplified (mainland usage: 微信, 支付宝, 工号, OA, 报销, 定金)
# ---------------------------------------------------------------------------------------------
_ZH_HANS: dict[str, tuple[str, ...]] = {
    "secret": (
        "小刘，我是人事的周姐，社保系统要重新绑定手机，你把刚收到的[短信验证码]报给我一下，就六位数。",
        "帮个忙，报销系统我怎么也进不去了，你把你的[账号][密码]微信发我，我用完马上退出。",
        "老公，是我，我在营业厅补办手机卡，人家说要你手机上的[验证码]，{73}开头的那条，你快看看。",
    ),
    "money": (
        "王会计，我是刘总，我在外地谈合同，对方要先收8万定金，你马上从公司账上[转]到我发你的这个[账户]，手续回来我再补。",
        "二姨，我是小杰，手机丢了，这是借同学的号。能不能先给我[微信转账]2600，房租今天到期，下周就还你。",
        "你先别挂，我是你表哥，我朋友住院了急着交押金，你用支付宝[转]15000到这个[账号]上，收款人写李建国，回头跟你解释。",
    ),
    "approval": (
        "小赵，采购那边挂着一张37600的单子，你在OA里帮我[审批][通过]一下，我手机快没电了。",
        "你去跟出纳说一声，华东仓那笔[款]我[同意][支付]了，不用等我回来签字。",
        "我是陈总。那个项目的[付款申请]你先替我[批]了吧，我这边信号不好，回头再补签。",
    ),
    "p-secret": ("你把手机上能进公司邮箱的那个东西截个图发我，就是每三十秒变一次的那个。",),
    "p-money": ("那笔钱你先帮我垫上，弄到我刚发你的那个人名下，这次别走公司流程了。",),
    "p-approval": ("项目部那张单子你就当我点过头了，让他们照流程往下走。",),
    "mention": (
        "退款会原路返回到你付款时使用的银行卡，一般三到五个工作日到账。",
        "在银行柜台办业务时，不要把密码说出来，请在密码键盘上自己输入。",
        "连续输错五次密码，账号会被锁定，需要带工牌到IT服务台解锁。",
        "出差住宿超过标准的，需要部门负责人在OA里审批后才能报销。",
        "工资条每月二十五号以后可以在企业微信里查看。",
        "本月钓鱼邮件演练中，有十二位同事在假页面上输入了账号。",
        "供应商如需变更收款信息，必须提交盖章的变更函，财务会电话回访确认。",
        "公司不会通过微信或QQ向任何人索要短信验证码。",
        "备用金单笔五百元以下，凭发票和部门经理签字即可领取。",
        "从下个月起，财务人员登录网银一律改用硬件令牌，不再使用短信验证。",
    ),
    "neutral": (
        "本周三下午两点进行消防演练，听到警报后请沿疏散指示有序撤离。",
        "厂区内限速每小时十五公里，请各位驾驶员注意。",
        "员工书屋新到了一批图书，欢迎大家借阅。",
        "登高作业超过两米必须系好安全带，并挂在牢固的挂点上。",
        "端午节前一天食堂会提供粽子和咸鸭蛋。",
        "新员工需在入职一周内完成三级安全教育。",
        "这一节课主要讲解如何正确填写设备点检表。",
        "班车线路从下周一起调整，请在企业微信查看新的站点。",
        "使用砂轮机时必须佩戴防护面罩，严禁站在砂轮正前方。",
        "本月优秀员工评选结果已在公告栏公布。",
        "发现地面有油污请立即清理，并放置小心地滑的提示牌。",
        "空调温度请设置在二十六度以上，节约用电。",
        "羽毛球协会每周四晚上在体育馆活动，欢迎报名。",
        "危险化学品仓库实行双人双锁管理，无关人员禁止入内。",
        "员工宿舍晚上十一点以后请保持安静。",
    ),
}

# ---------------------------------------------------------------------------------------------
# Mandarin, Traditional (Taiwan usage: 簡訊, LINE, 請款, 簽核, 阿嬤, 超商, 颱風假)
# ---------------------------------------------------------------------------------------------
_ZH_HANT: dict[str, tuple[str, ...]] = {
    "secret": (
        "阿弟，我是大哥啦，我換新手機，剛剛用你的號碼收LINE的[驗證碼]，你看一下簡訊，{90}開頭那封，唸給我。",
        "我是資訊室的志豪，你的信箱被盜用在寄垃圾信，我要幫你重設，請先跟我說你現在的[密碼]，我才能登入檢查。",
        "小芳，我是會計部的淑惠姐，勞保局的系統要驗證身分，妳手機剛剛收到的[認證碼]可以唸給我嗎？",
    ),
    "money": (
        "老闆說這批原料要先付訂金，妳今天三點半以前[匯]68000到這個[帳號]，收據我明天再拿給妳。",
        "媽，我是小宇，手機摔壞了先借朋友的，學校說註冊費今天截止，妳可以先[轉帳]15800給我嗎？[帳號]我等一下傳給妳。",
        "你好，我是房東林太太，下個月開始房租請改[匯]到我兒子的[帳戶]，[銀行代碼]{812}，帳號我再LINE給你。",
    ),
    "approval": (
        "不好意思打擾一下，我是王協理，那張請款單麻煩你先在系統上幫我[核准]，廠商一直在催[款]。",
        "跟出納講，高雄分公司那筆420000元的[撥款]我[同意]了，今天就可以[放款]。",
        "我人在國外開會，那幾筆待[簽核]的[付款]你就用我的帳號幫我按[核准]，回去我再補簽。",
    ),
    "p-secret": ("你上次幫我設定的那組開機用的東西是什麼？我輸了三次都不對。",),
    "p-money": ("那筆錢你先幫我處理，送到我剛剛LINE給你的那個人那邊，先不要跟公司說。",),
    "p-approval": ("那張請款單我看過了，沒問題，你讓會計直接走下一步。",),
    "mention": (
        "退貨的款項會退回您原本付款的信用卡，大約七到十個工作天入帳。",
        "超商店員不會要求你唸出信用卡背面的安全碼，遇到請拒絕並報警。",
        "165反詐騙專線提醒：接到電話說要解除分期付款，就是詐騙。",
        "請款單須附上發票或收據，並由部門主管簽核後才會撥款。",
        "薪資轉帳帳戶如需變更，請到人資系統填寫申請表。",
        "公司信箱每半年會強制變更一次密碼，到期前會寄通知信。",
        "出差的高鐵票可以先自行購買，回來後憑票根請款。",
        "資訊室不會以電話或LINE向同仁索取任何驗證碼。",
        "廠商變更匯款帳戶時，須檢附存摺影本並經採購與財務雙重確認。",
        "電子簽核系統上線後，所有請購單都改在線上核准。",
    ),
    "neutral": (
        "颱風假是否停班以人事行政總處公告為準，請隨時留意。",
        "本週五下午有地震避難演練，請依照廣播指示就地掩護。",
        "尾牙訂在一月十八日，當天會有摸彩活動。",
        "員工停車場的機車格重新畫線了，請停在白線內。",
        "使用堆高機前，請先完成每日點檢並簽名。",
        "飲水機每季更換濾心，更換當天會暫停供水。",
        "這堂課會介紹5S的基本觀念，請大家準備筆記。",
        "廠區全面禁菸，吸菸請到指定的吸菸區。",
        "新進同仁請在報到當天攜帶身分證正本與兩吋照片。",
        "端午節禮盒下週由各部門助理發放。",
        "搬運化學桶時請使用專用推車，並穿戴防護手套。",
        "職安衛委員會下個月將進行廠區巡檢。",
        "午休時間請將辦公室燈光關閉，節省能源。",
        "哺乳室在三樓女廁旁邊，需要使用的同仁可以向總務登記。",
        "本影片說明如何正確配戴防塵口罩。",
    ),
}

# ---------------------------------------------------------------------------------------------
# Cantonese (Hong Kong written Cantonese: 轉數快, 入數, 戶口, 蚊, 夾萬, 強積金, 八號風球)
# ---------------------------------------------------------------------------------------------
_YUE: dict[str, tuple[str, ...]] = {
    "secret": (
        "阿仔，係媽咪呀，銀行話要個[一次性密碼]先可以幫我改地址，佢send咗去你部電話，{39}字頭嗰個，讀俾我聽吖。",
        "阿姨，係我阿明呀，我幫緊你交差餉，你話我知你網上理財嘅[用戶名稱]同[密碼]，我喺網上幫你搞掂佢。",
        "我係老細，你個[保安編碼器]而家顯示緊嘅[密碼]係咩？我要用你個戶口批張單。",
    ),
    "money": (
        "喂，阿爸呀，我喺日本個銀包俾人偷咗，你可唔可以用[轉數快][過]8000蚊俾我朋友先？佢個電話號碼我WhatsApp俾你。",
        "Hello，我係Finance嘅Winnie，老細話深水埗嗰間裝修公司要先收訂，你今日之內[入數]56000去佢哋個[戶口]，單據遲啲補。",
        "下個月開始管理費請[過數]去新嘅[戶口]，[戶口號碼]尾數{2039}，舊嗰個戶口已經取消咗。",
    ),
    "approval": (
        "你幫我喺系統度[批]咗九龍灣倉嗰張[付款]單先，我喺高鐵度，電話收得唔好。",
        "同會計部講，嗰筆135000蚊嘅[付款]我已經[批准]咗，今日可以[過數]俾承辦商。",
        "你同銀行講我[授權]咗，張[支票]可以過，唔使再打俾我確認。",
    ),
    "p-secret": ("你平時開個夾萬用嘅幾個數字係咩話？我喺舖頭等緊。",),
    "p-money": ("阿媽今個月啲醫藥費，你今晚幫我搞掂佢，用我send俾你嗰個電話號碼就得。",),
    "p-approval": ("嗰張單我睇過冇問題，你話俾出納知可以郁得。",),
    "mention": (
        "網購退款會退返去你原本俾錢嗰張信用卡，大約七個工作天。",
        "強積金供款每個月由公司直接過數去受託人，唔使同事自己處理。",
        "銀行同警方都唔會打電話叫你轉錢去所謂嘅「安全戶口」。",
        "陌生人WhatsApp問你攞一次性密碼，十居其九係騙案，唔好理佢。",
        "報銷超過二千蚊，要部門主管同財務經理兩個人批。",
        "IT部下個月會推出雙重認證，登入嗰陣要輸入手機收到嘅驗證碼。",
        "公司電腦嘅瀏覽器唔好記低網上理財嘅密碼。",
        "供應商改收款戶口一定要書面通知，財務會打返去核實。",
        "八達通增值機喺飯堂門口，只收現金。",
        "年假同病假都要喺HR系統申請，上司批咗先作實。",
    ),
    "neutral": (
        "八號風球生效期間，辦公室暫停開放，同事留喺屋企工作。",
        "今個月嘅急救課程喺禮拜三下晝，有興趣嘅同事可以報名。",
        "貨車落貨嘅時候，唔好企喺車尾後面。",
        "茶水間個雪櫃每個禮拜五清一次，記得攞走自己啲嘢。",
        "冷氣維修期間七樓會比較熱，大家記得多啲飲水。",
        "新同事返工第一日要去人事部影相整職員證。",
        "用完啲梯記得擺返入儲物房，唔好擺喺走廊。",
        "呢一課會教你點樣啱啱咁戴安全帶同埋檢查扣環。",
        "中秋節公司會派月餅，每人一盒。",
        "大廈今個禮拜六停水，由朝早九點到下晝三點。",
        "行山隊下個月去大帽山，月尾截止報名。",
        "用電鑽嘅時候要戴埋護目鏡同耳罩。",
        "𨋢口嘅防煙門唔可以用嘢頂住。",
        "公司年尾會搞週年晚宴，詳情稍後公佈。",
        "膠樽放啡色回收桶，鋁罐放黃色，廢紙放藍色。",
    ),
}

# ---------------------------------------------------------------------------------------------
# Thai (ไลน์, พร้อมเพย์, กสิกร, สงกรานต์, ตักบาตร)
# ---------------------------------------------------------------------------------------------
_TH: dict[str, tuple[str, ...]] = {
    "secret": (
        "แม่จ๋า หนูกำลังสมัครแอปให้แม่อยู่นะ เดี๋ยวจะมี[รหัส] [OTP] ส่งไปที่เบอร์แม่ ขึ้นต้นด้วย {47} อ่านให้หนูฟังทีนะ",
        "ลุงเองนะ ลุงจะกดเงินให้ป้าที่ตู้แต่จำ[รหัสบัตร]ของป้าไม่ได้ ใช่ {1952} หรือเปล่า หรือหลานจำได้ว่าอะไร",
        "พี่จะเข้าไปดูยอดขายในระบบหลังบ้าน แต่ลืม[ยูสเซอร์]กับ[พาสเวิร์ด]แอดมินไปแล้ว ส่งมาทางไลน์ให้พี่หน่อยได้ไหม",
    ),
    "money": (
        "น้องฝ้าย พี่ติดคุยกับลูกค้าอยู่ ช่วย[โอน]ค่ามัดจำ 85,000 บาทเข้า[บัญชี]ที่พี่ส่งไปในไลน์ก่อนเที่ยงนะ",
        "พ่อเองนะลูก พ่อเติมน้ำมันแล้วลืมกระเป๋าตังค์ไว้บ้าน ช่วย[โอนพร้อมเพย์] 1,500 บาทไปเบอร์ที่พ่อส่งให้หน่อย",
        "ตั้งแต่งวดนี้ไป ค่าเช่าโกดังให้[โอน]เข้า[บัญชี]กสิกรของภรรยาผมแทนนะ เลขท้าย {8830} บัญชีเก่าปิดไปแล้ว",
    ),
    "approval": (
        "คุณนิดช่วย[อนุมัติ]ใบขอ[เบิกเงิน]ของแผนกจัดซื้อในระบบให้ผมหน่อยได้ไหมครับ ผมอยู่ต่างจังหวัด เข้าระบบไม่ได้",
        "ฝากบอกฝ่ายการเงินด้วยว่าผม[อนุมัติ]ยอด 320,000 บาทของผู้รับเหมาแล้ว [จ่าย]ได้เลยไม่ต้องรอลายเซ็น",
        "คุณ[เซ็นอนุมัติ][เช็ค]แทนผมไปได้เลย ตอนนี้ผมอยู่สนามบิน กลับไปแล้วค่อยคุยกัน",
    ),
    "p-secret": ("ที่คุณพิมพ์ตอนเปิดเครื่องทุกเช้าน่ะ บอกผมหน่อย ผมจะเข้าไปเอาไฟล์ในเครื่องคุณ",),
    "p-money": ("ค่าเทอมน้องเดือนนี้ ช่วยจัดการส่งไปที่ชื่อที่พี่เพิ่งส่งให้ในไลน์หน่อยนะ",),
    "p-approval": ("งบสัมมนาที่เชียงใหม่ผมไฟเขียวแล้วนะ บอกบัญชีให้ดำเนินการต่อได้เลย",),
    "mention": (
        "เงินคืนจากการยกเลิกคำสั่งซื้อจะเข้าบัตรที่คุณใช้ชำระภายในเจ็ดถึงสิบสี่วัน",
        "เวลากดเงินที่ตู้ ให้ใช้มือบังแป้นตัวเลขขณะกดรหัสทุกครั้ง",
        "ธนาคารจะไม่ส่งลิงก์ทาง SMS เพื่อให้คุณกรอกรหัสผ่าน",
        "ค่าล่วงเวลาจะจ่ายรวมกับเงินเดือน หลังจากหัวหน้าอนุมัติในระบบแล้ว",
        "ใบเบิกเงินสดย่อยที่เกินสองพันบาทต้องมีผู้จัดการแผนกเซ็นอนุมัติ",
        "ถ้ากรอกรหัสผ่านผิดเกินห้าครั้ง บัญชีผู้ใช้จะถูกล็อกสามสิบนาที",
        "เงินสะสมกองทุนสำรองเลี้ยงชีพจะหักจากเงินเดือนและโอนเข้ากองทุนทุกเดือน",
        "ห้ามถ่ายภาพหน้าจอที่มีรหัส OTP แล้วส่งต่อในกลุ่มไลน์",
        "การเปลี่ยนเลขบัญชีของคู่ค้าต้องแนบหนังสือรับรองจากธนาคารมาด้วยทุกครั้ง",
        "แก๊งคอลเซ็นเตอร์มักอ้างเป็นเจ้าหน้าที่แล้วสั่งให้โอนเงินไปตรวจสอบ อย่าหลงเชื่อ",
    ),
    "neutral": (
        "ช่วงสงกรานต์บริษัทหยุดห้าวัน กลับมาทำงานวันที่สิบเจ็ดเมษายน",
        "ใส่รองเท้านิรภัยทุกครั้งเมื่อเข้าไลน์ประกอบ",
        "ห้ามจอดรถมอเตอร์ไซค์ขวางทางหนีไฟ",
        "ขอเชิญพนักงานร่วมทำบุญตักบาตรหน้าอาคารสำนักงานเช้าวันศุกร์นี้",
        "ในบทเรียนนี้เราจะมาเรียนรู้วิธีแยกขยะอันตรายออกจากขยะทั่วไป",
        "ห้องพยาบาลเปิดตั้งแต่แปดโมงเช้าถึงห้าโมงเย็น",
        "ช่วงอากาศร้อนกรุณาดื่มน้ำบ่อยๆ โดยเฉพาะคนที่ทำงานกลางแจ้ง",
        "รถรับส่งพนักงานสายบางนาจะออกเร็วขึ้นสิบห้านาทีตั้งแต่สัปดาห์หน้า",
        "การแข่งขันฟุตบอลภายในระหว่างแผนกจะเริ่มเดือนหน้า",
        "ก่อนใช้เครื่องเจียร ให้ตรวจดูว่าใบเจียรไม่มีรอยร้าว",
        "อย่าเสียบปลั๊กพ่วงต่อกันหลายทอด เสี่ยงไฟฟ้าลัดวงจร",
        "ร้านกาแฟชั้นล่างจะกลับมาเปิดให้บริการในวันจันทร์",
        "พนักงานใหม่ทุกคนต้องเข้าอบรมเรื่องความปลอดภัยในวันแรกที่เริ่มงาน",
        "ช่วงฝนตกทางเดินระหว่างอาคารจะลื่น กรุณาเดินอย่างระมัดระวัง",
        "ผลการตรวจวัดระดับเสียงในโรงงานไตรมาสนี้อยู่ในเกณฑ์มาตรฐาน",
    ),
}

# ---------------------------------------------------------------------------------------------
# Vietnamese (Zalo, Vietcombank, ủy nhiệm chi, phiếu chi, Tết)
# ---------------------------------------------------------------------------------------------
_VI: dict[str, tuple[str, ...]] = {
    "secret": (
        "Em ơi, chị Hằng kế toán đây, tài khoản thuế điện tử của công ty đăng ký bằng số của em, em đọc giúp chị [mã OTP] vừa gửi tới nhé, hình như bắt đầu bằng {62}.",
        "Em gửi anh [tài khoản] với [mật khẩu] Zalo công ty nhé, anh cần vào nhóm khách hàng trả lời gấp mà điện thoại anh hết pin rồi.",
        "Sếp đây, anh đang ngồi nhà hàng với đối tác mà quên [mã PIN] thẻ công ty, em giữ sổ thì đọc cho anh với.",
    ),
    "money": (
        "Trang à, anh đang đi gặp đối tác ở Đà Nẵng, em [chuyển khoản] giúp anh 45 triệu tiền đặt cọc vào [số tài khoản] anh vừa gửi qua Zalo nhé, chiều anh về ký giấy.",
        "Con ơi, bố bị va xe nhẹ đang ở bệnh viện, con [chuyển] ngay 8.500.000 đồng vào [tài khoản] này để đóng viện phí giúp bố.",
        "Từ tháng này tiền thuê kho em [chuyển] sang [tài khoản] Vietcombank mới của anh nhé, số đuôi {7719}, tài khoản cũ anh khóa rồi.",
    ),
    "approval": (
        "Em [duyệt] luôn [đề nghị thanh toán] của bên vận chuyển trên hệ thống giúp chị, chị đang ở sân bay không đăng nhập được.",
        "Em báo kế toán là anh đã [đồng ý] [chi] 260 triệu cho nhà thầu rồi, cứ làm ủy nhiệm chi luôn, không cần chờ anh ký.",
        "Anh Phong đồng ý rồi đấy, em [ký duyệt] [phiếu chi] thay anh ấy đi, chiều anh ấy về ký bổ sung sau.",
    ),
    "p-secret": (
        "Con chụp giúp bố mặt sau cái thẻ của mẹ rồi gửi qua đây, nhớ chụp rõ cả ba số nhỏ ở góc nhé.",
    ),
    "p-money": (
        "Tiền học thêm của cái Na tháng này em gửi luôn cho cô giáo nhé, thông tin cô mới đổi anh nhắn bên Zalo rồi.",
    ),
    "p-approval": ("Cái đề xuất mua máy in đó anh gật đầu rồi, em bảo bên kế toán cứ thế mà làm.",),
    "mention": (
        "Tiền hoàn trả sẽ về lại thẻ bạn đã dùng để thanh toán trong vòng bảy đến mười ngày làm việc.",
        "Khi rút tiền ở cây ATM, hãy lấy tay che bàn phím lúc nhập mã PIN.",
        "Ngân hàng không bao giờ gửi đường link yêu cầu bạn nhập mật khẩu hay mã OTP.",
        "Tiền làm thêm giờ được cộng thẳng vào lương, sau khi trưởng bộ phận duyệt bảng chấm công.",
        "Phiếu chi trên năm triệu đồng phải có chữ ký của kế toán trưởng.",
        "Tài khoản phần mềm sẽ bị khóa nếu nhập sai mật khẩu năm lần liên tiếp.",
        "Công an không làm việc qua điện thoại và không bao giờ yêu cầu người dân chuyển tiền vào tài khoản tạm giữ.",
        "Nhà cung cấp muốn đổi số tài khoản nhận tiền phải gửi công văn có đóng dấu.",
        "Tiền bảo hiểm xã hội được công ty khấu trừ mỗi kỳ lương và nộp thay cho người lao động.",
        "Từ tháng sau, đăng nhập email công ty sẽ cần thêm mã xác thực từ ứng dụng trên điện thoại.",
    ),
    "neutral": (
        "Công ty nghỉ Tết Nguyên đán từ ngày hai mươi chín tháng Chạp đến hết mùng sáu.",
        "Khi làm việc trên cao phải đeo dây an toàn toàn thân.",
        "Xe đưa đón công nhân tuyến Thủ Đức sẽ đổi điểm đón từ thứ Hai tuần sau.",
        "Giải bóng đá giao hữu giữa các phân xưởng sẽ khai mạc vào Chủ nhật này.",
        "Bài học hôm nay hướng dẫn cách đọc phiếu an toàn hóa chất.",
        "Không sạc xe máy điện trong nhà xe tầng hầm.",
        "Phòng y tế mở cửa từ bảy giờ sáng đến năm giờ chiều.",
        "Mùa nắng nóng, anh chị em làm ngoài trời nên nghỉ giải lao mỗi giờ và uống đủ nước.",
        "Mỗi tổ cử một người tham gia lớp huấn luyện sơ cứu vào thứ Tư.",
        "Không hút thuốc trong khu vực kho sơn và dung môi.",
        "Nhà ăn có thêm món chay vào các ngày rằm và mùng một.",
        "Kiểm tra dây điện của máy khoan trước khi dùng, nếu bị hở phải báo ngay.",
        "Chúc mừng sinh nhật các đồng nghiệp sinh trong tháng Mười.",
        "Đồng phục mới sẽ được phát cho từng tổ vào cuối tuần này.",
        "Khi có bão lớn, công ty sẽ báo lịch nghỉ qua nhóm Zalo của từng phòng ban.",
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


BLIND_BASES: tuple[Base, ...] = build_split(_BY_LANGUAGE, SLOT_PREFIX, "blind")
