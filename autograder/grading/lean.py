"""What the grader's command never uses, kept from being imported (imported first by :mod:`.cli`).

jsonschema, which nbformat validates notebooks with, imports ``rfc3987_syntax`` when it is installed, only to
check strings of the JSON schema format "iri", which no notebook schema has; the import builds 39 parsers, a
second of CPU of every run's start, before any submission is graded. Marked absent here (jsonschema then
checks that format as it does where the package is not installed), in the command's process only: never in
the learner's kernel, nor in a sandbox.
"""
import sys

sys.modules.setdefault("rfc3987_syntax", None)  # None: "import rfc3987_syntax" raises ImportError
