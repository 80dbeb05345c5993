"""Checks the PDF of /print/: every body's title is in it, every published mandate starts a
page of its own (pages >= mandates + 2), and no page is wider than the paper.

usage: check-print.py PRINT.pdf SITE_ROOT
"""
import pathlib
import re
import subprocess
import sys
import tomllib

pdf, root = sys.argv[1], pathlib.Path(sys.argv[2])
text = " ".join(subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True, check=True).stdout.split())
info = subprocess.run(["pdfinfo", "-f", "1", "-l", "9999", pdf], capture_output=True, text=True, check=True).stdout
pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
sizes = [(float(w), float(h)) for w, h in re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info, re.M)]

titles, mandates = [], 0
for path in sorted((root / "content" / "bodies").rglob("*.md")):
    front = path.read_text(encoding="utf-8").lstrip("\ufeff").split("+++")[1]
    meta = tomllib.loads(front)
    titles.append(meta["title"])
    mandates += meta.get("mandate_published", True)

config = tomllib.loads((root / "mandat.toml").read_text()) if (root / "mandat.toml").exists() else {}
paper = {"A4": (595.3, 841.9), "Letter": (612.0, 792.0)}[config.get("print", {}).get("paper", "A4")]

problems = [f"title missing from the PDF: {t}" for t in titles if " ".join(t.split()) not in text]
if pages < mandates + 2:
    problems.append(f"{pages} pages for {mandates} mandates: each mandate should start a page of its own")
for i, (w, h) in enumerate(sizes, 1):
    if w > max(paper) + 1 or h > max(paper) + 1 or min(w, h) > min(paper) + 1:
        problems.append(f"page {i} is {w} x {h} pt, larger than the paper {paper}")
for p in problems:
    print(p)
print(f"print.pdf: {pages} pages, {len(titles)} titles checked, {mandates} mandates: {len(problems)} problem(s)")
sys.exit(1 if problems else 0)
