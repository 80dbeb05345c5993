"""Checks the PDF of /print/: every body's title is in it, every published mandate starts a
page of its own (pages >= mandates + 2), no page is wider than the paper, the first page
holds the title once and the contents, every facts label sits on the line of its value,
and headings of the mandates' own text print no larger than the page's section headings.

usage: check-print.py PRINT.pdf SITE_ROOT
"""
import html
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
# Word boxes as poppler sees them: (page, text, x, y, height).
layout = subprocess.run(["pdftotext", "-bbox-layout", pdf, "-"], capture_output=True, text=True, check=True).stdout
words = []
for number, page in enumerate(layout.split("<page ")[1:], 1):
    for x0, y0, x1, y1, word in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', page
    ):
        words.append((number, html.unescape(word), float(x0), float(y0), float(y1) - float(y0)))

strings = tomllib.loads((root / "themes" / "default" / "i18n" / f"{config.get('language', 'da')}.toml").read_text())
site_title = config.get("title", "Organisation")
first_page = " ".join(w for p, w, *_ in words if p == 1)
if first_page.count(" ".join(site_title.split())) != 1:
    problems.append(f"page 1 should name the site once: {first_page[:200]}")
if strings["print_contents"] not in first_page.split():
    problems.append("page 1 should hold the contents")

# The chart's heading and the chart share their page.
chart_pages = [p for p, w, *_ in words if w == strings["chart"].split()[0]]
if chart_pages and not any(" ".join(t.split()[:1]) in " ".join(w for p, w, *_ in words if p == chart_pages[0]) for t in titles):
    problems.append(f"page {chart_pages[0]}: the chart's heading is printed apart from the chart")

# Each facts label ("Status") has its value on the same line, to its right.
label = strings["status"]
for page, word, x, y, h in words:
    if word == label and not any(p == page and wx > x and abs(wy - y) < 2 for p, _, wx, wy, _ in words):
        problems.append(f"page {page}: the label {label!r} is not on the line of its value")

# A mandate's own headings ("Baggrund") are no larger than its section headings ("Kompetencer").
section = [h for _, w, _, _, h in words if w == strings["competences"]]
text_headings = set()
for path in (root / "content" / "bodies").rglob("*.md"):
    markdown = path.read_text(encoding="utf-8").split("+++", 2)[-1]
    text_headings.update(line.lstrip("#").split()[0] for line in markdown.splitlines() if re.match(r"#+ \S", line))
if section:
    for page, word, _, _, h in words:
        if word in text_headings and h > max(section) + 0.5:
            problems.append(f"page {page}: text heading {word!r} ({h:.1f} pt) is larger than {strings['competences']!r} ({max(section):.1f} pt)")

for p in problems:
    print(p)
print(f"print.pdf: {pages} pages, {len(titles)} titles checked, {mandates} mandates: {len(problems)} problem(s)")
sys.exit(1 if problems else 0)
