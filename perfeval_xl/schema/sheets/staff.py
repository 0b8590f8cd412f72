from ..builders import count, listed_names, percent
from ..layout import Form, Sheet

STAFF = Sheet(
    "staff",
    "人员与机构",
    "财政供养人员与机构设置",
    blocks=(
        Form(
            "quota",
            "一、编制数（机构编制部门核定）",
            (
                count("staff.quota.admin", "行政编制", "机构编制部门核定的行政编制数"),
                count("staff.quota.inst", "事业编制", "机构编制部门核定的事业编制数"),
                count("staff.quota.worker", "工勤编制", "机构编制部门核定的工勤编制数"),
                count("staff.quota.total", "编制数合计", "核定编制总数；在职人员控制率的分母"),
            ),
        ),
        Form(
            "onpost",
            "二、年末实际在编在岗人数（决算口径）",
            (
                count("staff.onpost.admin", "行政人员", "年末在编在岗的行政人员"),
                count("staff.onpost.inst", "事业人员", "年末在编在岗的事业人员"),
                count("staff.onpost.worker", "工勤人员", "年末在编在岗的工勤人员"),
                count("staff.onpost.total", "在编在岗合计", "年末实际在职人数；在职人员控制率的分子"),
                percent("staff.control_rate", "在职人员控制率（报告所述）", "= 在编在岗 / 编制数 × 100%，按报告填写"),
            ),
        ),
        Form(
            "other",
            "三、其他人员",
            (
                count("staff.other.gov_employee", "政府雇员", "不占编制的政府雇员"),
                count("staff.other.temp", "临聘人员", "编外临时聘用人员"),
                count("staff.other.total", "其他人员合计", "政府雇员 + 临聘人员"),
            ),
        ),
        Form(
            "retired",
            "四、离退休人员",
            (
                count("staff.retired.retire", "退休人员", ""),
                count("staff.retired.lixiu", "离休人员", ""),
                count("staff.retired.total", "离退休合计", "退休 + 离休"),
            ),
        ),
        Form("internal", "五、内设机构", listed_names("org.internal", "内设机构", 15, "每格填一个内设机构名称，如：文电会务科")),
        Form("subunit", "六、下属单位", listed_names("org.subunit", "下属单位", 10, "每格填一个下属单位名称，如：优化营商环境协调事务中心")),
    ),
)
