//! The render stage: the organisation → every file of the website.
//!
//! Each file goes to a [`Sink`] as soon as it is made (a staging folder for `build`,
//! memory for `serve` and tests), so a large site never sits in memory whole. Pages render
//! in parallel, in whatever order; a file's bytes depend only on the input, never on that
//! order, so two builds of the same input are byte-identical. Templates are compiled once.

mod changes;
pub mod charts;
mod markdown;
mod people;
pub use markdown::MarkdownCache;

/// What `mandat serve` keeps between rebuilds: rendered Markdown, diagram layouts, and
/// the search index, which an edit updates rather than makes again.
#[derive(Default)]
pub struct Caches {
    pub(crate) markdown: MarkdownCache,
    pub(crate) layouts: crate::diagram::neighbourhood::LayoutCache,
    pub(crate) search: std::sync::Mutex<search::Index>,
}
mod print;
pub mod report;
mod search;
pub mod strings;
pub mod views;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use rayon::prelude::*;
use serde::Serialize;

use crate::config::Config;
use crate::diagram::metrics::TextMetrics;
use crate::error::Error;
use crate::graph::{NodeId, OrgGraph};
use crate::history::History;
use crate::mentions::Mentions;
use crate::model::{Capacity, Count, Date, Seat, Status};
use crate::theme::Theme;
use markdown::{MarkdownRenderer, Target};
use pulldown_cmark::HeadingLevel;
use strings::{Strings, Vocabulary};
use views::*;

/// Everything the renderer reads.
pub struct Site<'a, 'c> {
    pub config: &'a Config,
    pub graph: &'a OrgGraph<'c>,
    pub mentions: &'a Mentions,
    /// The git history of the content, when the site is in a repository.
    pub history: Option<&'a History>,
    /// Work kept from earlier builds (`mandat serve`).
    pub cache: Option<&'a Caches>,
    /// Render only the pages of these entities (by id) and update the kept search index
    /// with them: `serve` after an edit no other page shows (see `incremental`). `None`
    /// renders every file.
    pub scope: Option<&'a std::collections::HashSet<String>>,
}

/// The website: output path (`bodies/x/index.html`) → bytes.
pub type Output = BTreeMap<String, Vec<u8>>;

/// Writes a file's bytes to the stream it is given.
pub type Writer<'w> = dyn FnMut(&mut dyn std::io::Write) -> Result<(), Error> + 'w;

/// Where rendered files go as soon as they are made: memory for `serve` and tests, a
/// staging folder for `build` (so a large site never has to fit in memory at once).
pub trait Sink: Sync {
    fn put(&self, path: &str, bytes: Vec<u8>) -> Result<(), Error>;

    /// A file written piece by piece as `write` makes it, for files too large to hold as
    /// well (the open data). A sink that keeps files gathers the pieces.
    fn put_with(&self, path: &str, write: &mut Writer) -> Result<(), Error> {
        let mut bytes = Vec::new();
        write(&mut bytes)?;
        self.put(path, bytes)
    }

    /// A file of the previous render that this one no longer has. Only a render with a
    /// `scope` says so; a full render's sink knows by what it was not given.
    fn remove(&self, path: &str) -> Result<(), Error> {
        Err(Error::Theme(format!("{path}: a full render removes nothing")))
    }
}

/// A site kept in memory.
#[derive(Default)]
pub struct Memory(std::sync::Mutex<Output>);

impl Memory {
    pub fn into_output(self) -> Output {
        self.0.into_inner().unwrap_or_else(|p| p.into_inner())
    }
}

impl Sink for Memory {
    fn put(&self, path: &str, bytes: Vec<u8>) -> Result<(), Error> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).insert(path.to_owned(), bytes);
        Ok(())
    }
}

/// The files of one render: handed to the sink, pages remembered for the sitemap.
pub(crate) struct Files<'s> {
    sink: &'s dyn Sink,
    pages: std::sync::Mutex<Vec<String>>,
    count: std::sync::atomic::AtomicUsize,
}

impl Files<'_> {
    pub(crate) fn insert(&self, path: String, bytes: Vec<u8>) -> Result<(), Error> {
        if path.ends_with("index.html") {
            self.pages.lock().unwrap_or_else(|p| p.into_inner()).push(path.clone());
        }
        self.count.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.sink.put(&path, bytes)
    }

    pub(crate) fn remove(&self, path: &str) -> Result<(), Error> {
        self.sink.remove(path)
    }
}

/// Pages a thread renders before it looks for other work. Rayon splits a slice into a few
/// long runs up front; a thread done with the site-wide files then had nothing to take from
/// another's run and sat idle while it ended (a second on 10,000 bodies with people).
pub(super) const PAGES_PER_JOB: usize = 16;

/// Ids the page templates use for their own sections; Markdown headings avoid them.
const PAGE_IDS: &[&str] = &[
    "main",
    "facts",
    "seats",
    "purpose",
    "tasks",
    "competences",
    "text",
    "children",
    "relations",
    "mentions",
    "diagram",
    "holdings",
    "members",
    "timeline",
    "documents",
    "history",
];

/// Renders the site into memory.
pub fn render(site: &Site, theme: &Theme) -> Result<Output, Error> {
    let memory = Memory::default();
    render_into(site, theme, &memory)?;
    Ok(memory.into_output())
}

/// Renders the site into `sink`; returns how many files it made.
pub fn render_into(site: &Site, theme: &Theme, sink: &dyn Sink) -> Result<usize, Error> {
    let strings = theme.strings(site.config.language)?;
    let mut tera = tera::Tera::default();
    tera.autoescape_on([".html", ".xml"]);
    tera.add_raw_templates(theme.templates()).map_err(template_error)?;
    let metrics = theme.metrics()?;
    let config = site.config;
    let common = Common {
        site: SiteView {
            title: &config.title,
            description: config.description.as_deref(),
            base_url: config.base_url(),
            locale: match config.language {
                crate::config::Language::Da => "da_DK",
                crate::config::Language::En => "en_GB",
            },
        },
        t: &strings.all,
        lang: config.language.code(),
        has_history: site.history.is_some(),
        has_people: !site.graph.content().people.is_empty(),
    };
    let renderer = Renderer {
        site,
        strings: &strings,
        tera: &tera,
        common: tera::Context::from_serialize(&common).map_err(template_error)?,
        markdown: MarkdownRenderer::new(site.config.allow_raw_html, site.cache.map(|c| &c.markdown)),
        metrics,
        chair_lines: std::iter::repeat_with(OnceLock::new).take(site.graph.node_count()).collect(),
        chrome: Default::default(),
    };
    let files = Files { sink, pages: Default::default(), count: Default::default() };
    renderer.render_all(theme, &files)?;
    Ok(files.count.into_inner())
}

fn template_error(e: tera::Error) -> Error {
    // Tera's Display is terse; its Debug names the template, line and column.
    let mut message = format!("{e:?}");
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        message.push_str(&format!("\n  caused by: {s}"));
        source = s.source();
    }
    Error::Template(message)
}

/// Which template makes a page and where the page is: the parts of its context besides
/// its own `page`.
struct PageAt<'a> {
    template: &'a str,
    /// From the page to the site root; `None` for `../` per folder of `path`. The 404
    /// page, served at any depth, gives the site's base path.
    root: Option<&'a str>,
    path: &'a str,
    nav: Nav,
    description: Option<&'a str>,
}

/// The entry of the main navigation a page belongs to (`nav` in templates).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Nav {
    None,
    Overview,
    Bodies,
    Organisations,
    People,
    Changes,
    Print,
}

impl Nav {
    /// Every entry has a place in [`Renderer::chrome`]; one added after `Print` and not
    /// counted here gets its chrome made for each page.
    const COUNT: usize = Nav::Print as usize + 1;

    fn as_str(self) -> &'static str {
        match self {
            Nav::None => "",
            Nav::Overview => "overview",
            Nav::Bodies => "bodies",
            Nav::Organisations => "organisations",
            Nav::People => "people",
            Nav::Changes => "changes",
            Nav::Print => "print",
        }
    }
}

/// Pages this many folders deep or less share their chrome; all of the site's pages are.
const CHROME_DEPTHS: usize = 3;

/// `chrome` in templates: the parts of a page made by the components of `chrome.html`.
#[derive(Serialize)]
struct Chrome {
    head: String,
    header: String,
    footer: String,
}

struct Renderer<'a, 'c> {
    site: &'a Site<'a, 'c>,
    strings: &'a Strings,
    tera: &'a tera::Tera,
    /// The template variables every page shares ([`Common`]), converted for Tera once:
    /// its maps are reference-counted, so each page's context is a cheap copy.
    common: tera::Context,
    markdown: MarkdownRenderer<'a>,
    metrics: TextMetrics,
    /// Who chairs each body, for the tooltips of the diagrams (by node index), made when
    /// first needed.
    chair_lines: Vec<OnceLock<Option<String>>>,
    /// Each page's [`Chrome`] by depth and [`Nav`], made when first needed: the same few
    /// kilobytes on every page were a fifth of the work of a person's page.
    chrome: [[OnceLock<tera::Value>; Nav::COUNT]; CHROME_DEPTHS],
}

/// What every page template gets besides its own `page`, `root` (the prefix from the page
/// to the site root) and `nav` (the main navigation entry it belongs to).
#[derive(Serialize)]
struct Common<'a> {
    site: SiteView<'a>,
    t: &'a toml::Table,
    lang: &'static str,
    /// Whether there is a change history to link to.
    has_history: bool,
    /// Whether there are people's pages to link to.
    has_people: bool,
}

#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: Option<&'a str>,
    /// With one trailing slash, for absolute addresses in sharing tags.
    base_url: Option<String>,
    /// For Open Graph, e.g. `da_DK`.
    locale: &'static str,
}

#[derive(Serialize)]
struct IndexView {
    tree: Vec<Nested<TreeView>>,
    counts: Vec<CountView>,
}

/// "12 organer": a number and the word that goes with it.
#[derive(Debug, Serialize)]
pub(crate) struct CountView {
    n: usize,
    label: String,
}

/// A body page: the body, and its diagrams as inline SVG.
#[derive(Serialize)]
struct BodyPage<'c> {
    #[serde(flatten)]
    body: BodyView<'c>,
    diagram: Option<String>,
    chart: Option<String>,
    #[serde(flatten)]
    changes: changes::PageChanges,
}

#[derive(Serialize)]
struct OrganisationPage<'c> {
    #[serde(flatten)]
    organisation: OrganisationView<'c>,
    chart: Option<String>,
    #[serde(flatten)]
    changes: changes::PageChanges,
}

#[derive(Serialize)]
struct IndexPage {
    #[serde(flatten)]
    index: IndexView,
    chart: Option<String>,
}

#[derive(Serialize)]
struct ListView {
    title: String,
    /// Sections a reader can jump to from the list's contents: bodies by status, then
    /// kind; organisations by kind. Lets a reader filter without JavaScript.
    groups: Vec<ListGroup>,
}

#[derive(Serialize)]
struct ListGroup {
    id: String,
    heading: String,
    count: usize,
    /// Bodies of one status by kind; a single untitled part elsewhere.
    parts: Vec<ListPart>,
}

#[derive(Serialize)]
struct ListPart {
    heading: Option<String>,
    items: Vec<LinkView>,
}

#[derive(Serialize)]
struct SitemapView {
    urls: Vec<String>,
}

impl<'c> Renderer<'_, 'c> {
    fn graph(&self) -> &OrgGraph<'c> {
        self.site.graph
    }

    fn linker(&self, depth: usize) -> Linker<'_, 'c> {
        Linker { graph: self.site.graph, strings: self.strings, root: "../".repeat(depth) }
    }

    /// The file at `path` (from the site root) from `template`. `description` is what
    /// search engines and link previews show; the site's description when `None`.
    fn page(
        &self,
        template: &str,
        path: &str,
        nav: Nav,
        description: Option<&str>,
        page: &impl Serialize,
    ) -> Result<Vec<u8>, Error> {
        self.page_at(&PageAt { template, root: None, path, nav, description }, page, 0)
    }

    /// [`page`](Self::page) at `at`, its bytes starting with room for `capacity`: a page
    /// known to be large is not copied each time it outgrows its buffer.
    fn page_at(&self, at: &PageAt, page: &impl Serialize, capacity: usize) -> Result<Vec<u8>, Error> {
        let mut context = self.common.clone();
        let depth = at.path.matches('/').count();
        let root = at.root.map_or_else(|| "../".repeat(depth), str::to_owned);
        let chrome = self.chrome(at.root.is_none().then_some(depth), &root, at.nav)?;
        context.insert_value("chrome", chrome);
        context.insert("root", &root);
        context.insert("nav", at.nav.as_str());
        context.insert("page", page);
        // The address a link preview names: the folder, as the site is browsed.
        context.insert("path", at.path.trim_end_matches("index.html"));
        let site = self.site.config.description.as_deref();
        context.insert("description", at.description.or(site).unwrap_or(&self.site.config.title));
        // Straight to bytes: `render` would check the whole page is UTF-8 again.
        let mut bytes = Vec::with_capacity(capacity);
        self.tera.render_to(at.template, &context, &mut bytes).map_err(template_error)?;
        Ok(bytes)
    }

    /// The [`Chrome`] of a page `depth` folders deep (`None`: at `root`, which is not
    /// made of `../`), from the first page that needed it.
    fn chrome(&self, depth: Option<usize>, root: &str, nav: Nav) -> Result<tera::Value, Error> {
        let slot = depth.and_then(|depth| self.chrome.get(depth)?.get(nav as usize));
        if let Some(chrome) = slot.and_then(OnceLock::get) {
            return Ok(chrome.clone());
        }
        let mut implicits = self.common.clone();
        implicits.insert("root", root);
        implicits.insert("nav", nav.as_str());
        let part = |component: &str| {
            self.tera
                .render_component_with_implicits(component, &tera::Context::new(), &implicits, None, true)
                .map_err(template_error)
        };
        let chrome =
            Chrome { head: part("site_head")?, header: part("site_header")?, footer: part("site_footer")? };
        let chrome = tera::Value::try_from_serializable(&chrome).map_err(template_error)?;
        Ok(match slot {
            Some(slot) => slot.get_or_init(|| chrome).clone(),
            None => chrome,
        })
    }

    /// Every file of the site. The page of each body and organisation and the site-wide
    /// files (front page, lists, changes, print, search) do not depend on each other and
    /// render side by side, so no long single-threaded tail follows the parallel pages.
    fn render_all(&self, theme: &Theme, out: &Files) -> Result<(), Error> {
        if let Some(scope) = self.site.scope {
            return self.render_scope(scope, out);
        }
        let nodes: Vec<NodeId> = self.graph().nodes().collect();
        let (pages, site_wide) =
            rayon::join(|| self.entity_pages(&nodes, out), || self.site_wide(theme, out));
        pages?;
        site_wide?;
        // The sitemap lists the pages made above.
        self.sitemap_and_robots(out)
    }

    /// The files an edit that only its own page shows can change: the pages of `scope`,
    /// their search entries, and the printed overview where it prints mandates in full.
    fn render_scope(&self, scope: &std::collections::HashSet<String>, out: &Files) -> Result<(), Error> {
        let g = self.graph();
        let mut nodes: Vec<NodeId> = scope.iter().filter_map(|id| g.find(id)).collect();
        nodes.sort_unstable();
        let (pages, search) = rayon::join(|| self.entity_pages(&nodes, out), || self.search_index(out));
        pages?;
        search?;
        if self.prints_in_full() { self.print(out) } else { Ok(()) }
    }

    /// The page of each of `nodes` (bodies and organisations), with its diagrams.
    fn entity_pages(&self, nodes: &[NodeId], out: &Files) -> Result<(), Error> {
        let graph = self.graph();
        let chart_roots: std::collections::HashSet<NodeId> = graph.hierarchy_roots().into_iter().collect();
        nodes.par_iter().with_max_len(PAGES_PER_JOB).try_for_each(|&n| {
            let folder = format!("{}/{}/", graph.node(n).kind.folder(), graph.id(n));
            let linker = self.linker(2);
            let mut files = Vec::new();
            let chart = if chart_roots.contains(&n) { self.subchart(n, &linker) } else { None };
            let chart_svg = chart.map(|d| {
                files.push((format!("{folder}chart.svg"), self.standalone(&d, "../../")));
                self.inline(&d)
            });
            let page = if graph.is_body(n) {
                let diagram = self.neighbourhood(n, &linker);
                let diagram_svg = diagram.map(|d| {
                    files.push((format!("{folder}diagram.svg"), self.standalone(&d, "../../")));
                    self.inline(&d)
                });
                let changes = self.page_changes(graph.id(n), &linker);
                let view = BodyPage {
                    body: self.body(n, &linker, ""),
                    diagram: diagram_svg,
                    chart: chart_svg,
                    changes,
                };
                let description = graph.body(n).and_then(|b| b.meta.purpose.as_deref());
                self.page("body.html", &format!("{folder}index.html"), Nav::Bodies, description, &view)?
            } else {
                let changes = self.page_changes(graph.id(n), &linker);
                let view = OrganisationPage { organisation: self.organisation(n), chart: chart_svg, changes };
                self.page(
                    "organisation.html",
                    &format!("{folder}index.html"),
                    Nav::Organisations,
                    None,
                    &view,
                )?
            };
            files.push((format!("{folder}index.html"), page));
            files.into_iter().try_for_each(|(path, bytes)| out.insert(path, bytes))
        })
    }

    /// The files made once for the whole site. They do not depend on each other, so they
    /// are made side by side: run one after another, the longest of them (the search
    /// index, `/print/`, the A–Z list of people) ended a large build on one core.
    fn site_wide(&self, theme: &Theme, out: &Files) -> Result<(), Error> {
        let tasks: [&(dyn Fn() -> Result<(), Error> + Sync); 8] = [
            &|| self.front_page(out),
            &|| self.lists(out),
            &|| self.changes(out),
            &|| self.person_pages(out),
            &|| self.people_list(out),
            &|| self.print(out),
            &|| self.search_index(out),
            &|| {
                theme.static_files().try_for_each(|(path, bytes)| out.insert(path.to_owned(), bytes.to_vec()))
            },
        ];
        // A job per task: a thread out of pages takes any task not yet started, not a pair.
        tasks.par_iter().with_max_len(1).try_for_each(|task| task())
    }

    fn front_page(&self, out: &Files) -> Result<(), Error> {
        let chart = self.site.config.diagrams.then(|| self.front_chart(&self.linker(0)));
        if let Some(chart) = &chart {
            out.insert("organisation.svg".into(), self.standalone(chart, ""))?;
        }
        let index = IndexPage { index: self.index(), chart: chart.map(|c| self.inline(&c)) };
        out.insert("index.html".into(), self.page("index.html", "index.html", Nav::Overview, None, &index)?)
    }

    /// The A–Z lists of bodies and organisations, and the 404 page.
    fn lists(&self, out: &Files) -> Result<(), Error> {
        out.insert(
            "bodies/index.html".into(),
            self.page("list.html", "bodies/index.html", Nav::Bodies, None, &self.list(true))?,
        )?;
        out.insert(
            "organisations/index.html".into(),
            self.page("list.html", "organisations/index.html", Nav::Organisations, None, &self.list(false))?,
        )?;
        out.insert(
            "404.html".into(),
            self.page_at(
                &PageAt {
                    template: "404.html",
                    root: Some(&self.site.config.base_path()),
                    path: "404.html",
                    nav: Nav::None,
                    description: None,
                },
                &(),
                0,
            )?,
        )
    }

    /// The dated events of a body in date order (partial dates before the days within
    /// them), when it has amendments or deliverables to place among them.
    fn timeline(&self, m: &crate::model::BodyMeta, linker: &Linker) -> Vec<TimelineEntry> {
        if m.amendments.is_empty() && m.deliverables.is_empty() {
            return Vec::new();
        }
        let g = self.graph();
        let link = |r: &Option<crate::model::Spanned<String>>| {
            r.as_ref().and_then(|r| g.find(r.get_ref())).map(|n| linker.link(n))
        };
        let url = |u: &Option<crate::model::WebUrl>| u.as_deref().map(str::to_owned);
        let mut events: Vec<(Date, TimelineEntry)> = Vec::new();
        let mut add = |date: Option<Date>,
                       key: &str,
                       text: Option<String>,
                       by: Option<LinkView>,
                       url: Option<String>| {
            if let Some(date) = date.and_then(|d| linker.date(Some(d)).map(|view| (d, view))) {
                events.push((
                    date.0,
                    TimelineEntry { date: date.1, what: self.text(key).to_owned(), text, by, url },
                ));
            }
        };
        add(m.established, "established", None, None, None);
        add(m.approved, "approved", None, link(&m.approved_by), None);
        add(m.revised, "revised", None, None, None);
        for a in &m.amendments {
            add(Some(a.date), "amendment", Some(a.summary.clone()), link(&a.by), url(&a.url));
        }
        for d in &m.deliverables {
            add(d.due, "deliverable_due", Some(d.title.clone()), None, url(&d.url));
            add(
                d.delivered.as_ref().map(|x| *x.get_ref()),
                "deliverable_delivered",
                Some(d.title.clone()),
                None,
                url(&d.url),
            );
        }
        add(m.ends.as_ref().map(|d| *d.get_ref()), "ends", None, None, None);
        add(m.ended.as_ref().map(|d| *d.get_ref()), "ended", None, None, None);
        // Stable: events of one date keep the order of a mandate's life.
        events.sort_by_key(|(date, _)| *date);
        events.into_iter().map(|(_, e)| e).collect()
    }

    /// The bodies (or organisations) whose texts name `n`.
    fn mentioned_by(&self, n: NodeId, linker: &Linker, bodies: bool) -> Vec<LinkView> {
        let g = self.graph();
        linker.links(g.mentioned_by(n).into_iter().filter(|&m| g.is_body(m) == bodies))
    }

    fn edit_url(&self, path: &str) -> Option<String> {
        self.site.config.edit_url.as_ref().map(|url| url.replace("{path}", path))
    }

    fn count(&self, key: &str, n: usize) -> CountView {
        CountView { n, label: self.strings.plural(key, n) }
    }

    fn index(&self) -> IndexView {
        let g = self.graph();
        let linker = self.linker(0);
        let bodies = &g.content().bodies;
        let counts = [
            ("bodies", bodies.len()),
            ("active", bodies.iter().filter(|b| !b.meta.status_shown().is_ended()).count()),
            ("mandates", bodies.iter().filter(|b| b.meta.mandate_published).count()),
            ("organisations", g.content().organisations.len()),
        ];
        IndexView {
            tree: self.tree(&g.hierarchy_roots(), &linker),
            counts: counts.into_iter().map(|(key, n)| self.count(key, n)).collect(),
        }
    }

    /// The hierarchy under the roots, depth first, as a flattened nested list.
    fn tree(&self, roots: &[NodeId], linker: &Linker) -> Vec<Nested<TreeView>> {
        let g = self.graph();
        let mut out = Vec::new();
        let mut stack: Vec<(NodeId, usize)> = roots.iter().rev().map(|&r| (r, 0)).collect();
        while let Some((n, depth)) = stack.pop() {
            let kind = g
                .body(n)
                .map(|b| b.meta.kind.as_ref())
                .unwrap_or_else(|| g.organisation(n).and_then(|o| o.meta.kind.as_ref()));
            out.push((TreeView { link: linker.link(n), kind: linker.kind(kind) }, depth));
            stack.extend(
                g.children(n).into_iter().filter(|&c| g.holds_bodies(c)).rev().map(|c| (c, depth + 1)),
            );
        }
        nest(out)
    }

    fn list(&self, bodies: bool) -> ListView {
        let g = self.graph();
        let linker = self.linker(1);
        let nodes = g.sorted(g.nodes().filter(|&n| g.is_body(n) == bodies).collect());
        let kind_of = |n: NodeId| {
            g.body(n)
                .map(|b| b.meta.kind.as_ref())
                .unwrap_or_else(|| g.organisation(n).and_then(|o| o.meta.kind.as_ref()))
        };
        let item = |n: NodeId| linker.link(n);
        // Kinds by their label, those without one last; each keeps the nodes' order.
        let by_kind = |nodes: &[NodeId]| -> Vec<(Option<String>, Vec<NodeId>)> {
            let mut kinds: Vec<(Option<String>, Vec<NodeId>)> = Vec::new();
            for &n in nodes {
                let label = linker.kind(kind_of(n));
                match kinds.iter_mut().find(|(k, _)| *k == label) {
                    Some((_, list)) => list.push(n),
                    None => kinds.push((label, vec![n])),
                }
            }
            kinds.sort_by(|(a, _), (b, _)| {
                (a.is_none(), a.as_deref().map(str::to_lowercase))
                    .cmp(&(b.is_none(), b.as_deref().map(str::to_lowercase)))
            });
            kinds
        };
        let other = self.text("kind_other").to_owned();
        let groups = if bodies {
            [Status::Active, Status::Draft, Status::Concluded, Status::Superseded, Status::Dissolved]
                .into_iter()
                .filter_map(|status| {
                    let of_status: Vec<NodeId> = nodes
                        .iter()
                        .copied()
                        .filter(|&n| g.body(n).is_some_and(|b| b.meta.status_shown() == status))
                        .collect();
                    (!of_status.is_empty()).then(|| ListGroup {
                        id: format!("status-{}", status.as_str()),
                        heading: self.strings.label(Vocabulary::Status, status.as_str()),
                        count: of_status.len(),
                        parts: by_kind(&of_status)
                            .into_iter()
                            .map(|(kind, list)| ListPart {
                                heading: Some(kind.unwrap_or_else(|| other.clone())),
                                items: list.into_iter().map(item).collect(),
                            })
                            .collect(),
                    })
                })
                .collect()
        } else {
            by_kind(&nodes)
                .into_iter()
                .enumerate()
                .map(|(i, (kind, list))| ListGroup {
                    id: format!("kind-{}", i + 1),
                    heading: kind.unwrap_or_else(|| other.clone()),
                    count: list.len(),
                    parts: vec![ListPart { heading: None, items: list.into_iter().map(item).collect() }],
                })
                .collect()
        };
        let key = if bodies { "all_bodies" } else { "all_organisations" };
        ListView { title: self.text(key).to_owned(), groups }
    }

    fn seat(&self, seat: &'c Seat, linker: &Linker<'_, 'c>) -> SeatView<'c> {
        SeatView {
            people: seat.person.iter().map(|p| linker.person(p.get_ref())).collect(),
            ..self.seat_terms(seat, linker)
        }
    }

    /// A seat without its holders: whom it represents, how and for how long it is held.
    fn seat_terms(&self, seat: &Seat, linker: &Linker) -> SeatView<'c> {
        let g = self.graph();
        let find = |r: &Option<crate::model::Spanned<String>>| r.as_ref().and_then(|r| g.find(r.get_ref()));
        SeatView {
            from: find(&seat.from).map(|f| linker.link(f)),
            count: count_text(seat.count),
            deputies: seat.deputies.map(count_text),
            each: seat.each,
            role: self.strings.label(Vocabulary::Roles, seat.role()),
            role_key: seat.role().to_owned(),
            capacity: (seat.capacity != Capacity::Representative)
                .then(|| self.strings.label(Vocabulary::Capacities, seat.capacity.as_str())),
            position: seat.position.clone(),
            nominated_by: find(&seat.nominated_by).map(|n| linker.link(n)),
            people: Vec::new(),
            since: linker.date(seat.since),
            until: linker.date(seat.until),
            note: seat.note.clone(),
            has_details: false,
        }
        .with_details_flag()
    }

    /// How many members the seats add up to: "16 medlemmer", "14–16 medlemmer",
    /// "mindst 5 medlemmer". Observers, participants and secretaries are not members.
    fn seat_total(&self, seats: &[(&Seat, Option<NodeId>)]) -> Option<String> {
        let g = self.graph();
        let members: Vec<Count> = seats
            .iter()
            .filter(|(s, _)| !matches!(s.role(), "observer" | "participant" | "secretary"))
            .map(|(s, from)| match from {
                Some(group) if s.each => s.count.times(g.group_members(*group).len() as u32),
                _ => s.count,
            })
            .collect();
        let total = members.into_iter().reduce(Count::plus)?;
        let word = |n: u32| self.strings.plural("members", n as usize);
        Some(match total.max {
            None => format!("{} {} {}", self.text("at_least"), total.min, word(total.min)),
            Some(max) => format!("{} {}", count_text(total), word(max)),
        })
    }

    fn documents(&self, documents: &[crate::model::Document], linker: &Linker) -> Vec<DocumentView> {
        documents
            .iter()
            .map(|d| DocumentView {
                title: d.title.clone(),
                href: match d.file() {
                    Some(file) => format!("{}files/{file}", linker.root),
                    None => d.url.get_ref().clone(),
                },
                kind: self.strings.label(Vocabulary::Documents, d.kind.as_str()),
                date: linker.date(d.date),
            })
            .collect()
    }

    /// The Markdown of a text; `ids` prefixes its heading anchors where several texts
    /// share a page (the printable overview).
    fn text_html(
        &self,
        text: &crate::model::Text,
        mentions: &[crate::mentions::Mention],
        linker: &Linker,
        ids: &str,
    ) -> String {
        let g = self.graph();
        let resolve =
            |id: &str| g.find(id).map(|n| Target { href: linker.href(n), title: g.title(n).to_owned() });
        // Where several texts share a page (the printed overview), each sits under its
        // entity's `<h2>` title.
        let top = if ids.is_empty() { HeadingLevel::H2 } else { HeadingLevel::H3 };
        self.markdown.render(text, mentions, resolve, PAGE_IDS, ids, top)
    }

    /// A body as its page shows it; links are made by `linker`, for the page it is on.
    fn body(&self, n: NodeId, linker: &Linker<'_, 'c>, ids: &str) -> BodyView<'c> {
        let g = self.graph();
        let b = g.body(n).expect("a body node");
        let index = g.node(n).index;
        let m = &b.meta;
        let find = |r: &Option<crate::model::Spanned<String>>| r.as_ref().and_then(|r| g.find(r.get_ref()));
        // Seats in personal capacity have no `from`, so no edge: they come from the file.
        let seats: Vec<(&Seat, Option<NodeId>)> =
            m.members.iter().map(|s| (s, s.from.as_ref().and_then(|f| g.find(f.get_ref())))).collect();
        let seat_views: Vec<SeatView<'c>> = seats.iter().map(|(s, _)| self.seat(s, linker)).collect();
        let chairs = seat_views
            .iter()
            .filter(|s| matches!(s.role_key.as_str(), "chair" | "co-chair"))
            .cloned()
            .collect();
        let mut breadcrumbs = linker.links(g.ancestors(n));
        breadcrumbs.reverse();
        BodyView {
            id: b.id.clone(),
            edit_url: self.edit_url(&b.path),
            title: m.title.get_ref().clone(),
            short_name: m.short_name.clone(),
            kind: linker.kind(m.kind.as_ref()),
            status: self.strings.label(Vocabulary::Status, m.status_shown().as_str()),
            status_key: m.status_shown().as_str(),
            mandate_published: m.mandate_published,
            breadcrumbs,
            parent: g.parent(n).map(|p| linker.link(p)),
            secretariat: find(&m.secretariat).map(|s| linker.link(s)),
            chairs,
            established: linker.date(m.established),
            ends: linker.date(m.ends.as_ref().map(|d| *d.get_ref())),
            ended: linker.date(m.ended.as_ref().map(|d| *d.get_ref())),
            approved: linker.date(m.approved),
            approved_by: find(&m.approved_by).map(|a| linker.link(a)),
            revised: linker.date(m.revised),
            case_ref: m.case_ref.clone(),
            term: m.term.clone(),
            timeline: self.timeline(m, linker),
            former_names: m
                .former_names
                .iter()
                .map(|f| FormerNameView { title: f.title.get_ref().clone(), until: linker.date(f.until) })
                .collect(),
            legal_basis: m
                .legal_basis
                .as_ref()
                .map(|l| ExternalLink { text: l.text.clone(), url: l.url.as_deref().map(str::to_owned) }),
            contact: m.contact.as_ref().map(contact_view),
            replaces: linker.links(g.replaces(n)),
            replaced_by: linker.links(g.replaced_by(n)),
            aliases: m.aliases.iter().map(|a| a.get_ref().clone()).collect(),
            purpose: m.purpose.clone(),
            meetings: m.meetings.clone(),
            seat_total: self.seat_total(&seats),
            seat_holders: seat_views.iter().any(|s| !s.people.is_empty() || s.position.is_some()),
            seats: seat_views,
            documents: self.documents(&m.documents, linker),
            tasks: items(&m.tasks),
            competences: items(&m.competences),
            text_html: self.text_html(&b.text, &self.site.mentions.bodies[index], linker, ids),
            children: linker.links(g.children(n)),
            relations_out: self.group_relations(
                g.relations_out(n).into_iter(),
                Vocabulary::Relations,
                linker,
            ),
            relations_in: self.group_relations(
                g.relations_in(n).into_iter().map(|(s, r)| (r, s)),
                Vocabulary::RelationsIn,
                linker,
            ),
            mentioned_by_bodies: self.mentioned_by(n, linker, true),
            mentioned_by_organisations: self.mentioned_by(n, linker, false),
            secretariat_for: linker.links(g.secretariat_for(n)),
        }
    }

    /// Groups relations by type, types in order of first appearance.
    fn group_relations<'r>(
        &self,
        relations: impl Iterator<Item = (&'r crate::model::Relation, NodeId)>,
        vocabulary: Vocabulary,
        linker: &Linker,
    ) -> Vec<RelationGroup> {
        let mut groups: Vec<(String, RelationGroup)> = Vec::new();
        for (relation, other) in relations {
            let kind = relation.kind.get_ref();
            let item = RelationItem { link: linker.link(other), note: relation.note.clone() };
            match groups.iter_mut().find(|(k, _)| k == kind) {
                Some((_, group)) => group.items.push(item),
                None => groups.push((
                    kind.clone(),
                    RelationGroup { label: self.strings.label(vocabulary, kind), items: vec![item] },
                )),
            }
        }
        groups.into_iter().map(|(_, g)| g).collect()
    }

    fn organisation(&self, n: NodeId) -> OrganisationView<'c> {
        let g = self.graph();
        let o = g.organisation(n).expect("an organisation node");
        let index = g.node(n).index;
        let m = &o.meta;
        let linker = self.linker(2);
        let (bodies_under, sub_organisations): (Vec<NodeId>, Vec<NodeId>) =
            g.children(n).into_iter().partition(|&c| g.is_body(c));
        let mut breadcrumbs = linker.links(g.ancestors(n));
        breadcrumbs.reverse();
        let holdings: Vec<HoldingView<'c>> = g
            .holdings(n)
            .into_iter()
            .map(|h| {
                let body = g.body(h.body).expect("seats are in bodies");
                let seat = &body.meta.members[h.seat];
                HoldingView {
                    body: linker.link(h.body),
                    people: seat.person.iter().map(|p| linker.person(p.get_ref())).collect(),
                    role: self.strings.label(Vocabulary::Roles, seat.role()),
                    count: count_text(seat.count),
                    each: seat.each,
                    via: h.via.map(|v| linker.link(v)),
                    note: seat.note.clone(),
                }
            })
            .collect();
        OrganisationView {
            id: o.id.clone(),
            edit_url: self.edit_url(&o.path),
            title: m.title.get_ref().clone(),
            short_name: m.short_name.clone(),
            kind: linker.kind(m.kind.as_ref()),
            url: m.url.as_deref().map(str::to_owned),
            aliases: m.aliases.iter().map(|a| a.get_ref().clone()).collect(),
            breadcrumbs,
            parent: g.parent(n).map(|p| linker.link(p)),
            sub_organisations: linker.links(sub_organisations),
            bodies_under: linker.links(bodies_under),
            member_of: linker.links(g.groups_of(n)),
            group_members: linker.links(g.group_members(n)),
            holders: holdings.iter().any(|h: &HoldingView| !h.people.is_empty()),
            holdings,
            contact: m.contact.as_ref().map(contact_view),
            secretariat_for: linker.links(g.secretariat_for(n)),
            mentioned_by_bodies: self.mentioned_by(n, &linker, true),
            mentioned_by_organisations: self.mentioned_by(n, &linker, false),
            text_html: self.text_html(&o.text, &self.site.mentions.organisations[index], &linker, ""),
        }
    }

    /// `sitemap.xml` needs absolute URLs, so it is only written when `base_url` is set.
    fn sitemap_and_robots(&self, out: &Files) -> Result<(), Error> {
        let base = self.site.config.base_url();
        if let Some(base) = &base {
            let pages = out.pages.lock().unwrap_or_else(|p| p.into_inner()).clone();
            let mut urls: Vec<String> =
                pages.iter().map(|p| format!("{base}{}", p.trim_end_matches("index.html"))).collect();
            urls.sort();
            out.insert(
                "sitemap.xml".into(),
                self.page("sitemap.xml", "sitemap.xml", Nav::None, None, &SitemapView { urls })?,
            )?;
        }
        let sitemap = base.map(|b| format!("Sitemap: {b}sitemap.xml\n")).unwrap_or_default();
        out.insert("robots.txt".into(), format!("User-agent: *\nAllow: /\n{sitemap}").into_bytes())?;
        Ok(())
    }
}

fn contact_view(c: &crate::model::Contact) -> ContactView {
    ContactView {
        name: c.name.clone(),
        email: c.email.clone(),
        phone: c.phone.clone(),
        url: c.url.as_deref().map(str::to_owned),
    }
}
