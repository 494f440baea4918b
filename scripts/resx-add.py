#!/usr/bin/env python3
"""Adds or replaces UI strings in both resource files, keeping keys sorted.
usage: scripts/resx-add.py strings.tsv   (lines: Key<TAB>English<TAB>Spanish)"""
import re, sys, html
from pathlib import Path

root = Path(__file__).resolve().parent.parent / "Resources"
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1], encoding="utf-8") if l.strip() and not l.startswith("#")]
for lang, col in (("", 1), (".es", 2)):
    path = root / f"SharedResource{lang}.resx"
    text = path.read_text(encoding="utf-8")
    entries = dict(re.findall(r'  <data name="([^"]+)" xml:space="preserve"><value>(.*?)</value></data>\n', text, re.S))
    for r in rows:
        entries[r[0]] = html.escape(r[col], quote=False)
    head = text[: text.index('  <data name=')]
    body = "".join(f'  <data name="{k}" xml:space="preserve"><value>{v}</value></data>\n' for k, v in sorted(entries.items(), key=lambda kv: kv[0]))
    path.write_text(head + body + "</root>\n", encoding="utf-8")
print(f"{len(rows)} strings written")
