#!/usr/bin/env python3
"""Checks that every relative link in README.md and docs/*.md names a file that exists and, with
a #fragment, a heading of that file (GitHub's anchors: lower case, punctuation dropped, spaces to
hyphens, -1, -2... for repeats). Exits 1 naming each broken link. Run from anywhere."""
import os, re, sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
os.chdir(root)
pages = ["README.md"] + sorted("docs/" + f for f in os.listdir("docs") if f.endswith(".md"))

def anchors(path):
    seen, out, fenced = {}, set(), False
    for line in open(path, encoding="utf-8"):
        if line.startswith("```"):
            fenced = not fenced
        if fenced or not re.match(r"#{1,6} ", line):
            continue
        slug = re.sub(r"[^\w\- ]", "", line.lstrip("#").strip().lower()).replace(" ", "-")
        n = seen.get(slug, 0)
        seen[slug] = n + 1
        out.add(slug if n == 0 else f"{slug}-{n}")
    return out

broken = checked = 0
for page in pages:
    text = open(page, encoding="utf-8").read()
    text = re.sub(r"```.*?```", "", text, flags=re.S)
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"[a-z]+:", target):
            continue
        checked += 1
        path, _, fragment = target.partition("#")
        full = os.path.normpath(os.path.join(os.path.dirname(page), path)) if path else page
        if not os.path.exists(full):
            print(f"{page}: {target}: no file {full}")
            broken += 1
        elif fragment and full.endswith(".md") and fragment not in anchors(full):
            print(f"{page}: {target}: no heading #{fragment} in {full}")
            broken += 1
print(f"{len(pages)} pages, {checked} links, {broken} broken")
sys.exit(1 if broken else 0)
