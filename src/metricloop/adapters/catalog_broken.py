"""Problems elsewhere in a catalog, told honestly when one of its files did not load.

A file that does not parse (or is refused: too large, not UTF-8, an alias bomb) contributes nothing, so every
name it defines is unknown to the loader. A reference to one of those names elsewhere is then reported as
unknown, and a "did you mean" offering a lookalike (`net_revenue` for a `gross_revenue` that lives in the
broken file) sends the reader the wrong way: the problem says instead where the name probably lives, and no
suggestion points at a name of a file that did not load.
"""
from __future__ import annotations

import dataclasses
import re

from metricloop.errors import CatalogProblem

# `- name: revenue`, `name: "revenue"`, `{name: order_count}`: read line by line, leniently, from a file
# that is not valid YAML (so a reference counts too: the names are only used to withhold and explain)
_NAME = re.compile(r"""(?:^|[{,\s])name:\s*["']?([A-Za-z_][\w.-]*)""", re.MULTILINE)
_UNKNOWN = re.compile(r"unknown [\w ]+ '([^']+)'")


def names_in(text: str) -> set[str]:
    """The names a file that did not load mentions after `name:`."""
    return set(_NAME.findall(text))


def after_broken_files(problems: list[CatalogProblem], broken: dict[str, set[str]]) -> list[CatalogProblem]:
    """`problems` with suggestions that point into files that did not load (`broken`: file -> names it
    mentions) withdrawn, and an unknown name that such a file mentions explained by that file."""
    if not broken:
        return problems
    withheld = set().union(*broken.values())
    out = []
    for problem in problems:
        if problem.file in broken:  # the broken file's own problem (it does not parse) stays as it is
            out.append(problem)
            continue
        unknown = _UNKNOWN.search(problem.message)
        home = next((f for f, names in broken.items() if unknown and unknown.group(1) in names), None)
        if home is not None:
            problem = dataclasses.replace(problem, suggestion=None,
                                          message=f"{problem.message} (it may be defined in {home}, which did not "
                                                  "load: fix that file first)")
        elif problem.suggestion in withheld:
            problem = dataclasses.replace(problem, suggestion=None)
        out.append(problem)
    return out
