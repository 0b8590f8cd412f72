// perfeval-xl · Office.js 客户端的工作表保护回调（xlwings Server / xlwings Lite）
//
// Python 端（perfeval_xl/xl/protection.py）在“校验”“清除标记”的动作列表首尾各发一次 runMacro：
//   perfevalUnprotectSheets(sheetNames, password)            —— 写入前：解除受保护工作表的保护
//   perfevalProtectSheets(sheetNames, password, options)      —— 写入后：按模板声明的选项恢复保护
// Office.js 拒绝向受保护工作表的锁定单元格写入，所以必须由客户端先解除、后恢复。
// 用法：在加载项页面中于 xlwings.js 之后引入本文件。

const perfevalUnprotected = new Set();

async function perfevalUnprotectSheets(context, sheetNames, password) {
  perfevalUnprotected.clear();
  const sheets = sheetNames.map((name) => {
    const ws = context.workbook.worksheets.getItem(name);
    ws.protection.load("protected");
    return ws;
  });
  await context.sync();
  for (const [i, ws] of sheets.entries()) {
    const name = sheetNames[i];
    if (!ws.protection.protected) continue;
    ws.protection.unprotect(password);
    try {
      await context.sync();
    } catch (err) {
      // 密码不符：在写入任何内容之前停下，不留下写了一半的“校验结果”
      throw new Error(
        `工作表“${name}”受保护，且密码与本工具记录的不同，未作任何修改。` +
          "请在 xlwings Server 上用生成模板时的密码设置环境变量 PERFEVAL_PASSWORD 后重试。"
      );
    }
    perfevalUnprotected.add(name);
  }
}

async function perfevalProtectSheets(context, sheetNames, password, options) {
  for (const name of sheetNames) {
    if (!perfevalUnprotected.has(name)) continue; // 原本未受保护的表保持原样
    context.workbook.worksheets.getItem(name).protection.protect(options, password);
  }
  await context.sync();
  perfevalUnprotected.clear();
}

if (typeof xlwings !== "undefined") {
  xlwings.registerCallback(perfevalUnprotectSheets);
  xlwings.registerCallback(perfevalProtectSheets);
}
if (typeof module !== "undefined") {
  module.exports = { perfevalUnprotectSheets, perfevalProtectSheets };
}
