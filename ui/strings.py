"""The UI's shared Chinese: the vocabulary several pages use, the help texts and method notes, and messages
shown from more than one place. A label shown in one place is written there, where it reads best;
tests/test_strings.py holds one name per text and one text per name."""
from riverchief.lights import DEFAULT_TOLERANCE

APP_TITLE = "河长看板"
DEMO_TAG = "示例数据"
DEMO_NOTE = "当前为示例数据：区县、镇街、河流、人员和数字均为虚构，仅用于演示。"
PAGE_ERROR = "本页出现意外错误，未能显示完整（数据未受影响）。请刷新重试；如仍出现，请把错误编号 {id} 告知系统管理员。"
NO_NOTICES_WAIT = "本区已开始使用，但区河长办还没有导入三张清单（没有任何一期通报）。导入后，这里会显示本区的亮灯、进展和水质。"
NO_NOTICES = ("本区已开始使用，但还没有三张清单（没有任何一期通报）。请在“数据管理”导入镇街、责任单位、河流、断面、"
              "三张清单和水质监测文件（可一次选择全部文件）；三色看板等页面在导入清单后出现。")
PAGE_RECOVER = "数据版本无法读取"
RECOVER_INTRO = "当前数据版本无法读取：{reason}。各页面暂停显示，以免出现错误的数字。可回退到一个完好的历史版本："
NO_CURRENT = "数据文件夹中有已发布的版本，但指明当前版本的 CURRENT 文件缺失"
BAD_DATA = "数据文件夹中的当前版本无法读取（CURRENT 指向的版本不存在或不完整）。请在“数据管理”回退到上一个版本，或联系管理员。"

# The shared vocabulary: the words column headers, filters, metrics and map layers all use.
TOWNSHIP = "镇街"
RIVER = "河流"
LIST = "清单"
UNIT = "责任单位"
ITEM = "事项"
PROGRESS = "完成进度"
SCHEDULE = "序时进度"
DONE = "已完成"
RECTIFIED = "已整改"
PATROLS = "巡河次数"
WHOM = "对象"
CONTENT = "内容"

PAGE_BOARD = "三色看板"
ALL_DISTRICT = "全区"

METRIC_HELP_DELTA = "与上期（{prev}）相比"
METRIC_SAME = "持平"
BOARD_WHAT = "河长制“三张清单”（重大事项、一河一策任务、突出问题）每月按完成情况亮灯，通报各责任单位。"
BOARD_LIGHTS = (("red", "红灯：超过完成时限仍未完成"), ("yellow", "黄灯：进度落后于序时进度或难以按期完成"),
                ("green", "绿灯：已完成或按序时推进"))
METRIC_NO_PREV = "无上期通报可比"
UNIT_ITEMS = "项"

NO_FLAGGED = "所选范围内本期没有红灯或黄灯事项。"
CHART_SOURCE = "数据：{district}河长办 · {notice}快照 · 范围：{scope}"

COL_LIGHT = "灯色"
COL_ITEM_ID = "编号"
COL_DEADLINE = "完成时限"
COL_OVERDUE = "逾期天数"
COL_REASON = "亮灯原因"

METHOD_TITLE = "口径说明"
METHOD_BOARD = f"""
- **亮灯规则**（每月通报日计算，结果随快照保存）：
  1. 河长办人工认定的灯色优先，并注明“人工认定”及理由；
  2. 通报日前已完成（已整改）的事项为**绿灯**；
  3. 超过完成时限仍未完成的事项为**红灯**，逾期天数 = 通报日 − 完成时限；
  4. 责任单位报告存在按期完成风险的未完成事项为**黄灯**；
  5. 尚未到开始时间的事项为绿灯；长期坚持任务不亮红灯：本月工作已报送完成为绿灯，未报送（含没有报送）为黄灯；
  6. 其余事项比较完成进度与序时进度：序时进度 =（通报日 − 开始日）÷（完成时限 − 开始日），
     完成进度 + 容差 ≥ 序时进度为绿灯，否则为黄灯；“落后N个百分点”= 显示的序时进度 − 显示的完成进度。
     新发布的灯色按容差 **{{tolerance}}**（默认 {DEFAULT_TOLERANCE:.0%}）确定。
- **灯色是通报的事实**：每期通报的灯色在发布时确定，此后修改规则或容差不改变已发布的灯色和扣分，除非河长办在“数据管理”中
  明确重新亮灯（记入操作记录）。本期灯色依据：**{{lit}}**。
- **完成进度**：量化任务 = 已完成量 ÷ 目标量（最高100%）；其他事项为责任单位上报进度。
- **连续亮灯**：截至本期，该事项连续以同一灯色出现在通报中的期数（红灯事项每期计一次红灯，考核按亮灯次数计）。
- **上期比较**：与上一期通报（{{prev}}）在相同筛选条件下的数量之差。
- **数据来源**：{{source}}；数据版本 {{version}}，发布于 {{created}}。
"""

LIGHT_DOT = "●"

# --- 水质 -------------------------------------------------------------------------------------------
PAGE_WATER = "水质"
WATER_NONE = "所选范围内还没有监测数据。"
WATER_RATES = "总磷、氨氮为{period}各断面年均值的平均（mg/L）；改善率（与去年同期比较，正值为改善）：{rates}"
WATER_M_HELP_YOY = "本月全部有监测结果的断面；变化与去年同月比较，只比较两年都有结果的断面"
WATER_PAIRED = ("变化只比较两年都有结果的断面：{parts}。")
WATER_M_HELP_RATE = ("各断面年均值（本年各月值的平均）的平均；变化与去年同期比较，只比较两年都有结果的断面；"
                     "括号内为改善率 =（去年 − 今年）÷ 去年")
WATER_STORY_IMPROVED = "**{rivers}** 由{year}年{before}改善为{after}"
WATER_STORY_WORSE = "**{rivers}** 由{year}年{before}变差为{after}"
WATER_TREND_TITLE = "{what}：{name}{year}年{period}均值{value:.3f} mg/L{change}"
WATER_ATTAIN_TITLE = "{month}断面达标率{met:.1%}，Ⅰ–Ⅲ类比例{good:.1%}"
COL_SECTION = "断面"
COL_TARGET = "目标"
COL_TP = "总磷 mg/L"
COL_NH3N = "氨氮 mg/L"
COL_CLASS_THIS = "今年类别"
YES, NO = "达标", "未达标"
BODY_NAMES = {"river": "河流", "lake": "湖库"}
METHOD_WATER = """
- **水质类别**：按《地表水环境质量标准》（GB 3838-2002）单因子评价，断面类别取总磷、氨氮、高锰酸盐指数、
  溶解氧中最差的类别；“定类因子”为达到该类别的因子。数值等于某类限值时属于该类（溶解氧为不低于限值）。
  湖库断面总磷按湖库限值（Ⅲ类 0.05 mg/L）评价，河流断面按河流限值（Ⅲ类 0.2 mg/L）。超过Ⅴ类限值为劣Ⅴ类。
- **月值**：{monthly}。手工监测取当月全部监测结果的算术平均；自动监测先算日均值，再取日均值的平均。
- **年均值**：本年（截至所选月份）各月值的算术平均，某月没有该因子的结果时该月不计入。多个断面的均值为各断面年均值的平均。
  与去年同期（同样的月份）比较时，只比较两年都有结果的断面。改善率 =（去年同期 − 今年）÷ 去年同期，正值为改善。
- **检出限以下**：报告为“0.01L”一类的结果保留“未检出”标记，计算均值时按检出限的一半计。
- **超标倍数** =（浓度 − 标准限值）÷ 标准限值，分别对照Ⅲ类和断面水质目标；负值表示未超标。
  **主要污染物**：超过Ⅲ类限值的因子，按超标倍数从大到小列前三项。
- **达标**：断面类别不差于其水质目标。**河流评价**：有{share_min}个及以上断面的河流按Ⅰ–Ⅲ类断面比例评价
  （≥90%优，75%–90%良好；不足75%时：劣Ⅴ类<20%轻度污染，劣Ⅴ类≥20%中度污染，Ⅰ–Ⅲ类<60%且劣Ⅴ类≥40%重度污染）；
  不足{share_min}个断面的河流、以及湖库（不论点位多少）按各断面（点位）均值的类别评价（《地表水环境质量评价办法（试行）》；
  断面数由本区规则文件规定）。
- **颜色**：水质类别用方形色块并写明类别（Ⅰ–Ⅱ类蓝、Ⅲ类绿、Ⅳ类黄、Ⅴ类橙、劣Ⅴ类红），与任务亮灯的圆点区分。
- **数据来源**：{source}；数据版本 {version}。
"""

# --- 河流地图 ----------------------------------------------------------------------------------------
PAGE_MAP = "河流地图"
MAP_COLOURS = {"water_worst": "按水质类别（断面最差）", "water_mean": "按水质类别（断面均值）", "lights": "按任务亮灯（最差）"}
MAP_LEGEND_TITLE = {"water_worst": "河流水质类别（断面最差）", "water_mean": "河流水质类别（断面均值）",
                    "lights": "河流任务亮灯（最差）"}
MAP_TOOLTIP_RIVER = ["河流", "级别", "状态"]
MAP_NO_DATA = "无数据"
MAP_NOTHING = "还没有可画的地图：请在“数据管理”导入区界、镇街边界或河流走向（GeoJSON、GeoPackage 或压缩的 Shapefile）。"
MAP_UNSHAPED_NOTE = "以下对象尚无地图图形（可在“数据管理”导入地图文件补充），地图上未画出："
MAP_UNSHAPED = {"township": "镇街 {n} 个：{names}", "river": "河流 {n} 条：{names}"}
MAP_RIVER_LIGHTS = "{light}（红灯{red}项、黄灯{yellow}项，共{items}项）"
MAP_SECTION_POPUP = ("<div style=\"font-size:13px;line-height:1.7\"><b>{name}</b>（{river}）<br>"
                     "本月 {badge} 目标{target} {meets}<br>总磷 {tp} mg/L（去年同月 {tp_last}）<br>"
                     "氨氮 {nh3n} mg/L（去年同月 {nh3n_last}）<br>去年同月 {last_badge}</div>")
MAP_PROBLEM_TOOLTIP = "{title}<br>{light} · {status} · {unit}"
MAP_CLICK_HINT = "点击镇街或区级河流即按其筛选（筛选条件在左侧栏和链接中，其他页面同样生效）；再次点击同一对象取消。"
MAP_SUMMARY = "河流 {rivers} 条（区级 {district} 条）· 监测断面 {sections} 个 · 未销号问题 {problems} 个"
METHOD_MAP = """
- **河流颜色**：按水质类别时，取该河流各监测断面本月结果——“断面最差”取最差断面的类别，“断面均值”取各断面浓度
  均值的类别（单因子评价，GB 3838-2002）；按任务亮灯时，取该河流本期通报中三张清单事项的最差灯色。
  没有断面或事项的河流为灰色。线宽按河流级别（区级、镇级、村级）。
- **监测断面**：方形标记，颜色为本月水质类别；点开可见类别、目标、总磷、氨氮和去年同月结果。
- **问题点位**：本期未销号的巡河、举报、督察问题，圆点颜色为其灯色。
- **底图**：默认不加载在线底图，区界、镇街和河流即为底图，内网离线可用；如需底图见 README（天地图、高德、内网瓦片）。
  图形为显示做了约30米的简化，坐标以WGS84存储（使用高德底图时转换为GCJ-02显示）。
- **数据来源**：{source}；数据版本 {version}。
"""
MAP_SECTION_BADGE = ('<div style="background:{colour};color:{text};border:1.5px solid #fff;outline:1px solid #5F6368;'
                     'font:600 11px/16px sans-serif;text-align:center;width:22px;height:16px">{numeral}</div>')

# --- 三色看板: changes, supervision, notice, drill-down, meeting mode ---------------------------------
COL_RED_LIGHTS = "红灯次数"
COL_YELLOW_LIGHTS = "黄灯次数"
COL_KIND = "类别"
SUPERVISION_LINE = "批示 {批示} 次 · 约谈 {约谈} 次 · 提醒 {提醒} 次 · 交办 {交办} 次 · 通报 {通报} 次"
NOTICE_HELP = "按当前月份和筛选条件生成，数字与本页一致。"
MEETING_ENTER_HELP = "全屏大字、无侧栏、一屏一事，用方向键或按钮翻页"
DRILL_HINT = "点击图中责任单位可筛选到该单位；选中表格中的一行可查看事项详情。"

PAGE_MEETING = "会议模式"
PAGE_GLANCE = "手机看板"
GLANCE_FULL = "完整看板"
GLANCE_WHAT = "河长制“三张清单”事项每月亮灯通报。"
GLANCE_LIGHTS = (("red", "红灯 逾期未完成"), ("yellow", "黄灯 进度落后"), ("green", "绿灯 按期或已完成"))

PAGE_ITEM = "事项详情"
ITEM_PICK_FIRST = "共{n:,}项，下拉列表列出前{shown:,}项（红灯、黄灯在前）；请用左侧筛选缩小范围，或从看板点开事项"
ITEM_NOT_ON_NOTICE = "该事项不在{notice}中，显示其最近一期的情况。"
ITEM_TIMELINE_TITLE = "{n}期通报中：红灯{red}次、黄灯{yellow}次、绿灯{green}次"
ITEM_OVERRIDE_HELP = "认定后计入该期灯色，并在各处标注“人工认定”；原因、操作人和时间随数据保存。"
FIELD_NAMES = {
    "item_id": "编号", "list": "清单", "title": "事项", "unit_name": "责任单位", "co_units": "配合单位",
    "river_name": "河流", "co_rivers": "涉及其他河流", "funds_plan": "计划资金",
    "township_name": "镇街", "start_date": "开始日期", "deadline": "完成时限", "target": "量化目标",
    "done": "已完成量", "progress": "完成进度", "status": "状态", "done_date": "完成日期", "funds": "落实资金",
    "funds_spent": "已支出资金", "source": "来源", "exposed": "是否曝光", "at_risk": "风险提示",
}

# --- 考核评分 ---------------------------------------------------------------------------------------
PAGE_SCORE = "考核评分"
SCORE_RULES_ERROR = "考核规则文件有误，未采用：{error}。当前按{source}计分。"
RULES_FALLBACK = "本区规则文件有误，未采用：{error}。本页按{source}的规定（{what}）。"
SCORE_WATERFALL = "{unit}：{total:.1f}分（满分{base:g}分{parts}）"
SCORE_WHATIF_HELP = "修改分值后对比正式排名与试算排名；保存为正式规则需填写操作人，并留存记录。"
COL_RANK = "名次"
SCORE_SCOPE_NOTE = "考核对全区所有单位计分排名，镇街、河流、清单、责任单位筛选不影响排名。"
COL_TOTAL = "总分"
RULE_LABELS = {
    "red_points": "每个红灯", "yellow_free": "免扣黄灯个数", "yellow_points": "每个黄灯（超出部分）",
    "all_green_points": "全年全绿加分", "water_decline_points": "水质变差扣分", "water_decline_threshold": "变差阈值（改善率）",
    "water_weight": "改善加分权重", "water_cap": "改善加分上限", "tp_floor": "总磷清洁线（mg/L）",
    "nh3n_floor": "氨氮清洁线（mg/L）", "complaint_points": "每件重复举报", "bonus_cap": "加分合计上限",
}
SCORE_SUPERVISION = "本年督办记录（{n}次：{kinds}；批示、约谈、提醒、交办不直接计分，供评价参考）"
SCORE_SECTION_COLS = {"section": "部分", "full": "满分", "deducted": "按规则应扣", "counted": "实扣", "score": "得分",
                      "capped": ""}
METHOD_SCORE = """
- **总分** = 各部分得分之和 + 加分。评分分为若干部分（默认：三张清单落实40、水质改善30、河长履职评价20、社会监督10），
  每部分的扣分“扣完为止”，最多扣到该部分0分；加分（全年全绿、水质改善）合计不超过上限。瀑布图中“扣完为止”“加分封顶”
  两项即为封顶的调整。各项分值、各部分满分来自规则文件 `{rules_file}`（修改文件即修改评分，格式有误时沿用上一次有效的规则并提示）。
- **红灯、黄灯**：按每期通报亮灯次数累计（同一事项连续三期红灯计三次），统计本年1月至所选月份的通报；
  黄灯前若干次不扣分。人工认定的灯色按认定结果计。
- **全年全绿**：本年每期通报中本单位的事项全部为绿灯（本年有事项的单位）。
- **水质**（镇街）：辖区监测断面本年1月至所选月份的均值与上年同期比较，总磷、氨氮改善率 =（上年 − 今年）÷ 上年，
  取平均为综合改善率；低于负阈值扣分，为正按权重加分并封顶；上年已低于清洁线的因子不参与（避免按噪声计分）。
  部门和辖区无断面的镇街不计水质分。
- **河长评价**：区级河长对单位的年度评价（好、较好、一般）。**重复举报**：群众重复举报仍未整改或造成负面影响的，每件扣分。
- **数据来源**：{source}；数据版本 {version}。
"""

# --- 整改进度 ---------------------------------------------------------------------------------------
PAGE_PROGRESS = "整改进度"
PR_FLOW_TITLE = "本年发现{found}个问题，已整改{rectified}个（{rate:.1%}），已销号{closed}个"
LB_SUSPECTED = "疑似反弹：同一河流同一位置（{radius}米内）销号后{days}天内再次发现同类问题"
TK_OVERALL_NOTE = "总体进度 = 各项任务完成进度的算术平均（量化任务按已完成量÷目标量，最高100%；长期坚持类任务不计入），共{n}项任务。"
TK_S_CURVE = "计划与实际进度（S曲线）：截至{month}实际{actual:.1%}，计划{planned:.1%}"
TK_FUNDS = "重大项目资金（万元）：落实{secured:,.1f}万元，已支出{spent:,.1f}万元"
PT_TABLE = "河长巡河情况（应巡次数：区级每月{区级}次、镇级{镇级}次、村级{村级}次）"
COL_COUNT = "数量"
COL_SOURCE = "来源"
COL_TOTAL_PROBLEMS = "问题数"
COL_RATE = "完成率"
COL_TASKS = "任务数"
COL_TARGET_QTY = "目标量"
METHOD_PROGRESS = """
- **问题**：本年发现的巡河、群众举报、督察反馈问题，按所选通报日的状态统计。流程：发现 → 交办 → 整改中 → 已整改 → 销号；
  回头看发现反弹的问题重新打开（状态“反弹重办”），回到整改中，直到再次整改、销号。
- **整改率** = 已整改 ÷ 本年发现；**逾期** = 未整改且超过整改时限，按逾期天数分段；**整改用时** = 整改日期 − 发现日期。
- **曝光问题**：本年突出问题整改清单中经区总河长会议曝光的问题（同三色看板）。
- **回头看**：对已销号问题的抽查记录；反弹率 = 反弹 ÷ 抽查。**疑似反弹**：同一河流、同类问题在原问题销号后{days}天内、
  {radius}米内再次被发现，即使没有回头看也提示。
- **任务推进**：“一河一策”任务（不含长期坚持类）。总体进度 = 各任务进度的平均；序时进度 =（通报日 − 开始日）÷（完成时限 − 开始日），
  取0–100%；S曲线为各期通报的平均实际进度与平均序时进度。重大项目资金取各季度末通报的落实与支出。
- **巡河**：应巡次数 = 每月应巡次数 × 本年已过月数；有巡河记录但从未上报问题的河长标记“提醒”。
- **数据来源**：{source}；数据版本 {version}。
"""

# --- exports ----------------------------------------------------------------------------------------
TABLE_FIRST_ROWS = "表中显示前{shown:,}行（共{n:,}行），请用筛选缩小范围"
TABLE_FIRST_ROWS_EXCEL = "表中显示前{shown:,}行（共{n:,}行），请用筛选缩小范围，或下载Excel查看全部"
TABLE_EXPORT_LINE = "{title} · 范围：{scope} · 通报日期：{notice} · 数据版本 {version}"
CHART_EXPORT_UNAVAILABLE = "服务器未安装 Chromium，无法生成图片（可用图表右上角的相机按钮）"
PACK_HELP = "封面、亮灯与变化、各单位亮灯、红灯事项、问题与任务、总磷氨氮与水质类别、考核排名；图表在服务器生成，约需几秒。"

# --- 数据管理 ---------------------------------------------------------------------------------------
PAGE_DATA = "数据管理"
DATA_CURRENT = "当前数据：版本 {id}，{created} 由 {by} 发布（{source}）"
DATA_TEMPLATES_HELP = "每张表一个 Excel 模板：中文表头、示例行和“填写说明”工作表。"
DATA_UPLOAD = "导入文件"
DATA_UPLOAD_HELP = ("可一次选择全部文件：Excel（.xlsx、.xls，一个文件可有多张工作表）、CSV（UTF-8 或 GBK）和地图文件"
                    "（GeoJSON、GeoPackage、KML/KMZ、压缩的 Shapefile，任意坐标系）。标题行、两层表头、小计/合计行，“2024年底前”"
                    "“推进中（60%）”“0.01L”“未检出”、月份横排、μg/L 等写法均可识别；不认识的写法只需说明一次，以后自动使用。"
                    "有问题的工作表或行暂缓导入，其余照常发布；同一文件再次导入不会重复。确认发布前，当前数据不受影响。")
DATA_ROLLBACK_PICK = "回退到版本"
DATA_ROLLBACK = "回退"
DATA_SWITCH = "当前为示例数据。开始使用本区数据后，导入的文件不会与示例数据混在一起；示例数据的版本仍保留，可随时回退查看。"
DATA_CRS = "地图文件的坐标系（文件中和文件名中都没有写明时填写，如 EPSG:4524）"
DATA_MAP_KINDS = {"": "自动判断", "district": "行政区界", "townships": "镇街边界", "rivers": "河流走向"}
DATA_UNKNOWN = "有 {n} 张工作表没有识别出来。请为每一列选择它的内容（不需要的列选“忽略”），保存后会记住，下个月同样表头的文件会自动识别。"
DATA_NEW_UNITS = "以下 {n} 个单位在清单中出现，但不在责任单位名单中：{names}。"
DATA_CHECKING = "正在检查文件……（服务器同时只检查一份导入，其他人正在导入时请稍候）"
DATA_CHANGED_SINCE = "数据在检查后发生了变化（可能有人刚刚导入），请重新检查预览后再发布"
DATA_NOTES = "导入说明（{n} 条：跳过的小计/说明行、按文件名判断的坐标系等）"
COL_TABLE = "数据表"

# --- 开始使用 -----------------------------------------------------------------------------------------
PAGE_START = "开始使用本区数据"
START_INTRO = ("RiverBoard 从一个空的本区数据开始：填写本区名称后，到“数据管理”一次上传河长办的全部文件"
               "（镇街和部门名单、河流名录、监测断面、三张清单、水质监测数据、区界和镇街边界地图），"
               "检查预览无误后发布。示例数据不会混入本区数据。")
START_DEMO_HELP = "载入一个虚构的示例区县（示例数据），以后可随时开始使用本区数据。"

# --- 登录与账号 ---------------------------------------------------------------------------------------
AUTH_TITLE = "河长看板 · 登录"
AUTH_LOGIN = "登录"
AUTH_LOGOUT = "退出登录"
AUTH_GUEST_SIDE = "访客（只读）：本机查看示例数据无需登录；导入、月报送等须以账号登录。"
AUTH_GUEST_BANNER = "您以访客身份在本机查看示例数据（只读）：导入、月报送、人工认定等须在侧栏登录（手机上点左上角 » 打开侧栏）。"
AUTH_IDLE = "超过 {minutes} 分钟未操作，已自动退出，请重新登录。"
AUTH_NO_ACCOUNTS = ("尚未创建任何账号。请在服务器上运行（项目文件夹中）：\n\n"
                    "`.venv/bin/python -m riverchief.office add 账号名 --role office --name 区河长办`\n\n"
                    "命令会显示一次性密码，首次登录时须修改。")
AUTH_SSO_REFUSED = "“{name}”已通过统一身份认证，但不能进入河长看板：{why}。请联系区河长办开通或更正。"
AUTH_SSO_EXPIRED = "超过 {minutes} 分钟未操作（或已退出），本次登录已结束。请重新通过统一身份认证登录。"
AUTH_SSO_AGAIN = "重新登录（统一身份认证）"
AUTH_SSO_MAPPING = "统一身份认证的用户或组映射有 {n} 处错误，涉及的用户登录时会被拒绝。详情见“账号管理”或服务器日志。"
AUTH_SSO_NO_USERINFO = "认证服务没有给出用户信息（userinfo），无法确定账号和所在组；请稍后重新登录，如持续出现请联系系统管理员"
AUTH_SSO_OPEN_AT = "本系统应从 {where} 打开。"
AUTH_COOKIE_FAILED = "登录未能完成：服务器没有建立会话（请刷新后重新登录；如持续出现，请联系系统管理员）。"
AUTH_SSO_BROKEN = "统一身份认证的设置有误，暂时无法登录。请管理员改正 .streamlit/secrets.toml 后重启河长看板："
UNIT_SCOPE_NOTE = "您以{unit}账号登录：各页面只显示本单位的事项、问题和得分；全区只显示汇总数。"
UNIT_DISTRICT_TOTALS = "全区汇总：红灯 {red} 项 · 黄灯 {yellow} 项 · 绿灯 {green} 项（共 {total} 项）"

PAGE_ACCOUNTS = "账号管理"
ACC_ROLES_HELP = ("领导：查看各页面和会议模式（只读）；分析：查看并导出；河长办：导入、规则、人工认定、回退、账号、月报送；"
                  "责任单位：只看本单位并填报本单位进展。")
ACC_ROLE = "角色"
ACC_UNIT = "所属单位（责任单位账号必选）"
ACC_CREATED = "已创建账号 {user}。一次性密码：`{pw}`（只显示这一次，请当面或电话告知；首次登录须修改）"
ACC_RESET_DONE = "已重置 {user} 的密码。一次性密码：`{pw}`（只显示这一次）"
ACC_SAVE_ROLE = "保存角色"
ACC_DONE = "已保存。"
ACC_COLS = {"username": "账号", "name": "名称", "role": "角色", "unit": "所属单位", "state": "状态",
            "last_login": "最近登录", "created_at": "创建时间"}
ACC_SSO_MAPPING = ("统一身份认证的用户或组映射（.streamlit/secrets.toml 的 [riverboard.sso]）有误，涉及的用户登录时会被拒绝；"
                   "改正后保存即生效：")
ACC_UNIT_IDS = "本区单位编号"
ACC_WAITING_ADDRESSES = "登录等待中的地址"
ACC_WAITING_HELP = ("从这些地址多次输错密码，此后每次须等待更久（最长15分钟）才能再试；账号本身不会被锁定。"
                    "确认是本单位人员输错后，可在此解除。")

PAGE_AUDIT = "操作记录"
AUDIT_ALL = "全部"
AUDIT_COLS = {"at": "时间", "actor": "操作人", "role": "角色", "action": "操作", "target": "对象", "detail": "内容"}
AUDIT_FILE_NOTE = ("数据版本的每次发布与回退都在此列出：命令行或示例数据的发布、账号与报送库中断时的发布，"
                   "按数据文件夹的提交记录（commits.log）列为“发布数据版本”。")

# --- 月报送 -----------------------------------------------------------------------------------------
PAGE_ROUNDS = "月报送"
PAGE_REPORT = "本单位月报"
ROUND_OPEN_HELP = "以最新一期通报（{base}）为基础，各责任单位填报本单位未完成事项和问题的进展；审核后发布为{month}通报。"
ROUND_RETURNED = "被退回"
ROUND_REMIND_TEXT = "请以下单位于{deadline}前在河长看板报送{month}进展：{names}"
ROUND_REVIEW = "逐项审核"
ROUND_REVIEW_HELP = ("“提示”一栏标出与上月相同、单位确认本月无进展、进度倒退、一月跃升超过50个百分点、100%未填完成日期、"
                     "完成晚于截止、逾期报送和单位标记的风险。先选“通过/退回”，退回须写理由，再点保存。")
ROUND_ACCEPT = "通过"
ROUND_RETURN = "退回"
ROUND_REVIEWED = "已审核 {n} 条。"
ROUND_PUBLISH_HELP = "采用已通过的报送；未报送或被退回的事项沿用上期数据，按亮灯规则重新亮灯。与导入相同，发布是原子的，可回退。"
ROUND_PUBLISHED = "已发布{month}通报（数据版本 {id}），三色看板、通报和考核已随之更新，各页面已切换到{month}通报。"
ROUND_PUBLISH_TITLE = "发布{month}通报"
ROUND_CONFIRM = "**确认发布{month}通报？** 报送率 **{rate}**（{units}个应报单位中{reported}个已报送）。发布后灯色按本期数据重新计算，各页面切换到新通报。"
ROUND_CONFIRM_MISSING = "以下{n}个单位尚未报送完毕（未报送、草稿未提交或有被退回的）：{names}"
ROUND_CONFIRM_PENDING = "还有{n}条报送待审核，请先在上方逐项审核，再发布。"
ROUND_CONFIRM_CARRIED = "发布后，没有已通过报送的**{carried}**项事项和问题沿用上期数据，按亮灯规则重新亮灯。"
ROUND_CONFIRM_STANDING = "长期坚持任务中本月工作未报送完成的**{standing}**项将亮**黄灯**。"
ROUND_CONFIRM_YES = "确认发布"
ROUND_CONFIRM_NO = "取消"
ROUND_ACCEPT_QUIET = "通过全部无提示的报送（{n}）"
ROUND_ACCEPT_QUIET_HELP = "只通过“提示”一栏为空的报送；与上月相同、单位确认无进展、进度倒退等有提示的，须逐项审核。"
REVIEW_ROW_HEIGHT = 72  # tall enough for the warnings to wrap onto three lines
ROUND_STATUS = {"open": "进行中", "publishing": "发布中", "published": "已发布"}
ROUND_COLS = {"unit": "责任单位", "open": "应报事项", "entries": "已填", "status_name": "状态", "pending": "待审核",
              "accepted": "已通过", "returned": "被退回", "submitted_at": "提交时间"}
REVIEW_COLS = {"unit": "责任单位", "kind": "类别", "title": "事项/问题", "before": "上期进度", "progress": "本期进度",
               "done_qty": "已完成量", "done_date": "完成日期", "risk": "风险", "note": "说明", "status_name": "状态",
               "warnings": "提示", "pick": "选择"}
KIND_NAMES = {"item": "事项", "problem": "问题"}
REPORT_INTRO = "请填报本单位每项未完成事项和问题截至{notice}的进展，{deadline}前提交。可先保存草稿；提交后由区河长办审核。"
REPORT_DOWNLOAD = "下载本单位报送表（Excel）"
REPORT_UPLOAD = "上传填好的报送表（.xlsx，不超过50MB）"
REPORT_COLS = {"kind": "类别", "title": "事项/问题", "deadline": "截止日期", "target": "目标", "before": "上期进度",
               "done_qty": "已完成量", "progress": "本月进度（%）", "no_progress": "本月无进展", "done_date": "完成日期",
               "at_risk": "难以按期完成", "risk_reason": "原因", "note": "说明", "status_name": "状态",
               "return_reason": "退回理由"}
REPORT_HELP = {
    "done_qty": "量化任务：填截至本月底累计完成的数量（单位同目标），进度按完成量÷目标计算。",
    "progress": "截至本月底累计完成的百分比（0–100）。长期坚持任务填本年累计落实程度，并在“说明”中写明本月工作。",
    "no_progress": "本月确实没有进展时勾选：进度与上期相同的事项，须勾选此项或填写新的进度才能提交。"
                   "长期任务请在“说明”中写明本月工作；长期任务勾选此项，视为本月工作未落实，亮黄灯。",
    "note": "本月做了什么；长期坚持任务写明本月工作，即视为已报送本月工作。",
}
REPORT_STANDING = "长期任务"
REPORT_STATUS = {"": "未填", "draft": "草稿", "returned": "被退回", "submitted": "已提交待审核", "accepted": "已通过"}
REPORT_TO_FILL = "待填报（{n}项）"
REPORT_FILL_HELP = ("表中预填的是上期数据，请逐项改为截至本月底的进展。确实没有进展的，勾选“本月无进展”；"
                    "被退回的排在最前，按退回理由修改后重新提交。")
REPORT_LOCKED = "已提交或已通过（{n}项，不能修改）"
REPORT_LOCKED_HELP = "这些项目已交区河长办审核或已通过，不能再改；如需更正，请联系区河长办退回。"
REPORT_ALL_SENT = "本单位本轮的事项和问题都已提交，等待区河长办审核；被退回的项目会出现在这里，可修改后重新提交。"
REPORT_UPLOAD_LOCKED = "上传的报送表中有{n}项已提交或已通过，这些项目未采用上传的值。"
REPORT_SUBMITTED = "已提交，等待区河长办审核。"
REPORT_SAVED = "已保存 {n} 项草稿（尚未提交）。"
# the round on a unit's first screen: its task
TASK_TITLE = "{month}报送进行中 · 截止{deadline}"
TASK_LINE = "本单位应报{open}项："
TASK_PARTS = {"unfilled": "未填{n}项", "drafts": "草稿未提交{n}项", "returned": "被退回{n}项", "submitted": "待审核{n}项",
              "accepted": "已通过{n}项"}
TASK_RETURNED = "被退回{n}项，请修改后重新提交："
TASK_DONE = "本单位已全部提交，等待区河长办审核。"
TASK_OVERDUE = "已过报送截止日期，请尽快提交。"
TASK_GO = "去填报"
UPLOAD_BUTTON = "选择文件"
TABLE_MISSING = "—"  # a missing value in a table
UPLOAD_DROP = "或将文件拖到此处"
START_NOT_OFFICE = "本区数据由区河长办导入；导入后即可在此查看本单位的事项和灯色。如已导入仍看到此页，请联系区河长办。"

# --- 督办通知／提醒函 ---------------------------------------------------------------------------------
PAPER_HELP = "生成 Word 公文发给责任单位（红灯为督办通知／交办单，黄灯为提醒函），并记为一条督办记录（三色看板的本期督办、事项详情可见）。"
PAPER_ISSUED = "已登记{number}（数据版本 {id}），可在下方“已发督办文件”中下载 Word 文件。"
PAPERS_ISSUED_TITLE = "已发督办文件（{n}份）"
PAPERS_ISSUED_LINE = "{number}《{title}》致{to}，{date}发，请于{reply}前回复：{items}"
PAPERS_DOWNLOAD = "下载 Word"

# --- 预警 -------------------------------------------------------------------------------------------
WARN_TITLE = "下期预警：预计{month}通报新增红灯{red}项、黄灯{yellow}项"
WARN_HELP = "按完成时限和各事项近{pace}期通报的实际进度推算下期灯色；只列出预计比本期更差的事项，便于提前督促。"
WARN_WILL = "将转"
WARN_METHOD = """
- **下期预警**：下期通报日前已到完成时限仍未完成的，预计红灯；其余按该事项近{pace}期通报（不足{pace}期按开始以来）的进度增速，
  推算下期通报日的完成进度，低于下期序时进度超过容差的，预计黄灯。只列出预计比本期更差的事项；长期坚持任务、已完成和已亮红灯的事项不预警。"""
WARN_RECORD = """
- **预警回测**（在本数据的历次通报上逐期重算，与下一期实际灯色比较）：{notices}期共预警{warned}项次，其中{hits}项次下期确实转黄或转红
  （命中率{precision}）；下期实际转黄或转红的{turned}项次中，{foreseen}项次事先有预警（覆盖率{recall}）。"""
WARN_RECORD_NONE = "\n- **预警回测**：通报不足两期，尚无法回测。"

WATER_OUTLOOK_HELP = ("年均值 = 本年各月均值的算术平均。为使总磷、氨氮年均值达到水质目标类别的限值，剩余各月均值须不高于下列数值；"
                      "低于近三年同期最低值的，标为预计无法达标。第一行为所选范围内河流断面（不含湖库）逐月均值的年均值，"
                      "按这些断面共同的水质目标评价（目标不一时按最严的目标，并在名称中注明）；"
                      "上方“总磷均值”是全部断面（含湖库）年均值的平均，因此两者可能不同。")
WATER_OUTLOOK_COLS = {"section_name": "断面", "river_name": "河流", "factor_name": "因子", "target": "目标",
                      "limit": "限值（mg/L）", "months": "已测月数", "mean": "本年均值", "need": "剩余月份需≤",
                      "words": "达标形势"}

# --- 数据管理: the rules behind the figures -----------------------------------------------------------------
DATA_RULES_TITLE = "亮灯与水质口径"
DATA_RELIGHT_HELP = ("每期通报的灯色在发布时按当时的规则确定。此后修改规则或容差，已发布通报中情况未变的事项保留原灯色和由此计算的扣分；"
                     "导入更正了某期事项的进度、日期等情况时，只有被更正的事项按现行规则重新亮灯。"
                     "要让整期通报按现行规则（{rule}）重新亮灯，请在此选择通报并确认，操作将记入操作记录。")
DATA_RELIGHT_CONFIRM = "我已知晓：所选通报的灯色、亮灯次数和考核扣分将按现行规则重新计算"
DATA_RELIGHT_CONFIRM_FIRST = "请先勾选确认，再重新亮灯。"
DATA_WATER_RULE_NOW = "当前水质月值口径：{words}。"
