"""The demo city, Nanjing: its districts, streets, housing estates and names, as plain data."""

CITY = "南京市"
AREA_CODE = "025"

# District (region) code, name, and the streets and estates generated addresses use.
DISTRICTS: list[tuple[str, str, list[str], list[str]]] = [
    (
        "320102",
        "玄武区",
        ["中山路", "北京东路", "龙蟠路", "珠江路", "玄武大道", "黄埔路"],
        ["月牙湖花园", "紫金名门", "后宰门小区", "孝陵卫小区", "樱驼花园"],
    ),
    (
        "320104",
        "秦淮区",
        ["中华路", "太平南路", "长白街", "集庆路", "御道街", "瑞金路"],
        ["瑞金新村", "大光路小区", "武定新村", "蓝旗新村", "石门坎小区"],
    ),
    (
        "320105",
        "建邺区",
        ["江东中路", "应天大街", "嘉陵江东街", "庐山路", "黄山路"],
        ["万达华府", "奥体新城", "莫愁湖小区", "南湖新村", "水西门小区"],
    ),
    (
        "320106",
        "鼓楼区",
        ["中山北路", "湖南路", "广州路", "汉中门大街", "草场门大街"],
        ["龙江小区", "清凉山公寓", "山西路小区", "宁海路小区", "阳光广场花园"],
    ),
    (
        "320111",
        "浦口区",
        ["浦珠路", "天华路", "大桥北路", "江浦街道文德路"],
        ["威尼斯水城", "明发滨江新城", "天润城", "浦口新城"],
    ),
    (
        "320113",
        "栖霞区",
        ["仙林大道", "文苑路", "迈皋桥路", "尧化门街"],
        ["仙林湖小区", "万科金色家园", "东方天郡", "尧林仙居"],
    ),
    (
        "320114",
        "雨花台区",
        ["软件大道", "雨花南路", "宁南大道", "安德门大街"],
        ["翠竹园", "雨花新村", "铁心桥小区", "岱山保障房片区"],
    ),
    (
        "320115",
        "江宁区",
        ["双龙大道", "天元中路", "胜太路", "将军大道", "竹山路"],
        ["百家湖花园", "翠屏山庄", "九龙湖国际", "东山新苑", "托乐嘉花园"],
    ),
    (
        "320116",
        "六合区",
        ["延安路", "雄州南路", "龙池街道园林路"],
        ["龙池花园", "雄州新村", "金牛湖家园"],
    ),
    (
        "320117",
        "溧水区",
        ["珍珠南路", "天生桥大道", "永阳街道通济街"],
        ["秦淮明珠", "中山花园", "永阳新村"],
    ),
    (
        "320118",
        "高淳区",
        ["宝塔路", "石臼湖路", "淳溪街道镇兴路"],
        ["淳溪花园", "宝塔新村", "湖滨小区"],
    ),
]

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏"
    "魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵"
)
GIVEN_CHARACTERS = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国玉兰晨浩宇子涵欣怡梓萱一诺思远"
    "佳琪雨轩俊杰文博志强海燕慧敏婷婷晓东立新永刚春梅金凤红霞丹凤建华国庆淑珍秀珍嘉怡若曦宁远"
)

ENTERPRISE_WORDS = [
    "金陵",
    "紫金",
    "华信",
    "鼎盛",
    "恒通",
    "宏远",
    "天泽",
    "博远",
    "海川",
    "苏宁",
    "中盛",
    "新港",
    "秦淮",
    "钟山",
    "扬子",
    "石城",
    "长江",
    "润和",
    "东方",
    "锦程",
]
ENTERPRISE_TRADES = [
    "科技",
    "物流",
    "建设工程",
    "医药",
    "餐饮管理",
    "电子",
    "教育咨询",
    "商贸",
    "置业",
    "酒店管理",
    "软件",
    "汽车服务",
    "物业管理",
    "纺织",
    "食品",
]
ENTERPRISE_FORMS = ["有限公司", "有限公司", "股份有限公司", "集团有限公司"]

# Product code, name, service type, monthly fee (yuan).
PRODUCTS: list[tuple[str, str, str, str]] = [
    ("M5G129", "5G畅享套餐129元", "mobile", "129.00"),
    ("M5G199", "5G畅享套餐199元", "mobile", "199.00"),
    ("M4G58", "4G飞享套餐58元", "mobile", "58.00"),
    ("MFLOW30", "流量加油包30GB", "mobile", "30.00"),
    ("MCLIP", "来电显示", "mobile", "5.00"),
    ("MRING", "彩铃", "mobile", "5.00"),
    ("FBASE", "固话基本月租", "fixed", "20.00"),
    ("FCLIP", "固话来电显示", "fixed", "6.00"),
    ("BB300", "宽带300M", "broadband", "80.00"),
    ("BB1000", "宽带1000M", "broadband", "120.00"),
    ("BBFTTR", "全屋光宽带FTTR", "broadband", "30.00"),
    ("TVBASE", "IPTV基础包", "iptv", "15.00"),
    ("TVFILM", "影视会员包", "iptv", "20.00"),
    ("TVKIDS", "少儿包", "iptv", "10.00"),
]
PRODUCTS_BY_SERVICE = {
    "mobile": (["M5G129", "M5G199", "M4G58"], ["MFLOW30", "MCLIP", "MRING"]),
    "fixed": (["FBASE"], ["FCLIP"]),
    "broadband": (["BB300", "BB1000"], ["BBFTTR"]),
    "iptv": (["TVBASE"], ["TVFILM", "TVKIDS"]),
}
OWN_MOBILE_PREFIXES = [
    "134",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "157",
    "158",
    "159",
    "182",
    "183",
    "187",
    "188",
    "198",
]
OTHER_MOBILE_PREFIXES = ["130", "131", "132", "155", "156", "186", "133", "153", "180", "189"]

DEPARTMENTS = [
    "客户服务中心",
    "网络维护部",
    "投诉处理中心",
    "质量管理部",
    "运营管理部",
    "信息技术部",
    "市场营销部",
    "计费账务中心",
]
# Team name, department.
TEAMS = [
    ("综合服务一班", "客户服务中心"),
    ("综合服务二班", "客户服务中心"),
    ("宽带维护班", "网络维护部"),
    ("投诉专席组", "投诉处理中心"),
    ("质检组", "质量管理部"),
    ("排班组", "运营管理部"),
    ("系统运维组", "信息技术部"),
    ("营销受理班", "市场营销部"),
    ("账务核查班", "计费账务中心"),
]
SKILL_GROUPS = [
    ("GEN", "综合咨询"),
    ("BB", "宽带专席"),
    ("ENT", "集团客户专席"),
    ("CMP", "投诉专席"),
    ("VIP", "VIP专席"),
    ("EN", "英语服务"),
]
MAIN_DISTRICTS = ["玄武区", "秦淮区", "建邺区", "鼓楼区", "栖霞区", "雨花台区"]
OUTER_DISTRICTS = ["浦口区", "江宁区", "六合区", "溧水区", "高淳区"]
ALL_DISTRICTS = MAIN_DISTRICTS + OUTER_DISTRICTS
CENTRE_HEAD = "manager01"
# Username, role, agent ID, name, team, skill groups, regions.
STAFF: list[tuple[str, str, str, str, str, list[str], list[str]]] = [
    ("agent01", "agent", "10231", "陈晓雯", "综合服务一班", ["GEN", "BB"], MAIN_DISTRICTS),
    ("agent02", "agent", "10232", "刘志强", "综合服务一班", ["GEN"], MAIN_DISTRICTS),
    ("agent03", "agent", "10233", "王丽娟", "综合服务一班", ["GEN", "VIP"], MAIN_DISTRICTS),
    ("agent04", "agent", "10234", "赵磊", "综合服务一班", ["GEN", "EN"], MAIN_DISTRICTS),
    ("agent05", "agent", "10241", "孙静", "综合服务二班", ["GEN", "BB"], OUTER_DISTRICTS),
    ("agent06", "agent", "10242", "周浩宇", "综合服务二班", ["GEN"], OUTER_DISTRICTS),
    ("agent07", "agent", "10243", "吴欣怡", "综合服务二班", ["GEN", "ENT"], OUTER_DISTRICTS),
    ("agent08", "agent", "10244", "郑建华", "综合服务二班", ["GEN"], OUTER_DISTRICTS),
    (
        "lead01",
        "team_lead",
        "10200",
        "黄海燕",
        "综合服务一班",
        ["GEN", "VIP", "CMP"],
        MAIN_DISTRICTS,
    ),
    ("lead02", "team_lead", "10201", "马立新", "综合服务二班", ["GEN", "ENT"], OUTER_DISTRICTS),
    ("second01", "second_line", "20311", "林国庆", "宽带维护班", ["BB"], ALL_DISTRICTS),
    ("second02", "second_line", "20312", "何永刚", "宽带维护班", ["BB"], ALL_DISTRICTS),
    ("second03", "second_line", "20321", "钱晓峰", "营销受理班", [], ALL_DISTRICTS),
    ("second04", "second_line", "20331", "冯佳琪", "账务核查班", [], ALL_DISTRICTS),
    (
        "complaint01",
        "complaint_handler",
        "30101",
        "高秀兰",
        "投诉专席组",
        ["CMP", "VIP"],
        ALL_DISTRICTS,
    ),
    ("complaint02", "complaint_handler", "30102", "罗子涵", "投诉专席组", ["CMP"], ALL_DISTRICTS),
    ("qa01", "qa_inspector", "40101", "梁婷婷", "质检组", [], ALL_DISTRICTS),
    ("qa02", "qa_inspector", "40102", "宋慧敏", "质检组", [], ALL_DISTRICTS),
    ("wfm01", "wfm_planner", "50101", "唐思远", "排班组", [], []),
    ("manager01", "manager", "60001", "许建国", "", [], []),
    ("admin01", "admin", "90001", "韩立", "系统运维组", [], []),
]

# The hotline's own number, the number callers dial.
HOTLINE_NUMBER = "10000"
# A third first-line team for the telephony agents below.
CALL_TEAMS = [("综合服务三班", "客户服务中心")]
# The queues of the telephony system, one per skill group: code, name.
QUEUES = [
    ("GEN", "综合咨询队列"),
    ("BB", "宽带专席队列"),
    ("ENT", "集团客户队列"),
    ("CMP", "投诉专席队列"),
    ("VIP", "VIP专席队列"),
    ("EN", "英语服务队列"),
]
# Telephony agents who only take calls (no printed password): username, agent ID, name,
# team, skill groups, regions.
CALL_AGENTS: list[tuple[str, str, str, str, list[str], list[str]]] = [
    ("agent09", "10250", "张雅琴", "综合服务一班", ["GEN", "BB"], MAIN_DISTRICTS),
    ("agent10", "10251", "李俊杰", "综合服务一班", ["GEN"], MAIN_DISTRICTS),
    ("agent11", "10252", "王梓萱", "综合服务一班", ["GEN", "VIP", "CMP"], MAIN_DISTRICTS),
    ("agent12", "10253", "刘文博", "综合服务一班", ["GEN", "BB"], MAIN_DISTRICTS),
    ("agent13", "10254", "陈思琪", "综合服务一班", ["GEN", "BB"], MAIN_DISTRICTS),
    ("agent14", "10255", "杨晨", "综合服务一班", ["GEN", "ENT"], MAIN_DISTRICTS),
    ("agent15", "10256", "黄佳怡", "综合服务一班", ["GEN"], MAIN_DISTRICTS),
    ("agent16", "10257", "徐子轩", "综合服务一班", ["GEN", "BB"], MAIN_DISTRICTS),
    ("agent17", "10258", "朱婉清", "综合服务一班", ["GEN", "EN"], MAIN_DISTRICTS),
    ("agent18", "10259", "胡明", "综合服务一班", ["GEN"], MAIN_DISTRICTS),
    ("agent19", "10260", "郭雨桐", "综合服务一班", ["GEN", "BB"], MAIN_DISTRICTS),
    ("agent20", "10261", "何志远", "综合服务一班", ["GEN"], MAIN_DISTRICTS),
    ("agent21", "10262", "高诗涵", "综合服务一班", ["GEN", "VIP"], MAIN_DISTRICTS),
    ("agent22", "10263", "林浩然", "综合服务二班", ["GEN", "BB"], OUTER_DISTRICTS),
    ("agent23", "10264", "罗晓燕", "综合服务二班", ["GEN", "CMP"], OUTER_DISTRICTS),
    ("agent24", "10265", "梁宇航", "综合服务二班", ["GEN", "CMP", "ENT"], OUTER_DISTRICTS),
    ("agent25", "10266", "谢婷", "综合服务二班", ["GEN", "ENT"], OUTER_DISTRICTS),
    ("agent26", "10267", "宋嘉怡", "综合服务二班", ["GEN", "BB"], OUTER_DISTRICTS),
    ("agent27", "10268", "唐凯", "综合服务二班", ["GEN"], OUTER_DISTRICTS),
    ("agent28", "10269", "许安琪", "综合服务二班", ["GEN", "BB", "EN"], OUTER_DISTRICTS),
    ("agent29", "10270", "韩雪", "综合服务二班", ["GEN", "BB"], OUTER_DISTRICTS),
    ("agent30", "10271", "冯振宇", "综合服务二班", ["GEN"], OUTER_DISTRICTS),
    ("agent31", "10272", "邓慧琳", "综合服务二班", ["GEN", "VIP", "CMP"], OUTER_DISTRICTS),
    ("agent32", "10273", "曹俊峰", "综合服务二班", ["GEN", "BB"], OUTER_DISTRICTS),
    ("agent33", "10274", "彭丽萍", "综合服务二班", ["GEN"], OUTER_DISTRICTS),
    ("agent34", "10275", "曾鹏飞", "综合服务二班", ["GEN", "ENT", "VIP"], OUTER_DISTRICTS),
    ("agent35", "10276", "萧若曦", "综合服务三班", ["GEN"], ALL_DISTRICTS),
    ("agent36", "10277", "田宏伟", "综合服务三班", ["GEN", "CMP"], ALL_DISTRICTS),
    ("agent37", "10278", "董欣然", "综合服务三班", ["GEN", "BB"], ALL_DISTRICTS),
    ("agent38", "10279", "袁国栋", "综合服务三班", ["GEN"], ALL_DISTRICTS),
    ("agent39", "10280", "潘雨欣", "综合服务三班", ["GEN", "VIP", "CMP"], ALL_DISTRICTS),
    ("agent40", "10281", "蒋文涛", "综合服务三班", ["GEN", "BB"], ALL_DISTRICTS),
    ("agent41", "10282", "蔡梦瑶", "综合服务三班", ["GEN", "ENT", "EN"], ALL_DISTRICTS),
    ("agent42", "10283", "余泽宇", "综合服务三班", ["GEN", "ENT"], ALL_DISTRICTS),
    ("agent43", "10284", "杜晓丽", "综合服务三班", ["GEN", "VIP"], ALL_DISTRICTS),
    ("agent44", "10285", "叶子豪", "综合服务三班", ["GEN"], ALL_DISTRICTS),
    ("agent45", "10286", "程静怡", "综合服务三班", ["GEN", "EN"], ALL_DISTRICTS),
    ("agent46", "10287", "苏文杰", "综合服务三班", ["GEN", "BB"], ALL_DISTRICTS),
    ("agent47", "10288", "魏晓彤", "综合服务三班", ["GEN"], ALL_DISTRICTS),
    ("agent48", "10289", "吕永强", "综合服务三班", ["GEN"], ALL_DISTRICTS),
]
