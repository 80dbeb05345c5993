#!/usr/bin/env python3
"""check-data.py SITE_DIR OUTPUT_DIR — the open-data files of a built site read back by real
readers: Python's csv (row counts equal the content's) and networkx's GraphML reader (a node
per body and organisation, an edge per stated connection, as relations.csv lists them)."""
import csv, glob, re, sys, tomllib
import networkx as nx

site, out = sys.argv[1:3]


def front_matter(path):
    text = open(path, encoding="utf-8-sig").read()
    m = re.match(r"\+\+\+\r?\n(.*?)\r?\n\+\+\+", text, re.S)
    return tomllib.loads(m.group(1)) if m else {}


def files(kind):
    return glob.glob(f"{site}/content/{kind}/**/*.md", recursive=True)


def rows(name):
    with open(f"{out}/data/{name}", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


bodies, organisations, people = files("bodies"), files("organisations"), files("people")
seats = sum(len(front_matter(p).get("members", [])) for p in bodies)
publish = tomllib.load(open(f"{site}/mandat.toml", "rb")).get("privacy", {}).get("publish_people", True) \
    if glob.glob(f"{site}/mandat.toml") else True
expected = {
    "bodies.csv": len(bodies),
    "organisations.csv": len(organisations),
    "seats.csv": seats,
    "people.csv": len(people) if publish else 0,
}
problems = []
for name, count in expected.items():
    got = len(rows(name))
    if got != count:
        problems.append(f"{name}: {got} rows for {count} in the content")
relations = rows("relations.csv")
g = nx.read_graphml(f"{out}/data/organisation.graphml", force_multigraph=True)
if g.number_of_nodes() != len(bodies) + len(organisations):
    problems.append(f"graphml: {g.number_of_nodes()} nodes for {len(bodies) + len(organisations)} entities")
if g.number_of_edges() != len(relations):
    problems.append(f"graphml: {g.number_of_edges()} edges for {len(relations)} rows of relations.csv")
kinds = {d.get("type") for _, _, d in g.edges(data=True)}
for p in problems:
    print(p)
print(f"data: {sum(expected.values())} rows, graphml {g.number_of_nodes()} nodes / {g.number_of_edges()} edges "
      f"({', '.join(sorted(k for k in kinds if k))}), {len(problems)} problems")
sys.exit(1 if problems else 0)
