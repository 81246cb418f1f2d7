"""Deterministic generator of large, realistic service catalogues for benchmarks.

Item names are built like the benchmark catalogue of perf-baselines row 3: an object (证照/事项对象, 149 of them,
e.g. 居民身份证, 港澳通行证, 住房公积金) + an action (30, e.g. 申领, 再次签注, 提取) + a qualifier (18 including
none, e.g. （购房）, （异地）). The same item is published by several of 63 Zhejiang region codes, so 60,000 items
carry about 38,000 distinct names. Popularity is Zipf-like: a few objects and actions (身份证, 社保卡, 公积金
提取 …) dominate. The other fields are filled from pools so the items have the shape and roughly the size of
real ones (docs/catalog-format.md).

    python bench/make_catalog.py --count 60000 --out /tmp/catalog.json [--seed 1] [--indent 1]

The output is marked ``"sample": true``: it is synthetic data for measuring, never for residents.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from itertools import accumulate
from pathlib import Path
from typing import Any

# Share of distinct names in perf-baselines row 3: 37,861 of 60,000 items.
DISTINCT_SHARE = 37_861 / 60_000

# 63 region codes: the province, its 11 cities and 51 districts / counties (name, telephone area code).
REGIONS: list[tuple[str, str, str]] = [
    ("330000", "浙江省", "0571"),
    ("330100", "杭州市", "0571"), ("330102", "上城区", "0571"), ("330105", "拱墅区", "0571"),
    ("330106", "西湖区", "0571"), ("330108", "滨江区", "0571"), ("330109", "萧山区", "0571"),
    ("330110", "余杭区", "0571"), ("330111", "富阳区", "0571"), ("330112", "临安区", "0571"),
    ("330113", "临平区", "0571"), ("330114", "钱塘区", "0571"), ("330122", "桐庐县", "0571"),
    ("330127", "淳安县", "0571"), ("330182", "建德市", "0571"),
    ("330200", "宁波市", "0574"), ("330203", "海曙区", "0574"), ("330205", "江北区", "0574"),
    ("330206", "北仑区", "0574"), ("330211", "镇海区", "0574"), ("330212", "鄞州区", "0574"),
    ("330281", "余姚市", "0574"), ("330282", "慈溪市", "0574"),
    ("330300", "温州市", "0577"), ("330302", "鹿城区", "0577"), ("330303", "龙湾区", "0577"),
    ("330304", "瓯海区", "0577"), ("330381", "瑞安市", "0577"), ("330382", "乐清市", "0577"),
    ("330383", "龙港市", "0577"),
    ("330400", "嘉兴市", "0573"), ("330402", "南湖区", "0573"), ("330411", "秀洲区", "0573"),
    ("330481", "海宁市", "0573"), ("330483", "桐乡市", "0573"),
    ("330500", "湖州市", "0572"), ("330502", "吴兴区", "0572"), ("330521", "德清县", "0572"),
    ("330523", "安吉县", "0572"),
    ("330600", "绍兴市", "0575"), ("330602", "越城区", "0575"), ("330603", "柯桥区", "0575"),
    ("330604", "上虞区", "0575"), ("330681", "诸暨市", "0575"),
    ("330700", "金华市", "0579"), ("330702", "婺城区", "0579"), ("330782", "义乌市", "0579"),
    ("330783", "东阳市", "0579"), ("330784", "永康市", "0579"),
    ("330800", "衢州市", "0570"), ("330802", "柯城区", "0570"), ("330881", "江山市", "0570"),
    ("330900", "舟山市", "0580"), ("330902", "定海区", "0580"),
    ("331000", "台州市", "0576"), ("331002", "椒江区", "0576"), ("331081", "温岭市", "0576"),
    ("331082", "临海市", "0576"),
    ("331100", "丽水市", "0578"), ("331102", "莲都区", "0578"), ("331121", "青田县", "0578"),
    ("331181", "龙泉市", "0578"), ("331127", "景宁畲族自治县", "0578"),
]

# 24 departments, roughly in order of demand: (abbreviation, name, theme, objects in order of demand).
DEPARTMENTS: list[tuple[str, str, str, list[str]]] = [
    ("GA", "公安局", "户籍", [
        "居民身份证", "港澳通行证", "居民户口簿", "机动车驾驶证", "普通护照", "居住证", "常住户口",
        "机动车行驶证", "台湾通行证", "临时居民身份证", "无犯罪记录证明", "机动车号牌", "户籍证明",
        "机动车登记证书", "出入境记录"]),
    ("RS", "人力资源和社会保障局", "社保", [
        "社会保障卡", "养老保险", "失业保险金", "养老金", "社保缴费证明", "就业创业证",
        "工伤保险待遇", "职业技能等级证书", "技能提升补贴", "劳务派遣经营许可证", "人力资源服务许可证"]),
    ("YB", "医疗保障局", "医保", [
        "医保电子凭证", "异地就医", "医保关系", "门诊慢特病待遇", "生育津贴", "医疗费用", "医疗救助金",
        "长期护理保险待遇"]),
    ("GJJ", "住房公积金管理中心", "公积金", [
        "住房公积金", "公积金贷款", "公积金缴存证明", "公积金账户", "公积金缴存基数"]),
    ("MZ", "民政局", "民政", [
        "结婚证", "最低生活保障金", "高龄津贴", "老年人优待证", "离婚证", "婚姻登记档案", "特困供养金",
        "临时救助金", "养老服务补贴", "收养登记证", "社会团体法人登记证书", "民办非企业单位登记证书"]),
    ("WJ", "卫生健康局", "卫生健康", [
        "出生医学证明", "生育登记", "预防接种证", "健康证明", "医师执业证书", "护士执业证书",
        "公共场所卫生许可证", "医疗机构执业许可证"]),
    ("ZR", "自然资源和规划局", "不动产", [
        "不动产权证书", "不动产登记资料", "不动产登记证明", "国有建设用地使用权", "宅基地使用权",
        "建设工程规划许可证", "建设用地规划许可证", "林权"]),
    ("SW", "税务局", "税务", [
        "个人所得税", "纳税记录", "增值税发票", "契税", "车辆购置税", "房产税", "税务登记", "纳税信用"]),
    ("SJ", "市场监督管理局", "市场监管", [
        "营业执照", "个体工商户营业执照", "食品经营许可证", "企业年度报告", "小餐饮店登记证",
        "食品生产许可证", "特种设备使用登记证", "药品经营许可证", "医疗器械经营备案"]),
    ("JT", "交通运输局", "交通", [
        "道路运输证", "网约车驾驶员证", "网约车运输证", "道路运输经营许可证", "出租汽车驾驶员证",
        "公交优待卡", "船员适任证书"]),
    ("JY", "教育局", "教育", [
        "义务教育入学", "学籍", "教师资格证书", "学生资助", "学历证明书", "民办学校办学许可证"]),
    ("ZJ", "住房和城乡建设局", "住房保障", [
        "公共租赁住房", "住房租赁补贴", "保障性租赁住房", "房屋租赁备案", "商品房预售许可证",
        "建筑工程施工许可证", "建筑业企业资质证书", "燃气经营许可证"]),
    ("CL", "残疾人联合会", "残疾人", ["残疾人证", "残疾人两项补贴", "辅助器具补贴", "残疾儿童康复救助"]),
    ("TY", "退役军人事务局", "退役军人", ["退役军人优待证", "伤残抚恤", "定期抚恤金", "义务兵家庭优待金"]),
    ("SF", "司法局", "司法", ["公证书", "法律援助", "人民调解", "律师执业证书", "司法鉴定许可证"]),
    ("NY", "农业农村局", "农业", [
        "农村宅基地建房", "农机购置补贴", "渔业捕捞许可证", "农药经营许可证", "兽药经营许可证",
        "动物防疫条件合格证", "种子生产经营许可证"]),
    ("HB", "生态环境局", "生态环境", ["排污许可证", "环境影响评价文件", "危险废物经营许可证"]),
    ("WG", "文化广电旅游局", "文化旅游", ["营业性演出许可证", "旅行社业务经营许可证", "娱乐场所经营许可证"]),
    ("SWJ", "商务局", "商务", ["对外贸易经营者备案", "单用途商业预付卡备案", "成品油零售经营批准证书"]),
    ("YJ", "应急管理局", "应急管理", ["安全生产许可证", "危险化学品经营许可证", "烟花爆竹经营许可证"]),
    ("SL", "水利局", "水利", ["取水许可证", "水土保持方案", "河道管理范围内建设项目"]),
    ("ZF", "综合行政执法局", "城市管理", [
        "户外广告设置许可", "城市道路挖掘许可", "临时占用城市道路", "建筑垃圾处置核准", "城市绿地占用"]),
    ("TI", "体育局", "体育", ["高危险性体育项目经营许可", "社会体育指导员证书"]),
    ("QX", "气象局", "气象", ["雷电防护装置检测资质", "施放气球活动许可"]),
]

ACTIONS: list[str] = [
    "申领", "提取", "换领", "补领", "再次签注", "查询", "打印", "变更", "注销", "登记",
    "签发", "签注", "备案", "开具", "转移", "挂失", "核发", "认定", "审批", "延续",
    "补办", "续期", "迁移", "更正", "撤销", "复核", "年检", "恢复", "申报", "缴纳",
]
QUALIFIERS: list[str] = [
    "", "（购房）", "（租房）", "（异地）", "（首次）", "（再次签注）", "（跨省通办）", "（期满换领）",
    "（遗失补领）", "（损坏换领）", "（退休）", "（离职）", "（投靠）", "（委托代办）", "（未成年人）",
    "（个人）", "（单位）", "（简易程序）",
]

# Item type by action (abbreviation used in codes).
ACTION_TYPE: dict[str, str] = {
    "提取": "JF", "查询": "GG", "打印": "GG", "开具": "GG", "挂失": "GG", "核发": "XK", "审批": "XK",
    "延续": "XK", "签发": "XK", "签注": "XK", "再次签注": "XK", "申报": "ZS", "缴纳": "ZS", "复核": "CJ",
}
ENTERPRISE_WORDS = ("许可", "执照", "资质", "备案", "企业", "经营", "单位", "方案", "项目", "核准", "文件")

# Form ids the kiosk ships for a few items; generated items with these names carry them too.
FORMS: dict[str, list[str]] = {
    "生育登记申报": ["shengyu_dengji"],
    "住房公积金提取（购房）": ["gongjijin_tiqu"],
    "住房公积金提取（租房）": ["gongjijin_tiqu"],
    "无犯罪记录证明开具": ["wufanzui_zhengming"],
    "个体工商户营业执照申领": ["geti_sheli"],
}

SUMMARIES = [
    "符合条件的申请人可以办理{name}，材料齐全的当场受理。",
    "本事项用于办理{obj}{act}，可通过浙里办、自助终端或窗口申请。",
    "需要办理{obj}{act}的，可在网上提交申请，也可到{dept}窗口办理。",
    "{obj}{act}：申请人按要求提交材料，{dept}审核后出具结果。",
    "办理{name}，可选择网上申报、快递送达，尽量不用跑腿。",
]
CONDITIONS = [
    "申请人为本地户籍居民，或持有本地有效居住证",
    "申请人具有完全民事行为能力；未成年人由监护人代为申请",
    "{obj}处于有效状态，未被依法扣押、注销或冻结",
    "已按规定缴清相关费用，无未处理完毕的同类申请",
    "符合国家和本省关于{obj}{act}的规定条件",
    "委托他人办理的，须提供授权委托书",
    "企业须已取得营业执照并正常经营",
    "申请事项不属于依法不予受理的情形",
]
MATERIALS: list[dict[str, Any]] = [
    {"name": "居民身份证", "copies": "原件1份", "form": "either", "required": True, "waivable": False,
     "note": "可出示浙里办电子身份证"},
    {"name": "居民户口簿", "copies": "原件1份", "form": "paper", "required": True, "waivable": True,
     "note": "部门间可通过数据共享核验，核验通过的免交"},
    {"name": "近期一寸免冠彩色照片", "copies": "2张", "form": "paper", "required": False, "waivable": False,
     "note": "窗口可现场拍照"},
    {"name": "授权委托书及代理人居民身份证", "copies": "原件各1份", "form": "paper", "required": False,
     "waivable": False, "note": "委托他人代办时提供"},
    {"name": "营业执照", "copies": "副本原件1份", "form": "either", "required": True, "waivable": False,
     "note": "已领取电子营业执照的可通过亮照免交"},
    {"name": "申请表", "copies": "原件1份", "form": "either", "required": True, "waivable": False,
     "note": "可在自助终端或浙里办在线填写"},
    {"name": "本人银行卡或银行账户信息", "copies": "复印件1份", "form": "either", "required": True,
     "waivable": False, "note": "用于接收款项"},
    {"name": "相关证明材料", "copies": "复印件1份", "form": "either", "required": True, "waivable": True,
     "note": "容缺受理，请在5个工作日内补交"},
    {"name": "经办人居民身份证及单位授权委托书", "copies": "原件各1份", "form": "paper", "required": True,
     "waivable": False, "note": "授权委托书须加盖单位公章"},
    {"name": "不动产权证书或房屋租赁合同", "copies": "复印件1份", "form": "either", "required": True,
     "waivable": True, "note": "容缺受理，可在领取结果前补交"},
]
STEPS = [
    ["提交申请：通过浙里办、自助终端或窗口提交材料", "受理：工作人员核对材料，材料齐全的当场受理",
     "审核：{dept}审核", "办结：领取{obj}或在线获取结果"],
    ["在自助终端刷身份证并选择“{name}”", "按提示填写信息、核验身份", "系统当场办结，打印或下载结果"],
    ["网上预约或到窗口取号", "提交材料，工作人员审核", "{dept}作出决定", "快递送达或窗口领取",
     "办理结果同步推送到浙里办"],
    ["登录浙江政务服务网法人账户提交申请", "上传电子材料并电子签章", "{dept}审核", "在线获取电子证照"],
]
LIMITS: list[tuple[int, int]] = [
    (0, 0), (0, 0), (1, 0), (3, 0), (3, 1), (5, 1), (7, 3), (10, 5), (15, 5), (20, 10), (30, 15),
    (30, 5), (60, 10), (60, 30),
]
FEES = ["不收费"] * 12 + ["工本费10元", "工本费20元", "按国家规定标准收取", "证书工本费每本10元"]
HOURS = [
    "周一至周五 上午9:00-12:00，下午13:30-17:00（法定节假日除外）",
    "周一至周五 9:00-17:00（中午不休息），周六上午9:00-12:00（法定节假日除外）",
    "周一至周五 8:30-12:00，14:00-17:30；周六上午9:00-12:00（法定节假日除外）",
    "周一至周日 8:30-17:00（法定节假日除外）",
]
LAWS: dict[str, list[str]] = {
    "GA": ["《中华人民共和国居民身份证法》", "《中华人民共和国户口登记条例》", "《中华人民共和国出境入境管理法》",
           "《中华人民共和国道路交通安全法》", "《中华人民共和国护照法》"],
    "RS": ["《中华人民共和国社会保险法》", "《失业保险条例》", "《工伤保险条例》", "《中华人民共和国就业促进法》"],
    "YB": ["《中华人民共和国社会保险法》", "《医疗保障基金使用监督管理条例》"],
    "GJJ": ["《住房公积金管理条例》"],
    "MZ": ["《婚姻登记条例》", "《社会救助暂行办法》", "《中华人民共和国老年人权益保障法》",
           "《中华人民共和国民法典》"],
    "WJ": ["《中华人民共和国母婴保健法》", "《中华人民共和国人口与计划生育法》", "《中华人民共和国医师法》"],
    "ZR": ["《不动产登记暂行条例》", "《不动产登记暂行条例实施细则》", "《中华人民共和国土地管理法》"],
    "SW": ["《中华人民共和国税收征收管理法》", "《中华人民共和国个人所得税法》", "《中华人民共和国发票管理办法》"],
    "SJ": ["《中华人民共和国市场主体登记管理条例》", "《中华人民共和国食品安全法》", "《促进个体工商户发展条例》"],
    "JT": ["《中华人民共和国道路运输条例》", "《网络预约出租汽车经营服务管理暂行办法》"],
    "JY": ["《中华人民共和国义务教育法》", "《中华人民共和国教师法》", "《中华人民共和国民办教育促进法》"],
    "ZJ": ["《公共租赁住房管理办法》", "《商品房屋租赁管理办法》", "《中华人民共和国建筑法》"],
    "CL": ["《中华人民共和国残疾人保障法》"],
    "TY": ["《中华人民共和国退役军人保障法》", "《军人抚恤优待条例》"],
    "SF": ["《中华人民共和国公证法》", "《中华人民共和国法律援助法》", "《中华人民共和国人民调解法》"],
    "NY": ["《中华人民共和国农业法》", "《农药管理条例》", "《兽药管理条例》", "《中华人民共和国渔业法》"],
    "HB": ["《中华人民共和国环境保护法》", "《排污许可管理条例》"],
    "WG": ["《营业性演出管理条例》", "《旅行社条例》", "《娱乐场所管理条例》"],
    "SWJ": ["《中华人民共和国对外贸易法》", "《单用途商业预付卡管理办法（试行）》"],
    "YJ": ["《中华人民共和国安全生产法》", "《危险化学品安全管理条例》", "《烟花爆竹安全管理条例》"],
    "SL": ["《中华人民共和国水法》", "《取水许可和水资源费征收管理条例》", "《中华人民共和国水土保持法》"],
    "ZF": ["《城市道路管理条例》", "《城市市容和环境卫生管理条例》"],
    "TI": ["《全民健身条例》", "《经营高危险性体育项目许可管理办法》"],
    "QX": ["《中华人民共和国气象法》", "《通用航空飞行管制条例》"],
}


def _affinity(obj: str, act: str, qual: str) -> float:
    """Weight multiplier so that plausible names (居民身份证换领, 住房公积金提取（购房）) rank high."""
    f = 1.0
    is_card = obj.endswith(("证", "证书", "执照", "通行证", "护照", "卡", "凭证", "簿"))
    is_money = obj.endswith(("金", "补贴", "津贴", "待遇", "救助", "公积金", "费用"))
    if is_card and act in ("申领", "换领", "补领", "挂失", "注销", "变更", "签发", "核发", "延续", "补办"):
        f *= 12.0
    if obj.endswith("通行证") and act in ("签注", "再次签注"):
        f *= 30.0
    if is_money and act in ("提取", "申领", "查询", "申报"):
        f *= 12.0
    if obj.endswith("税") and act in ("申报", "缴纳", "查询"):
        f *= 12.0
    if obj.endswith(("证明", "记录", "资料", "档案", "登记", "备案")) and act in ("查询", "打印", "开具", "备案"):
        f *= 12.0
    if qual in ("（购房）", "（租房）", "（退休）", "（离职）"):
        f *= 6.0 if obj == "住房公积金" and act == "提取" else 0.3
    elif qual in ("（期满换领）", "（损坏换领）"):
        f *= 4.0 if is_card and act == "换领" else 0.3
    elif qual == "（遗失补领）":
        f *= 4.0 if is_card and act == "补领" else 0.3
    elif qual == "（再次签注）":
        f *= 6.0 if obj.endswith("通行证") and act == "签注" else 0.3
    return f


def _name_pool(rng: random.Random, distinct: int) -> tuple[list[tuple[int, int, int]], list[float]]:
    """Pick ``distinct`` (object, action, qualifier) combinations, weighted Zipf-like, without replacement.

    Returns the combinations ordered by decreasing weight, and their weights.
    """
    n_obj = sum(len(objs) for *_, objs in DEPARTMENTS)
    w_obj = [1.0 / (i + 1) ** 0.8 for i in range(n_obj)]
    w_act = [1.0 / (i + 1) ** 0.9 for i in range(len(ACTIONS))]
    w_qual = [4.0] + [1.0 / (i + 1) ** 0.7 for i in range(len(QUALIFIERS) - 1)]
    # Global object order interleaves departments, so every department has popular objects.
    order = sorted(
        ((oi, d) for d, (*_, objs) in enumerate(DEPARTMENTS) for oi in range(len(objs))),
        key=lambda t: (t[0], t[1]),
    )
    obj_rank = {pair: r for r, pair in enumerate(order)}
    obj_index: list[tuple[int, int]] = [(d, oi) for d, (*_, objs) in enumerate(DEPARTMENTS)
                                       for oi in range(len(objs))]
    keyed: list[tuple[float, float, int, int, int]] = []
    rand = rng.random
    for o, (d, oi) in enumerate(obj_index):
        wo = w_obj[obj_rank[(oi, d)]]
        obj = DEPARTMENTS[d][3][oi]
        for a, wa in enumerate(w_act):
            woa = wo * wa
            for q, wq in enumerate(w_qual):
                w = woa * wq * _affinity(obj, ACTIONS[a], QUALIFIERS[q])
                # Efraimidis–Spirakis: the largest u ** (1 / w) form a weighted sample without replacement.
                keyed.append((rand() ** (1.0 / w), w, o, a, q))
    keyed.sort(reverse=True)
    chosen = keyed[:distinct]
    chosen.sort(key=lambda t: -t[1])
    return [(o, a, q) for _, _, o, a, q in chosen], [w for _, w, *_ in chosen]


def generate(count: int, seed: int = 1) -> list[dict[str, Any]]:
    """``count`` catalogue items in the ITEM shape of docs/catalog-format.md, the same for the same seed."""
    if count < 0:
        raise ValueError("count must be >= 0")
    rng = random.Random(seed)
    obj_index: list[tuple[int, str]] = [(d, obj) for d, (*_, objs) in enumerate(DEPARTMENTS) for obj in objs]
    n_combos = len(obj_index) * len(ACTIONS) * len(QUALIFIERS)
    distinct = min(n_combos, max(1, round(count * DISTINCT_SHARE))) if count else 0
    combos, weights = _name_pool(rng, distinct)
    n_regions = len(REGIONS)

    # Every distinct name once, then repeats drawn by weight (a popular item is published by more regions).
    picks: list[int] = list(range(min(distinct, count)))
    cum = list(accumulate(weights))
    used: dict[int, set[int]] = {}
    pairs: list[tuple[int, int]] = []
    extra = count - len(picks)
    if extra > distinct * (n_regions - 1):
        raise ValueError(f"count {count} too large: at most {distinct * n_regions} items")
    if extra:
        picks += rng.choices(range(distinct), cum_weights=cum, k=extra)
    for name_i in picks:
        regions = used.setdefault(name_i, set())
        while len(regions) >= n_regions:  # this name is already in every region: take the next one
            name_i = (name_i + 1) % distinct
            regions = used.setdefault(name_i, set())
        r = rng.randrange(n_regions)
        while r in regions:
            r = (r + 1) % n_regions
        regions.add(r)
        pairs.append((r, name_i))
    pairs.sort(key=lambda p: (p[0], obj_index[combos[p[1]][0]][0], p[1]))

    total_w = cum[-1] if cum else 1.0
    counters: dict[tuple[int, int, str], int] = {}
    items: list[dict[str, Any]] = []
    choice, randint, rand = rng.choice, rng.randint, rng.random
    for r, name_i in pairs:
        o, a, q = combos[name_i]
        d, obj = obj_index[o]
        abbrev, dept, theme, _ = DEPARTMENTS[d]
        act, qual = ACTIONS[a], QUALIFIERS[q]
        name = f"{obj}{act}{qual}"
        region_code, region_name, area = REGIONS[r]
        typ = ACTION_TYPE.get(act, "QR")
        key = (r, d, typ)
        counters[key] = counters.get(key, 0) + 1
        enterprise = qual == "（单位）" or any(w in obj for w in ENTERPRISE_WORDS)
        fmt = {"name": name, "obj": obj, "act": act, "dept": dept}
        legal, promised = choice(LIMITS)
        visits = 0 if rand() < 0.3 else (2 if rand() < 0.03 else 1)
        online = visits == 0 or rand() < 0.7
        n_mat = randint(2, 6)
        mats = [dict(MATERIALS[4 if enterprise else 0])]
        mats += [dict(mt) for mt in rng.sample(MATERIALS[1:], n_mat - 1)]
        steps = STEPS[3] if enterprise and online else choice(STEPS[:3])
        popularity = int(20000 * 40 * weights[name_i] / total_w * (0.5 + rand()))
        item = {
            "code": f"{region_code}-{abbrev}-{typ}-{counters[key]:04d}",
            "name": name,
            "department": dept,
            "category": theme,
            "audience": "enterprise" if enterprise else "personal",
            "summary": choice(SUMMARIES).format(**fmt),
            "conditions": [c.format(**fmt) for c in rng.sample(CONDITIONS, randint(2, 4))],
            "materials": mats,
            "steps": [s.format(**fmt) for s in steps],
            "legal_limit_days": legal,
            "promised_limit_days": promised,
            "fees": choice(FEES),
            "place": f"{region_name}行政服务中心{dept}{randint(1, 40)}号窗口",
            "hours": choice(HOURS),
            "phones": {"consult": f"{area}-8{randint(0, 9999999):07d}",
                       "complaint": "12345" if rand() < 0.8 else f"{area}-8{randint(0, 9999999):07d}"},
            "visits": visits,
            "online": online,
            "express": rand() < 0.4,
            "declarable_here": rand() < 0.35,
            "forms": list(FORMS.get(name, ())),
            "legal_basis": rng.sample(LAWS[abbrev], min(len(LAWS[abbrev]), randint(1, 3))),
            "popularity": popularity,
        }
        items.append(item)
    return items


def catalogue(count: int, seed: int = 1) -> dict[str, Any]:
    return {"format": 1, "catalog_version": 1, "sample": True, "items": generate(count, seed)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Write a synthetic catalogue file for benchmarks.")
    ap.add_argument("--count", type=int, default=60_000)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--indent", type=int, default=None, help="pretty-print (default: compact)")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    cat = catalogue(args.count, args.seed)
    t1 = time.perf_counter()
    text = json.dumps(cat, ensure_ascii=False, indent=args.indent)
    args.out.write_text(text + "\n", encoding="utf-8")
    t2 = time.perf_counter()
    items = cat["items"]
    print(f"{len(items)} items, {len({i['name'] for i in items})} distinct names, "
          f"{len({i['department'] for i in items})} departments -> {args.out} "
          f"({len(text.encode()) / 1e6:.1f} MB); generate {t1 - t0:.2f} s, write {t2 - t1:.2f} s",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
