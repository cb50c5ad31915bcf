"""Creating a new plugin distribution from the template shipped with the platform (package data in
templates/plugin_scaffold), so a vendor starts from a plugin that already passes the conformance check."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates" / "plugin_scaffold"
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class NewPlugin:
    name: str        # PLUGIN_META name and distribution name: kinerja-tpp-example
    module: str      # kinerja_tpp_example
    directory: Path


def names_for(raw: str) -> tuple[str, str, str]:
    """(plugin name, module, entry-point name) for a requested name such as "tpp-example"."""
    short = raw.strip().lower().removeprefix("kinerja-")
    if not NAME_PATTERN.match(short) or len(short) > 50:
        raise ValueError(f"'{raw}' is not a valid plugin name: use lowercase letters, digits and hyphens, "
                         "such as tpp-example")
    name = f"kinerja-{short}"
    return name, name.replace("-", "_"), short


def create_plugin(raw_name: str, parent: Path) -> NewPlugin:
    name, module, short = names_for(raw_name)
    target = Path(parent) / name
    if target.exists():
        raise FileExistsError(f"{target} already exists")
    title = short.replace("-", " ").capitalize()
    replacements = {"__DIST__": name, "__NAME__": name, "__MODULE__": module, "__SHORT__": short, "__TITLE__": title}
    for source in sorted(TEMPLATE_DIR.rglob("*.tmpl")):
        relative = source.relative_to(TEMPLATE_DIR).with_suffix("")
        parts = [module if part == "module" else part for part in relative.parts]
        destination = target.joinpath(*parts)
        destination.parent.mkdir(parents=True, exist_ok=True)
        text = source.read_text(encoding="utf-8")
        for placeholder, value in replacements.items():
            text = text.replace(placeholder, value)
        destination.write_text(text, encoding="utf-8")
    return NewPlugin(name, module, target)
