"""JUnit XML of verification results, the format CI systems (GitLab, Jenkins, GitHub test reporters) display."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from ..hook.describe import describe
from ..hook.verify import Result

# Characters XML 1.0 cannot hold at all (a hook's text may carry them); CI readers reject the whole file otherwise.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def write_junit(path: str | Path, results: list[Result], *, hook_url: str) -> None:
    suite = ET.Element(
        "testsuite",
        name="mock-okta verify",
        tests=str(len(results)),
        failures=str(sum(1 for r in results if r.problems)),
        skipped=str(sum(1 for r in results if r.skipped)),
        time=f"{sum(r.seconds for r in results):.3f}",
    )
    properties = ET.SubElement(suite, "properties")
    ET.SubElement(properties, "property", name="hook_url", value=hook_url)
    for result in results:
        case = ET.SubElement(
            suite,
            "testcase",
            classname=f"mock-okta.{result.kind}",
            name=_xml(result.name),
            time=f"{result.seconds:.3f}",
        )
        if result.skipped:
            ET.SubElement(case, "skipped", message=_xml(result.skipped))
        elif result.problems:
            failure = ET.SubElement(case, "failure", message=_xml("; ".join(result.problems)))
            failure.text = _xml("\n\n".join(describe(run) for run in result.runs[:1]))
    ET.indent(suite)
    Path(path).write_text(ET.tostring(suite, encoding="unicode", xml_declaration=True) + "\n", encoding="utf-8")
