/// Words the sample city is made of: district names of a county-level city in Liaoning
/// (凤城市, GB/T 2260 210682), Chinese names, activity titles and reasons.
enum SampleVocabulary {
    static let cityRegion = "210682"
    /// Other birthplaces in the ID numbers, so not everyone was born in the city.
    static let birthRegions = [
        "210682", "210682", "210682", "210682", "210602", "210603", "210604", "210624", "210681",
        "210102", "210202", "130102", "370102", "410105", "220102", "230103",
    ]
    static let streets = [
        "凤凰城街道", "凤山街道", "草河街道", "宝山街道", "东华街道", "西城街道", "南门街道", "北关街道",
        "新城街道", "站前街道", "文化街道", "锦江街道", "和平街道", "胜利街道", "永安街道", "长安街道",
        "兴隆街道", "春华街道", "光明街道", "太平街道", "建设街道", "民主街道", "解放街道", "青年街道",
    ]
    static let towns = [
        "白旗镇", "沙里寨镇", "红旗镇", "蓝旗镇", "边门镇", "大兴镇", "鸡冠山镇", "刘家河镇",
        "通远堡镇", "四门子镇", "青城子镇", "东汤镇", "石城镇", "赛马镇", "爱阳镇", "大堡蒙古族乡",
    ]
    static let surnames = Array("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段").map(String.init)
    static let givenCharacters = Array("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍鹏建华红梅飞鑫波斌宇浩凯健俊帆帅旭宁琳晨欣怡佳雪婷瑶璐子涵梓萱若曦雨泽思远博文一鸣嘉怡振国志强海燕淑珍春梅晓东").map(String.init)
    static let phonePrefixes = [
        "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "150", "151", "152", "153",
        "155", "156", "157", "158", "159", "166", "176", "177", "180", "181", "182", "183", "185", "186",
        "187", "188", "189", "198", "199",
    ]
    /// (category, activity title) pairs.
    static let activities: [(String, String)] = [
        ("社区服务", "社区环境整治志愿服务"), ("社区服务", "楼道清理与便民服务"), ("社区服务", "社区议事协商服务"),
        ("环境保护", "河道清理护河行动"), ("环境保护", "垃圾分类宣传指导"), ("环境保护", "植树护绿志愿活动"),
        ("文明交通", "文明交通劝导"), ("文明交通", "路口文明引导服务"), ("关爱老人", "关爱空巢老人上门探访"),
        ("关爱老人", "敬老院陪伴服务"), ("助学支教", "青少年课后辅导"), ("助学支教", "留守儿童陪伴成长"),
        ("文化宣传", "新时代文明实践宣讲"), ("文化宣传", "社区读书会"), ("应急救援", "防汛应急值守"),
        ("应急救援", "应急救护知识培训"), ("健康义诊", "社区健康义诊"), ("扶残助残", "助残阳光服务"),
        ("文明实践", "文明餐桌宣传"), ("文明实践", "志愿者之家值班服务"),
    ]
    /// The service category (0150) each vocabulary category files under.
    static let categoryCodes = ["社区服务": "community", "环境保护": "environment", "文明交通": "civil_traffic", "关爱老人": "elderly",
                                "助学支教": "left_behind_children", "文化宣传": "culture", "应急救援": "fire_safety", "健康义诊": "medical",
                                "扶残助残": "disability", "文明实践": "other"]
    static let organiserSuffixes = ["新时代文明实践站", "志愿服务队", "社区党群服务中心", "团委青年志愿者协会"]
    static let deregistrationReasons = ["本人申请注销", "迁出本市", "长期未参加志愿服务", "身体原因无法继续服务"]
    static let rejectionReasons = ["未实际到岗", "时长与签到记录不符", "重复提交", "活动未按计划开展"]
    /// Corrections: a wrong duplicate (to zero), an early sign-out, a forgotten extension.
    static let correctionToZero = "重复登记，核减为零"
    static let correctionDown = "签退时间更正，核减时长"
    static let correctionUp = "补录漏记服务时长"

    /// Daily activity slots: local start (minutes after midnight) and length in minutes.
    static let slots: [(start: Int, length: Int)] = [(8 * 60 + 30, 210), (13 * 60 + 30, 240), (18 * 60 + 30, 180)]
}
