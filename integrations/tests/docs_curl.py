"""The shell examples of a document, run through Django's test client: no server and no curl needed.

A block is a ```sh fence; a statement starts at the beginning of a line and runs on over indented lines, a
trailing backslash or an open quote. Four forms are understood: ``export NAME=…`` (skipped: the test gives the
variables); ``curl …``; ``NAME=$(curl … | python -c '… json.load(sys.stdin)[…] …')``, which keeps that value of
the answer as ``$NAME``; and ``python -c '…'``, run with this interpreter. Anything else fails the test, so an
example the test cannot run is noticed.
"""
from __future__ import annotations

import ast
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

BLOCK = re.compile(r"((?:^[^\n]*\n){0,3})```sh\n(.*?)```", re.S | re.M)
ASSIGN = re.compile(r"^(\w+)=\$\((.*)\)$", re.S)
PICK = re.compile(r"json\.load\(sys\.stdin\)((?:\[[^\]]+\])+)")


@dataclass
class Answer:
    source: str
    status: int
    body: dict | list | None
    expect_refusal: bool


@dataclass
class Runner:
    client: object  # django.test.Client
    variables: dict[str, str] = field(default_factory=dict)
    answers: list[Answer] = field(default_factory=list)

    def run_document(self, path: Path) -> list[Answer]:
        for before, block in BLOCK.findall(path.read_text(encoding="utf-8")):
            refusal = "refused" in before.lower()
            for statement in statements(block):
                self.run(statement, refusal)
        return self.answers

    def run(self, statement: str, refusal: bool) -> None:
        if statement.startswith("export "):  # the variables the document sets up: the test gives its own
            return
        for name, value in self.variables.items():
            statement = statement.replace(f"${name}", value)
        assigned = ASSIGN.match(statement)
        if assigned:
            name, inner = assigned.groups()
            words = shlex.split(inner)
            pipe = words.index("|")
            answer = self.curl(words[:pipe], refusal)
            value = answer.body
            for key in re.findall(r"\[([^\]]+)\]", PICK.search(words[pipe + 3]).group(1)):
                value = value[ast.literal_eval(key)]
            self.variables[name] = str(value)
            return
        words = shlex.split(statement)
        if words[0].endswith("python") and words[1] == "-c":
            subprocess.run([sys.executable, "-c", words[2]], check=True)  # noqa: S603 -- the document's own code
            return
        assert words[0] == "curl", f"the test cannot run this example: {statement}"
        self.curl(words, refusal)

    def curl(self, words: list[str], refusal: bool) -> Answer:
        method, url, headers, data, form, index = None, None, {}, None, {}, 1
        while index < len(words):
            word = words[index]
            if word in ("-s", "--silent"):
                index += 1
                continue
            value = words[index + 1] if index + 1 < len(words) else ""
            if word in ("-X", "--request"):
                method = value
            elif word in ("-H", "--header"):
                name, _colon, header = value.partition(":")
                headers[name.strip()] = header.strip()
            elif word in ("-d", "--data"):
                data = value
            elif word in ("-F", "--form"):
                name, _eq, item = value.partition("=")
                form[name] = open(item[1:], "rb") if item.startswith("@") else item  # noqa: SIM115 -- read below
            elif word.startswith("-"):
                raise AssertionError(f"an option the test does not know: {word}")
            else:
                url = word
                index += 1
                continue
            index += 2
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        method = (method or ("POST" if data is not None or form else "GET")).lower()
        extra = {f"HTTP_{name.upper().replace('-', '_')}": value for name, value in headers.items()
                 if name.lower() != "content-type"}
        send = getattr(self.client, method)
        if form:
            response = send(path, form, **extra)
            for item in form.values():
                if hasattr(item, "close"):
                    item.close()
        elif data is not None:
            response = send(path, data, content_type=headers.get("Content-Type", "application/json"), **extra)
        else:
            response = send(path, **extra)
        body = response.json() if response.get("Content-Type", "").startswith("application/json") else None
        answer = Answer(" ".join(words)[:200], response.status_code, body, refusal)
        self.answers.append(answer)
        return answer


def statements(block: str) -> list[str]:
    """The block's statements: a line at the left margin starts one; indented lines, a backslash and an open
    quote go on."""
    found: list[str] = []
    for line in block.splitlines():
        if not line.strip():
            continue
        open_quote = found and found[-1].count("'") % 2 == 1
        if found and (line[0].isspace() or found[-1].endswith("\\") or open_quote):
            found[-1] = found[-1].removesuffix("\\") + "\n" + line
        else:
            found.append(line)
    return found
