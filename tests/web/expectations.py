"""What each role should see: the dashboard heading (English source and Indonesian) and the menu items
it must and must never be offered. Shared by the client tests and the browser tests."""
from kinerja.accounts.models import Role

SUPERVISOR = "supervisor"  # an employee with direct reports

HEADINGS = {
    Role.EMPLOYEE: ("My work", "Kinerja saya"),
    SUPERVISOR: ("My team", "Tim saya"),
    Role.HR_ADMIN: ("HR administration", "Administrasi kepegawaian"),
    Role.LEADERSHIP: ("Regional overview", "Ikhtisar daerah"),
    Role.AUDITOR: ("Audit", "Audit"),
    Role.OPERATOR: ("Platform operations", "Operasional platform"),
    Role.BKN_ANALYST: ("National overview", "Ikhtisar nasional"),
    Role.PLUGIN_VENDOR: ("Plugin vendor", "Vendor plugin"),
}

# (items the role must be offered, in menu order; items it must never be offered). Other items may join
# the menu as the platform grows; the tests that open every offered item keep those honest.
REGION_MENUS = {
    Role.HR_ADMIN: (["dashboard", "units", "employees", "imports", "audit"], []),
    Role.LEADERSHIP: (["dashboard", "units", "employees"], ["imports", "audit"]),
    Role.AUDITOR: (["dashboard", "units", "employees", "audit"], ["imports"]),
    Role.EMPLOYEE: (["dashboard"], ["units", "employees", "imports", "audit"]),
}
REGION_MENUS[SUPERVISOR] = REGION_MENUS[Role.EMPLOYEE]
PLATFORM_MENUS = {
    Role.OPERATOR: (["dashboard", "regions", "audit", "api-docs"], []),
    Role.BKN_ANALYST: (["dashboard", "api-docs"], ["regions", "audit"]),
    Role.PLUGIN_VENDOR: (["dashboard", "api-docs"], ["regions", "audit"]),
}
