"""Every Chinese string the UI shows, in one place so it can be read and fixed together."""
from riverchief.lights import DEFAULT_TOLERANCE

APP_TITLE = "河长看板"
DEMO_TAG = "示例数据"
DEMO_NOTE = "当前为示例数据：区县、镇街、河流、人员和数字均为虚构，仅用于演示。"
NO_DATA = "尚未发布数据。请在项目目录运行 `make run`（自动生成示例数据），或运行 `python -m loaders demo`。"
BAD_DATA = "数据文件夹中的当前版本无法读取：{error}"
BAD_URL = "链接中的筛选条件无效，已忽略：{items}"

PAGE_BOARD = "三色看板"
ALL_DISTRICT = "全区"

FILTER_HEADER = "筛选"
FILTER_MONTH = "通报月份"
FILTER_TOWNSHIP = "镇街"
FILTER_RIVER = "河流（区级）"
FILTER_LIST = "清单"
FILTER_UNIT = "责任单位"
ALL_TOWNSHIPS = "全部镇街"
ALL_RIVERS = "全部河流"
ALL_LISTS = "全部清单"
ALL_UNITS = "全部责任单位"
FILTERS_LINE = "筛选条件：{text}"

METRIC_RED = "红灯"
METRIC_YELLOW = "黄灯"
METRIC_GREEN = "绿灯"
METRIC_TOTAL = "事项总数"
METRIC_HELP_DELTA = "与上期（{prev}）相比"
METRIC_NO_PREV = "无上期通报可比"
UNIT_ITEMS = "项"

CHART_BY_UNIT_EMPTY = "所选范围内本期没有红灯或黄灯事项。"
CHART_BY_LIST_TITLE = "三张清单亮灯情况"
CHART_UNITS_AXIS = "事项数（项）"
CHART_SOURCE = "数据：{district}河长办 · {notice}快照"
CHART_TOP_UNITS = "（红、黄灯最多的{n}个责任单位）"

TABLE_FLAGGED = "红灯、黄灯事项清单"
TABLE_FLAGGED_EMPTY = "所选范围内本期没有红灯或黄灯事项。"
COL_LIGHT = "灯色"
COL_LIST = "清单"
COL_ITEM_ID = "编号"
COL_TITLE = "事项"
COL_UNIT = "责任单位"
COL_RIVER = "河流"
COL_TOWNSHIP = "镇街"
COL_DEADLINE = "完成时限"
COL_OVERDUE = "逾期天数"
COL_RUN = "连续亮灯"
COL_PROGRESS = "完成进度"
COL_EXPECTED = "序时进度"
COL_QUANTITY = "完成量/目标"
COL_REASON = "亮灯原因"
STANDING = "长期坚持"

METHOD_TITLE = "口径说明"
METHOD_BOARD = f"""
- **亮灯规则**（每月通报日计算，结果随快照保存）：
  1. 河长办人工认定的灯色优先，并注明“人工认定”及理由；
  2. 通报日前已完成（已整改）的事项为**绿灯**；
  3. 超过完成时限仍未完成的事项为**红灯**，逾期天数 = 通报日 − 完成时限；
  4. 责任单位报告存在按期完成风险的未完成事项为**黄灯**；
  5. 尚未到开始时间的事项为绿灯；长期坚持任务不亮红灯：本月工作已报送完成为绿灯，否则为黄灯；
  6. 其余事项比较完成进度与序时进度：序时进度 =（通报日 − 开始日）÷（完成时限 − 开始日），
     完成进度 + 容差 ≥ 序时进度为绿灯，否则为黄灯。本快照容差为 **{{tolerance}}**（默认 {DEFAULT_TOLERANCE:.0%}）。
- **完成进度**：量化任务 = 已完成量 ÷ 目标量（最高100%）；其他事项为责任单位上报进度。
- **连续亮灯**：截至本期，该事项连续以同一灯色出现在通报中的期数（红灯事项每期计一次红灯，考核按亮灯次数计）。
- **上期比较**：与上一期通报（{{prev}}）在相同筛选条件下的数量之差。
- **数据来源**：{{source}}；数据版本 {{version}}，发布于 {{created}}。
"""

LIGHT_DOT = "●"
