#!/usr/bin/env python3
"""Regenerates the guardrail's shipped training examples (HitlConsole/Features/Pipeline/Data/safety-examples.csv).

The examples are the development sets eval/guardrail-dev*.csv, in file order, then the everyday questions of the intent
development sets (eval/everyday-utterances.csv, eval/everyday-es-dev*.csv, eval/everyday-dev-*.csv) as harmless. Holdouts (eval/guardrail-holdout*.csv)
and the set written last (eval/guardrail-unseen.csv) are read here only to keep their texts out: a development row that
repeats one of them (after folding case, accents and punctuation) is left out of training and counted. The model itself is trained from this file, deterministically, when
the app first needs it (SafetyModel); `dotnet run --project eval/HitlConsole.Eval -c Release -- guardrail` scores it.

usage: scripts/guardrail/build-examples.py
"""
import csv
import glob
import os
import sys
import unicodedata

repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
eval_dir = os.path.join(repo, "eval")


def fold(text):
    text = unicodedata.normalize("NFD", text.lower())
    return " ".join("".join(c if c.isalnum() else " " for c in text if unicodedata.category(c) != "Mn").split())


def read(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


untouched = sorted(glob.glob(os.path.join(eval_dir, "guardrail-holdout*.csv"))) + glob.glob(os.path.join(eval_dir, "guardrail-unseen*.csv"))
forbidden = {fold(r["text"]) for path in untouched for r in read(path)}

rows, clashes = [], []
for path in sorted(glob.glob(os.path.join(eval_dir, "guardrail-dev*.csv"))):
    for r in read(path):
        if fold(r["text"]) in forbidden:
            clashes.append(f"{os.path.basename(path)}: {r['text']}")
            continue
        rows.append((r["text"], r["class"], r["language"]))
if clashes:
    # Counts only: printing the rows would show holdout texts to whoever tunes the guardrail next.
    per_file = {}
    for clash in clashes:
        per_file[clash.split(":")[0]] = per_file.get(clash.split(":")[0], 0) + 1
    print(f"left out {len(clashes)} development rows that repeat a holdout text: "
          + ", ".join(f"{name} {count}" for name, count in sorted(per_file.items())), file=sys.stderr)

# Everyday support questions from the intent development sets (never their holdouts): harmless, both languages.
for name, language in (("everyday-utterances.csv", "en"), ("everyday-es-dev.csv", "es"), ("everyday-dev-2.csv", "en"),
                       ("everyday-es-dev-2.csv", "es"), ("everyday-dev-3.csv", "en"), ("everyday-es-dev-3.csv", "es"),
                       ("everyday-dev-4.csv", "en"), ("everyday-es-dev-4.csv", "es"),
                       ("everyday-dev-5.csv", "en"), ("everyday-es-dev-5.csv", "es"),
                       ("everyday-dev-6.csv", "en"), ("everyday-es-dev-6.csv", "es"),
                       ("everyday-dev-7.csv", "en"), ("everyday-dev-8.csv", "en"), ("everyday-es-dev-7.csv", "es"),
                       ("everyday-dev-9.csv", "en"), ("everyday-dev-10.csv", "en")):
    for r in read(os.path.join(eval_dir, name)):
        if fold(r["text"]) not in forbidden:
            rows.append((r["text"], "none", language))

target = os.path.join(repo, "HitlConsole", "Features", "Pipeline", "Data", "safety-examples.csv")
with open(target, "w", encoding="utf-8", newline="") as f:
    writer = csv.writer(f, lineterminator="\n")
    writer.writerow(["text", "class", "language"])
    writer.writerows(rows)
print(f"{len(rows)} examples -> {os.path.relpath(target, repo)}")
