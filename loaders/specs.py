"""What an office file may hold: for each table, its Chinese headers (with the synonyms met in real
files), what each column must be, and how a file's rows replace the current ones.

Names, not ids, are what people type: rivers, townships, units and sections are written by name and
resolved against the data (or the same upload), with "did you mean" suggestions for near misses.
"""
from __future__ import annotations

from dataclasses import dataclass

from riverchief import schema
from riverchief.schema import SUPERVISION_KINDS


@dataclass(frozen=True)
class Field:
    column: str  # the data model's column (riverchief/schema.py)
    header: str  # the header in templates and messages
    kind: str  # text int float date datetime deadline progress coord bool class conc choice river township unit section
    required: bool = False
    synonyms: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    example: object = None
    note: str = ""
    many: bool = False  # several names in one cell (、，/ line break): the first leads, the rest are kept too
    template: bool = True  # a column of the Excel template (the long form of readings is read, not offered)


@dataclass(frozen=True)
class TableSpec:
    table: str
    title: str  # sheet name in the template, kind name in messages
    key: tuple[str, ...]  # what identifies a row
    fields: tuple[Field, ...]
    replace_by: tuple[str, ...] = ()  # a file replaces every current row sharing these values (a notice's snapshot)
    hints: tuple[str, ...] = ()  # words in a file, sheet or title name that point to this table

    def headers(self) -> dict[str, Field]:
        return {f.header: f for f in self.fields}

    def headers_of(self) -> dict[str, str]:
        """Each column's header as the templates and messages say it."""
        return {f.column: f.header for f in self.fields}


YES_NO = ("是", "否")
DEFAULT_DAYS = 30  # a problem ledger without a 整改时限 (a 12345 hotline export): due this many days after it was found
# The words a file names a list with: the names notices use, and the shorter ones offices write.
LIST_WORDS = {**{name: kind for kind, name in schema.LIST_NAMES.items()}, "重大项目": "major", "重大事项": "major",
              "一河一策": "task", "一河一策任务": "task", "突出问题": "problem",
              # many districts call their three lists 问题清单、任务清单、责任清单; a 责任清单 holds standing
              # responsibilities (长期): standing tasks, never red
              "问题清单": "problem", "任务清单": "task", "责任清单": "task"}
# The words a file names a section's water body with; a lake (湖库) is judged by the lake TP limits.
BODY_WORDS = {"河流": "river", "湖库": "lake", "水库": "lake", "湖泊": "lake"}
# Columns an id may be written under that are only a row's number (序号), never an identity.
SEQUENCE_HEADERS = ("序号", "编号", "序", "No", "NO", "no")

SPECS: dict[str, TableSpec] = {s.table: s for s in (
    TableSpec("townships", "镇街", ("township_id",), (
        Field("township_id", "镇街编号", "text", False, ("镇街代码", "行政区划代码"), example="T01",
              note="可不填，系统按名称编号"),
        Field("name", "镇街名称", "text", True, ("镇街", "名称", "乡镇（街道）", "镇（街道）", "镇（街道）名称", "乡镇街道",
                                              "乡镇", "街镇", "乡镇（街道）名称", "镇街道"), example="白鹤镇"),
        Field("kind", "类型", "choice", False, ("类别", "镇街类型"), choices=("镇", "街道", "乡"), example="镇",
              note="可不填，名称以“街道”结尾的为街道"),
    ), hints=("镇街", "乡镇", "街道")),
    TableSpec("units", "责任单位", ("unit_id",), (
        Field("unit_id", "单位编号", "text", False, ("单位代码",), example="D01", note="可不填，系统按名称编号"),
        Field("name", "单位名称", "text", True, ("单位", "部门名称", "部门", "责任单位名称", "成员单位"), example="区水利局"),
        Field("kind", "类别", "choice", False, ("单位类别",), choices=("镇街", "部门"), example="部门",
              note="可不填：与镇街同名的为镇街，其余为部门"),
        Field("alias", "简称", "text", False, ("单位简称", "简写"), template=False,
              note="清单中写简称时（如“水利局”），按此对应到单位名称，并记住"),
        Field("township_id", "所属镇街", "township", note="镇街单位填写其镇街名称，部门留空"),
    ), hints=("部门", "单位", "成员单位")),
    TableSpec("rivers", "河流", ("river_id",), (
        Field("river_id", "河流编号", "text", False, ("河流代码", "河库编码", "河流编码"), example="R01",
              note="可不填，系统按名称编号"),
        Field("name", "河流名称", "text", True, ("河流", "名称", "河流（湖库）名称", "河库名称", "河湖名称", "河流（水库）名称",
                                              "河湖库名称"), example="玉带河"),
        Field("level", "河流级别", "choice", False, ("级别", "河流等级", "河长级别", "等级"), choices=("区级", "镇级", "村级"),
              example="区级", note="不填时按表名或标题中的“区级”“镇级”“村级”判断（如“区级河流名录”）"),
        Field("length_km", "河长（公里）", "float", False, ("长度（公里）", "长度", "河流长度（公里）", "河流长度", "长度（km）",
                                                       "河长（km）"), minimum=0, example=42.5),
        Field("lead_unit_id", "牵头单位", "unit", example="区水利局",
              synonyms=("河流牵头单位", "河流联系单位", "联系单位", "牵头部门", "河长联系单位")),
        Field("chief", "区级河长", "text", False, ("河长", "河长姓名", "区级河长姓名"), example="王建国"),
        Field("target_class", "水质目标", "class", False, ("目标水质", "水质目标类别", "水质管理目标"), example="Ⅲ类"),
        Field("township_id", "所在镇街", "township", example="白鹤镇", synonyms=("流经镇街", "所属镇街", "所在乡镇", "所属乡镇"),
              many=True, note="流经几个镇街时用顿号分隔，第一个为主"),
        Field("parent_river_id", "汇入河流", "river", note="支流填写其汇入的河流名称", synonyms=("上级河流", "所属水系")),
    ), hints=("河流", "名录", "河库", "河湖")),
    TableSpec("sections", "监测断面", ("section_id",), (
        Field("section_id", "断面编号", "text", False, ("断面代码", "点位编号", "点位代码"), example="S01",
              note="可不填，系统按名称编号"),
        Field("name", "断面名称", "text", True, ("断面", "点位名称", "监测点位", "点位", "监测断面名称", "测站名称"),
              example="玉带河出境断面"),
        Field("river_id", "所在河流", "river", True, ("河流", "河库名称", "所属河流", "河流名称", "所在河库"), example="玉带河"),
        Field("township_id", "所在镇街", "township", example="白鹤镇",
              synonyms=("镇街", "所属镇街", "所在乡镇", "所属乡镇", "乡镇", "所在乡镇（街道）")),
        Field("lon", "经度", "coord", True, ("东经", "经度（°）", "X", "X坐标", "经度坐标"), minimum=73, maximum=136, example=106.05,
              note="WGS84 经度，可写 106.05 或 106°03′00″"),
        Field("lat", "纬度", "coord", True, ("北纬", "纬度（°）", "Y", "Y坐标", "纬度坐标"), minimum=3, maximum=54, example=29.85,
              note="WGS84 纬度"),
        Field("lonlat", "经纬度", "lonlat", False, ("坐标", "经纬度坐标", "位置坐标", "经纬度（°）"), template=False,
              note="经度和纬度写在同一格时：106.05,29.85"),
        Field("water_body", "水体类型", "choice", False, ("断面类型", "水体", "类型"), choices=tuple(BODY_WORDS),
              example="河流", note="湖库断面总磷按湖库标准评价；不填时按河流名称判断（××水库、××湖为湖库）"),
        Field("target_class", "水质目标", "class", False, ("目标水质", "水质目标类别"), example="Ⅲ类",
              note="不填时取所在河流的水质目标"),
        Field("control_level", "控制级别", "choice", False, ("考核级别", "断面级别", "控制类别"), choices=("国控", "市控", "区控"),
              example="区控"),
    ), hints=("断面", "点位", "监测点")),
    TableSpec("items", "三张清单", ("notice_date", "item_id"), (
        Field("notice_date", "通报日期", "date", False, ("通报月份", "截止日期（通报）", "统计截止日期"), example="2024-06-30",
              note="该行状态所对应的通报日（月末）；不填时取文件名或标题中的月份（如“6月”）"),
        Field("item_id", "编号", "text", False, ("事项编号", "序号编号", "任务编号", "项目编号", "问题编号"), example="YH2024-001",
              note="可不填（序号不作为编号），系统按清单、年度、河流、名称、责任单位编号"),
        Field("list", "清单", "choice", False, ("清单类别", "所属清单"), choices=tuple(LIST_WORDS), example="一河一策",
              note="不填时按工作表名称或标题判断"),
        Field("list_year", "年度", "int", False, ("清单年度",), minimum=2000, maximum=2100, example=2024,
              note="不填时取标题中的年份"),
        Field("title", "事项名称", "text", True, ("任务名称", "项目名称", "问题描述", "事项", "事项（项目）名称", "工作任务",
                                              "任务内容", "问题内容", "重大事项名称", "问题", "任务", "任务措施", "措施内容", "问题名称",
                                              "责任事项"), example="玉带河河道整治"),
        Field("river_id", "河流", "river", False, ("所属河流", "河流名称", "涉及河流", "河库名称", "所在河流", "河流（湖库）"),
              example="玉带河", many=True, note="涉及多条河流时用顿号分隔，第一条为主；重大事项（全区性的）可不填"),
        Field("township_id", "镇街", "township", False, ("所在镇街", "镇（街道）", "所属镇街", "所在乡镇", "乡镇"),
              example="白鹤镇", many=True),
        Field("unit_id", "责任单位", "unit", True, ("责任部门", "牵头单位", "实施单位", "整改责任单位", "责任单位（牵头）",
                                               "牵头责任单位"), example="区水利局", many=True,
              note="多个单位用顿号分隔，第一个为牵头单位，其余为配合单位"),
        Field("co_unit_ids", "配合单位", "unit", False, ("协办单位", "配合部门", "责任单位（配合）", "协同单位", "参与单位"),
              note="多个单位用顿号分隔；也可都写在“责任单位”中，第一个为牵头单位"),
        Field("start_date", "开始日期", "date", False, ("开工日期", "计划开始", "发现日期", "发现时间", "交办日期", "开始时间", "起始时间", "起始日期",
                                                   "开工时间", "启动时间", "计划开工时间", "计划开始时间"),
              example="2024-02-01", note="不填时为清单年度的1月1日"),
        Field("period", "起止年限", "period", False, ("建设起止年限", "建设年限", "实施年限", "起止时间", "实施期限", "建设期限",
                                                  "起止年份", "建设周期"), template=False,
              note="如 2022-2024、2023.3-2024.12：开始日期和完成时限未另填时由此得出"),
        Field("deadline", "完成时限", "deadline", False, ("完成时间", "截止日期", "整改时限", "完成时限（节点）", "整改期限",
                                                      "计划完成时间", "计划完成日期", "要求完成时间", "要求完成日期",
                                                      "应完成时间", "计划完成时限"), example="2024-11-30",
              note="可写 2024年底前、2024.10、6月30日前；长期坚持、持续推进、常态化 为长期任务"),
        Field("target_qty", "目标量", "float", False, ("量化目标", "目标数量", "目标任务量", "任务量", "年度目标", "目标任务",
                                                   "任务目标", "目标"), minimum=0, maximum=1e9, example=800,
              note="可写 3360 或 3360米（单位写在一起时可不填计量单位）；文字目标不计入"),
        Field("target_unit", "计量单位", "text", False, ("单位（计量）", "目标单位", "目标计量单位"), example="米"),
        Field("done_qty", "已完成量", "float", False, ("完成量", "完成数量"), minimum=0, maximum=1e9, example=420),
        Field("progress", "完成进度", "progress", False, ("进度", "完成比例", "进展情况", "完成情况", "整改情况", "进度情况",
                                                      "整改进展", "工作进展", "推进情况", "完成率", "完成百分比"), example="52.5%",
              note="可写 60%、0.6、已完成、未启动、推进中（60%）、完成3.2公里；量化任务可留空，按已完成量÷目标量计算"),
        Field("status", "状态", "text", False, ("整改状态", "完成状态"), example="推进中"),
        Field("done_date", "完成日期", "date", False, ("销号日期", "整改完成日期", "销号时间", "完成日期（销号）"), example=None),
        Field("funds_plan_wan", "计划资金（万元）", "float", False, ("资金计划", "计划投资", "计划资金", "总投资"), minimum=0,
              maximum=1e7),
        Field("funds_wan", "落实资金（万元）", "float", False, ("资金（万元）", "落实资金", "资金已落实", "已落实资金",
                                                          "资金落实", "到位资金"), minimum=0, maximum=1e7),
        Field("funds_spent_wan", "已支出资金（万元）", "float", False, ("已支出（万元）", "已支出", "资金已支出", "完成投资", "已完成投资",
                                                               "累计完成投资"), minimum=0,
              maximum=1e7),
        Field("source", "问题来源", "text", False, ("来源",)),
        Field("exposed", "是否曝光", "bool", False, note="不填时，来源含“曝光”的为曝光问题"),
        Field("at_risk", "风险提示", "bool", False, ("存在风险",)),
        Field("at_risk_note", "风险说明", "text", False),
        Field("month_reported", "本月工作已完成", "bool", False, ("本月落实情况", "本月完成情况", "本月是否落实", "本月落实"),
              note="长期坚持类任务填写：是/否，或 已落实/未落实"),
    ), replace_by=("notice_date", "list"), hints=("清单", "一河一策", "重大事项", "重大项目", "突出问题", "任务")),
    TableSpec("problems", "巡河举报督察问题", ("notice_date", "problem_id"), (
        Field("notice_date", "通报日期", "date", False, ("通报月份",), example="2024-06-30",
              note="该行状态所对应的通报日；不填时取文件名或标题中的月份"),
        Field("problem_id", "问题编号", "text", False, ("编号",), example="WT2024-0001", note="可不填，系统按内容编号"),
        Field("title", "问题描述", "text", True, ("问题", "问题内容", "问题情况", "诉求内容", "反映内容", "投诉内容", "举报内容", "问题名称"),
              example="玉带河岸边生活垃圾堆放"),
        Field("source", "来源", "choice", False, ("问题来源",), choices=("巡河", "群众举报", "督察反馈", "暗访"), example="巡河",
              note="不填时按表名或标题判断（如“巡河问题台账”为巡河）"),
        Field("chief_level", "发现河长层级", "choice", False, ("河长层级", "河长级别"), choices=("区级", "镇级", "村级"), example="村级"),
        Field("severity", "严重程度", "choice", False, choices=("一般", "较重", "严重"), example="一般"),
        Field("river_id", "河流", "river", True, ("所在河流", "河流名称", "涉及河流", "所属河流"), example="玉带河"),
        Field("township_id", "镇街", "township", False, ("所在镇街", "所在乡镇", "乡镇", "所属乡镇", "所属镇街"), example="白鹤镇",
              many=True),
        Field("unit_id", "责任单位", "unit", True, ("责任部门", "整改责任单位", "承办单位", "办理单位"), example="白鹤镇"),
        Field("lon", "经度", "coord", False, ("东经", "X坐标"), minimum=73, maximum=136, example=106.05),
        Field("lat", "纬度", "coord", False, ("北纬", "Y坐标"), minimum=3, maximum=54, example=29.85),
        Field("lonlat", "经纬度", "lonlat", False, ("坐标", "经纬度坐标", "位置坐标"), template=False),
        Field("found_date", "发现日期", "date", True, ("交办日期", "发现时间", "受理时间", "受理日期", "举报时间", "来电时间",
                                                 "巡河日期", "巡查日期", "巡河时间"),
              example="2024-06-03"),
        Field("deadline", "整改时限", "deadline", False, ("整改期限", "办理时限", "要求整改完成日期", "要求整改完成时间",
                                                      "整改完成时限"), example="2024-07-03",
              note=f"不填时按发现后{DEFAULT_DAYS}日计（预览中说明）"),
        Field("progress", "整改进度", "progress", False, ("进度", "整改情况", "整改进展", "进展情况"), example="60%"),
        Field("status", "状态", "choice", False, ("整改状态", "办理状态"), choices=("已交办", "整改中", "已整改", "已销号", "反弹重办"),
              example="整改中", note="不填时按整改进度判断：已完成为已整改，有进度为整改中，否则为已交办"),
        Field("rectified_date", "整改日期", "date", False, ("整改完成日期", "办结时间", "办结日期")),
        Field("closed_date", "销号日期", "date", False, ("销号时间",)),
        Field("reopened_date", "重新交办日期", "date", False, note="回头看发现反弹后重新交办的日期"),
    ), replace_by=("notice_date", "source"), hints=("巡河问题", "举报", "督察", "问题台账")),
    TableSpec("supervision", "督办记录", ("record_id",), (
        Field("record_id", "编号", "text", False, ("记录编号",), example="DB0001"),
        Field("kind", "方式", "choice", True, ("督办方式",), choices=SUPERVISION_KINDS, example="批示"),
        Field("date", "日期", "date", True, ("督办日期",), example="2024-07-05"),
        Field("notice_date", "对应通报", "date", True, ("通报日期",), example="2024-06-30"),
        Field("unit_id", "责任单位", "unit", False, example="区水利局"),
        Field("item_id", "事项编号", "text", False, example="YH2024-001"),
        Field("by_whom", "督办人", "text", True, example="区总河长"),
        Field("person", "对象", "text", False, ("约谈对象", "提醒对象")),
        Field("content", "内容", "text", True, ("督办内容", "批示内容"), example="请倒排工期，月底前完成"),
    ), hints=("督办", "批示", "约谈")),
    TableSpec("patrols", "巡河记录", ("patrol_id",), (
        Field("patrol_id", "编号", "text", False, ("巡河编号",), example="XH000001"),
        Field("date", "巡河日期", "date", True, ("日期", "巡河时间"), example="2024-06-03"),
        Field("chief", "河长", "text", True, ("河长姓名",), example="王建国"),
        Field("chief_level", "层级", "choice", True, ("河长层级", "河长级别"), choices=("区级", "镇级", "村级"), example="村级"),
        Field("river_id", "河流", "river", True, example="玉带河"),
        Field("township_id", "镇街", "township", False, example="白鹤镇"),
        Field("problems_reported", "上报问题数", "int", True, ("发现问题数",), minimum=0, example=1),
        Field("serious_reported", "较重以上问题数", "int", False, minimum=0, example=0),
    ), hints=("巡河记录", "巡河")),
    TableSpec("lookbacks", "回头看", ("lookback_id",), (
        Field("lookback_id", "编号", "text", False, example="HT2024-001"),
        Field("date", "抽查日期", "date", True, ("日期",), example="2024-06-20"),
        Field("problem_id", "问题编号", "text", True, example="WT2024-0001"),
        Field("result", "结果", "choice", True, ("抽查结果",), choices=("巩固", "反弹"), example="巩固"),
        Field("inspector", "抽查人", "text", False, example="区河长办暗访组"),
        Field("notes", "说明", "text", False),
    ), hints=("回头看",)),
    TableSpec("ratings", "河长评价", ("year", "unit_id"), (
        Field("year", "年度", "int", True, minimum=2000, maximum=2100, example=2024),
        Field("unit_id", "单位", "unit", True, ("责任单位",), example="白鹤镇"),
        Field("rating", "评价", "choice", True, ("评价等次",), choices=("好", "较好", "一般"), example="好"),
        Field("by_whom", "评价人", "text", False, example="区总河长"),
    ), hints=("评价",)),
    TableSpec("complaints", "群众举报", ("complaint_id",), (
        Field("complaint_id", "编号", "text", False, ("举报编号",), example="JB2024-001"),
        Field("date", "举报日期", "date", True, ("日期",), example="2024-05-02"),
        Field("unit_id", "责任单位", "unit", True, example="白鹤镇"),
        Field("river_id", "河流", "river", False, example="玉带河"),
        Field("title", "举报内容", "text", True, ("内容",), example="群众再次举报玉带河异味"),
        Field("repeated", "是否重复举报", "bool", True, example="是"),
        Field("rectified", "是否已整改", "bool", True, example="否"),
        Field("negative_impact", "是否造成负面影响", "bool", False, example="否"),
    ), hints=("举报",)),
    TableSpec("readings", "水质监测", ("section_id", "sampled_at", "method"), (
        Field("section_id", "断面", "section", True, ("断面名称", "监测断面", "点位名称", "点位", "监测点位", "测站名称",
                                                     "站点名称", "站点", "监测站点", "水站名称", "监测站名称"),
              example="玉带河出境断面"),
        Field("sampled_at", "采样时间", "datetime", True, ("采样日期", "监测时间", "日期", "监测日期", "采样时间（日期）"),
              example="2024-06-12", note="可写 6月12日，年份取标题中的年份"),
        Field("tp", "总磷", "conc", False, ("TP", "总磷（以P计）"), maximum=10, example="0.162",
              note="mg/L；检出限以下写 0.01L、<0.01、未检出 或 ND"),
        Field("nh3n", "氨氮", "conc", False, ("NH3-N", "氨氮（NH3-N）", "NH₃-N"), maximum=100, example="0.025L"),
        Field("codmn", "高锰酸盐指数", "conc", False, ("CODMn", "高锰酸盐"), maximum=1000, example="3.2"),
        Field("do", "溶解氧", "float", False, ("DO",), minimum=0, maximum=25, example=7.8),
        Field("method", "监测方式", "choice", False, ("监测类型", "采样方式"), choices=("手工", "自动"),
              example="手工", note="手工监测或自动监测（水站）；不填时按工作表名称或数值的频次判断（一天4个及以上数值为自动监测）"),
        # one row per factor (as laboratory systems export): the factor's name and its value
        Field("unit", "单位", "text", False, ("计量单位", "浓度单位", "单位（mg/L）"), template=False,
              note="浓度的单位：mg/L，或 μg/L（换算为 mg/L）"),
        Field("factor", "监测项目", "text", False, ("监测指标", "项目", "指标", "因子", "监测因子", "检测项目", "分析项目",
                                                 "指标名称"), note="一行一个指标时填写：总磷、氨氮、高锰酸盐指数、溶解氧", template=False),
        Field("value", "监测值", "text", False, ("浓度", "结果", "测定值", "监测结果", "检测结果", "浓度值", "检测值",
                                              "分析结果"), note="一行一个指标时填写：数值，检出限以下写 0.01L", template=False),
    ), hints=("水质", "监测数据", "监测结果")),
)}
# Words met in real files for a choice, checked in this order (the first choice whose word the cell holds).
CHOICE_WORDS: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "status": (("反弹重办", ("反弹",)), ("已整改", ("待销号", "未销号")),  # 已整改待销号: rectified, not yet closed
               ("已销号", ("已销号", "销号完成", "完成销号", "已办结销号")),
               ("已整改", ("已整改", "整改完成", "已完成", "已办结", "完成整改")),
               ("整改中", ("整改中", "正在整改", "推进中", "正在处理", "处理中", "办理中", "正在办理")),
               ("已交办", ("已交办", "未整改", "待整改", "交办", "未启动"))),
    "source": (("群众举报", ("举报", "投诉", "12345", "信访")), ("督察反馈", ("督察", "督查", "巡视", "审计")),
               ("暗访", ("暗访",)), ("巡河", ("巡河", "巡查", "河长"))),
    # 村级 first: 社区级 holds 区级
    "level": (("村级", ("村级", "社区级")), ("区级", ("区级", "市级", "省级", "县级")), ("镇级", ("镇级", "乡级", "乡镇级", "街道级"))),
    "chief_level": (("村级", ("村级", "社区")), ("区级", ("区级", "县级")), ("镇级", ("镇级", "乡级", "街道"))),
    "kind": (("街道", ("街道",)), ("镇", ("镇", "乡")), ("镇街", ("街道", "乡镇", "镇", "乡"))),
    "water_body": (("湖库", ("湖", "库")), ("河流", ("河", "江", "溪"))),
    "method": (("自动", ("自动", "在线", "水站")), ("手工", ("手工", "人工", "实验室"))),
    "control_level": (("国控", ("国控", "国考")), ("市控", ("市控", "市考", "省控")), ("区控", ("区控", "县控", "区考"))),
}
FACTORS = ("tp", "nh3n", "codmn", "do")  # a readings row must hold at least one
DETECTION_LIMITS = {"tp": 0.01, "nh3n": 0.025, "codmn": 0.5}  # for results written only as 未检出
