"""SEC: the security pre-flight's findings, declared like every other rule.

They are raised by ``perfeval_xl.preflight`` before any spreadsheet
parser sees a file, and reported in the same findings schema as the checker's.
Their passing and failing cases are the generated bad-input corpus of
``tests/intake`` (a workbook file, not a field map, is what each one needs).
"""

from __future__ import annotations

from .base import CheckRule, Severity


def _rule(id: str, slug: str, title: str, rationale: str, message: str, severity: Severity = Severity.ERROR) -> CheckRule:
    return CheckRule(id=id, slug=slug, title=title, rationale=rationale, severity=severity, message=message)


SEC_RULES: dict[str, CheckRule] = {
    r.id: r
    for r in (
        _rule("SEC001", "file-too-large", "文件过大",
              "超大文件会拖垮解析进程；正常填报的工作簿不足 1 MB。",
              "文件大小 {size_mb} MB，超过上限 {limit_mb} MB，未作进一步解析。"),
        _rule("SEC002", "zip-too-many-members", "压缩包成员过多",
              "正常 .xlsx 只有数十个部件；成员过多是压缩炸弹或异常文件的特征。",
              "文件包含 {count} 个压缩成员，超过上限 {limit} 个。"),
        _rule("SEC003", "zip-ratio", "压缩比异常（疑似压缩炸弹）",
              "大部件的压缩比远超正常表格（styles.xml 约 100:1 属正常，故只对大于下限的部件计算）。",
              "部件 {member} 压缩比 {ratio}:1（解压后 {size_mb} MB），超过上限 {limit}:1。"),
        _rule("SEC004", "zip-declared-size", "解压后体积超限",
              "在解压前先核对中央目录声明的大小（攻击者可控，另有流式上限兜底）。",
              "{what}声明解压后 {size_mb} MB，超过上限 {limit_mb} MB。"),
        _rule("SEC005", "zip-stream-cap", "实际解压字节超限或与声明不符",
              "声明的大小可以造假：按块解压并计数，超出声明或总上限即停止。",
              "部件 {member} 实际解压超过{what}，已停止解压。"),
        _rule("SEC006", "xml-entity", "XML 含 DTD/实体声明（疑似实体膨胀攻击）",
              "OOXML 部件从不需要 DTD；实体声明可用于 billion laughs 指数膨胀（defusedxml）。",
              "部件 {member} 含{what}，已拒绝解析。"),
        _rule("SEC007", "xml-external-entity", "XML 外部实体引用（XXE）",
              "外部实体可读取服务器文件或发起网络请求（defusedxml ExternalReferenceForbidden）。",
              "部件 {member} 引用外部实体 {target}，已拒绝解析。"),
        _rule("SEC008", "sheet-extent", "工作表使用范围过大",
              "远处的零星单元格会使读取程序生成海量空单元格导致内存耗尽（formr.org #111）。",
              "工作表部件 {member} 的使用范围达 {rows} 行 × {cols} 列，超过上限（{limit_rows} 行、{limit_cells} 个单元格）。"),
        _rule("SEC009", "cell-text-too-long", "单元格文字超过 Excel 上限",
              "Excel 一个单元格最多容纳 32,767 个字符，超过的文字不可能由 Excel 填写保存；数十 MB 的单个字符串会使读取程序耗时数秒、"
              "占用数百 MB 内存，故在解析前逐块统计并拒收。",
              "部件 {member} 中{where}的文字至少有 {chars} 个字符，超过 Excel 单元格上限 {limit} 个字符，已拒绝解析。"),
        _rule("SEC010", "vba-macro", "含 VBA 宏工程",
              "模板不含宏；收到的宏只报告、绝不运行，文件隔离（oletools/olevba）。",
              "文件含 VBA 宏工程（{detail}），已隔离，请删除宏后另存为 .xlsx 重新报送。"),
        _rule("SEC011", "xlm-macro", "含 Excel 4.0（XLM）宏表",
              "XLM 宏表可在打开时自动执行，olevba 自 0.54 起可检测。",
              "文件含 Excel 4.0 宏表（{detail}），已隔离。"),
        _rule("SEC012", "encrypted-workbook", "工作簿已加密",
              "加密工作簿（OLE EncryptedPackage）无法校验（msoffcrypto-tool 检测）。",
              "文件已设置打开密码（{detail}），无法校验，请取消密码后重新报送。"),
        _rule("SEC013", "legacy-xls", "旧版 .xls 格式",
              "旧版二进制格式不是本工具生成的模板，且有 65,536 行截断风险。",
              "文件是旧版 Excel 97-2003（.xls）格式，请使用下发的 .xlsx 模板填报。"),
        _rule("SEC014", "not-a-workbook", "不是 Excel 工作簿",
              "按文件内容（而非扩展名）识别格式。",
              "文件不是 Excel 工作簿（{detail}）。"),
        _rule("SEC015", "corrupt-package", "文件损坏或不完整",
              "压缩包结构损坏、被截断或校验和不符的文件不交给表格解析器。",
              "文件损坏或不完整：{detail}。"),
        _rule("SEC016", "empty-file", "空文件",
              "零字节附件通常是邮件客户端上传失败。",
              "附件为空（0 字节），请重新发送。"),
        _rule("SEC017", "xlsb-unsupported", "二进制工作簿（.xlsb）",
              "只接收下发的 .xlsx 模板；.xlsb 的部件无法用 XML 规则检查。",
              "文件是 Excel 二进制工作簿（.xlsb），请另存为 .xlsx 后重新报送。"),
        _rule("SEC020", "external-link", "含外部链接",
              "外部链接在 Excel 中打开时会刷新，数值取决于未报送的文件（oleobj 0.54 同类检测）。",
              "工作簿含外部链接（{detail}），数值可能随外部文件变化，请断开链接（数据→编辑链接→断开）后重新报送。"),
        _rule("SEC021", "embedded-object", "含嵌入对象或 ActiveX 控件",
              "嵌入的 OLE 对象或 ActiveX 控件不属于模板，可能携带可执行内容。",
              "工作簿含嵌入对象（{detail}），未执行，请确认是否需要。", Severity.WARNING),
        # intake-level findings: the mail or container rather than one workbook
        _rule("SEC030", "no-workbook", "未找到工作簿附件",
              "邮件或压缩包中没有可识别的 Excel 工作簿。",
              "{where}中没有找到 Excel 工作簿附件（共 {count} 个附件{names}）。"),
        _rule("SEC031", "msg-needs-extra", "需要可选组件才能读取 Outlook .msg",
              "extract-msg 采用 GPL-3.0 许可，只作为可选组件 perfeval-xl[msg] 提供。",
              "附件 {name} 是 Outlook .msg 邮件，需要安装可选组件：pip install 'perfeval-xl[msg]'（extract-msg，GPL-3.0）。"),
        _rule("SEC032", "container-limit", "附件嵌套过深或数量过多",
              "对 .eml、.msg、TNEF 与 zip 的递归设深度与数量上限。",
              "{where}超过{what}上限 {limit}，其余内容未处理。"),
        _rule("SEC033", "archive-unreadable", "附件无法解开",
              "损坏的压缩包、winmail.dat 或 .msg 如实报告，不中断批处理。",
              "附件 {name} 无法解开：{detail}。"),
        _rule("SEC034", "attachment-ignored", "非工作簿附件已忽略",
              "只处理工作簿；其他附件在回执中列出以便核对。",
              "附件 {name} 不是工作簿，已忽略。", Severity.INFO),
        _rule("SEC035", "message-too-large", "邮件过大",
              "整封邮件超过上限时不解析其附件。",
              "邮件大小 {size_mb} MB，超过上限 {limit_mb} MB，未解析附件。"),
        _rule("SEC036", "sender-unusable", "发件人地址无法使用",
              "发件人字段先按原文拆出地址再解码显示名；含多个地址、换行或无效地址时，回执不发往其中任何地址，以免被引向他人。",
              "发件人地址无法使用（{detail}），回执不会按该地址发送。", Severity.WARNING),
        _rule("SEC037", "source-not-a-file", "来源不是可读取的普通文件",
              "符号链接可能指向本机任意文件，管道和设备读取时会阻塞；这些来源与无法读取的文件都不读取、不复制，只记录原因，批处理继续。",
              "来源无法作为报送文件读取：{detail}。"),
        _rule("SEC040", "sender-not-registered", "发件人不是该部门登记的邮箱",
              "任何人都可以冒用部门名称发来报送；发件人不在应报送单位名单登记的邮箱中时，该报送不能替代部门的正式报送，"
              "也不能判为合格，回执只发往登记的邮箱。",
              "发件人 {sender} 不是“{department}”在名单中登记的邮箱（{registered}），本报送不作为该部门的正式报送，请核实。"),
        _rule("SEC090", "processing-error", "处理时出现异常",
              "读取或校验程序自身的异常如实记入回执，不中断批处理。",
              "{detail}，请联系财政局。"),
    )
}

RULES = tuple(SEC_RULES.values())
