"""The first line of every generated page."""

BANNER = "<!-- 由 perfeval 根据声明与规则注册表自动生成，请勿手工修改（python -m perfeval_xl.docs 重新生成） -->"
