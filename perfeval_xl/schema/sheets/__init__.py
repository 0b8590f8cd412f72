"""The template's sheets, in workbook order."""

from .assets import ASSETS
from .budget import BUDGET
from .cover import COVER
from .expenses import EXPENSES
from .finance import FINANCE
from .narrative import NARRATIVE
from .outputs import OUTPUTS
from .placeholders import FINDINGS, SCORING
from .projects import PROJECTS
from .qualitative import QUALITATIVE
from .staff import STAFF

SHEETS = (COVER, STAFF, FINANCE, BUDGET, EXPENSES, PROJECTS, ASSETS, OUTPUTS, NARRATIVE, QUALITATIVE, SCORING, FINDINGS)
