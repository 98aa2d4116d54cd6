"""A LibreOffice profile that recalculates every formula of an xlsx file on loading.

By default LibreOffice trusts the values a file stores beside its formulas (planpress's
workbooks store them), so a test that asks LibreOffice to add up a workbook must say
'recalculate always', or it would only read back what planpress wrote.
"""

from __future__ import annotations

from pathlib import Path

RECALCULATE_ON_LOAD = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">
<value>0</value></prop></item>
</oor:items>
"""


def recalculating_profile(folder: Path) -> str:
    """soffice's argument for a fresh profile in `folder`/profile that always recalculates."""
    user = folder / "profile" / "user"
    user.mkdir(parents=True, exist_ok=True)
    (user / "registrymodifications.xcu").write_text(RECALCULATE_ON_LOAD, encoding="utf-8")
    return f"-env:UserInstallation=file://{folder}/profile"
