"""environment.yml (conda) and pyproject.toml (pip) install the same packages."""
import re
import tomllib

import yaml

from instructor.reference import REPO


def name_and_version(spec: str) -> tuple[str, str]:
    """'nbgrader==0.9.6' and 'nbgrader=0.9.6' both give ('nbgrader', '0.9.6'); '>=1.2' keeps its operator."""
    match = re.match(r"([A-Za-z0-9_.-]+)\s*(==|=|>=|<=|~=)?\s*([^\s#]*)", spec)
    name, operator, version = match.groups()
    operator = "==" if operator == "=" else operator or ""
    return name.lower().replace("_", "-"), operator + version


def pip_packages() -> dict[str, str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    specs = project["dependencies"] + project["optional-dependencies"]["test"]
    return dict(name_and_version(spec) for spec in specs)


def conda_packages() -> dict[str, str]:
    environment = yaml.safe_load((REPO / "environment.yml").read_text())
    specs = []
    for entry in environment["dependencies"]:
        if isinstance(entry, dict):
            specs += [spec for spec in entry["pip"] if not spec.startswith("-e")]
        elif not entry.startswith(("python=", "pip")) or entry.startswith("pip-"):
            specs.append(entry)
    return dict(name_and_version(spec) for spec in specs)


def test_conda_and_pip_name_the_same_packages_and_versions():
    assert conda_packages() == pip_packages()


def test_the_reference_tests_pin_the_cpu_torch_on_disk():
    assert pip_packages()["torch"] == "==2.13.0"
