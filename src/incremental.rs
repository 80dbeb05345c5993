//! Rebuilding after an edit (`mandat serve`): only the files an edit can change are made
//! again.
//!
//! Most edits made while previewing change what only the edited body's own page shows:
//! its Markdown text, purpose, tasks, competences, meetings, term, legal basis or case
//! reference (an organisation's text). Such an edit is rendered in a *scope*
//! (`render::Site::scope`): the pages of the edited entities and of every entity their
//! texts link to or name, before or after the edit (their back-links may change), the
//! search entries of the edited entities, and `/print/` where it prints mandates in full.
//! The edited files are parsed again, the others are not; names are matched in the edited
//! texts only. Any other edit — a title, a parent, a seat, a relation, a date, a status, a
//! person, a file added, removed or renamed, `mandat.toml`, the theme, an attachment — is
//! built in full, as `mandat build` builds it; so is every build of a site that does not
//! publish its people (its published content is a filtered copy).
//!
//! `tests/incremental.rs` holds this to account: after each kind of edit, the files of an
//! incremental rebuild are byte for byte those of a fresh build.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use crate::config::Config;
use crate::diagnostic::{self, Diagnostic, Sources};
use crate::error::Error;
use crate::mentions::{Mentions, Names};
use crate::model::{Body, BodyMeta};
use crate::parse::{self, ParsedEntity};
use crate::render::{Caches, Sink};
use crate::theme::Theme;
use crate::walk::{self, Walked};
use crate::{Loaded, SiteParts};

/// The site `serve` holds: output path → bytes, shared with the requests being answered,
/// so that a rebuild replaces a few entries instead of copying the site.
pub type SiteFiles = BTreeMap<String, Arc<Vec<u8>>>;

/// What a rebuild gave.
pub enum Rebuilt {
    Site {
        files: Arc<SiteFiles>,
        /// Files that are new, changed or gone since the last good build.
        changed: usize,
        /// Whether only the files of the edit were made (not the whole site).
        incremental: bool,
        /// Warnings in the content; their files are in [`Rebuilder::sources`].
        warnings: Vec<Diagnostic>,
    },
    /// The content has errors (in `Loaded::diagnostics`); the last good site stands.
    Invalid(Box<Loaded>),
}

/// Builds a site again and again, keeping what the next build can reuse.
#[derive(Default)]
pub struct Rebuilder {
    caches: Caches,
    last: Option<Last>,
}

/// The last good build: what the next one is compared with and, after an edit, patched.
struct Last {
    config_text: Option<Vec<u8>>,
    theme: Theme,
    attachments: Vec<Option<(u64, SystemTime)>>,
    walked_skipped: Vec<walk::Skipped>,
    /// How many content files were read: the first of `loaded.sources` after the skipped.
    content_files: usize,
    /// Each content file read, by its path from the root: its place in `Sources`, its
    /// kind, and its size and time when it was last looked at after a watcher's event.
    known: HashMap<PathBuf, Known>,
    /// The folders holding them, up to `content/`.
    folders: HashSet<PathBuf>,
    loaded: Loaded,
    /// Problems found in single files (parse, `mandat.toml`, skipped files), apart from
    /// the validation across files, which runs again after every edit.
    file_problems: Vec<Diagnostic>,
    unreadable: HashSet<String>,
    names: Option<Names>,
    mentions: Mentions,
    files: Arc<SiteFiles>,
}

struct Known {
    file: diagnostic::FileId,
    kind: crate::model::EntityKind,
    stamp: Option<(u64, SystemTime)>,
}

/// What a watcher's events amount to (`Rebuilder::sort_out`).
pub enum Watched {
    /// Every path is a content file the last build read, and none has a new size or time:
    /// the files were only read.
    Unchanged,
    /// Content files the last build read, with a new size or time: `rebuild_files`.
    Files(Vec<PathBuf>),
    /// Something else (a file added or removed, `mandat.toml`, the theme, an attachment):
    /// `rebuild`, which walks the whole site.
    Other,
}

/// An edited file whose change only its own page shows.
struct Edit {
    file: diagnostic::FileId,
    text: std::sync::Arc<str>,
    problems: Vec<Diagnostic>,
    entity: Entity,
}

enum Entity {
    Body(Box<Body>),
    Organisation(Box<crate::model::Organisation>),
}

/// Keys of a body's front matter that only its own page, its search entry and its
/// printed mandate show.
fn without_own_page_keys(meta: &BodyMeta) -> BodyMeta {
    BodyMeta {
        purpose: None,
        tasks: Vec::new(),
        competences: Vec::new(),
        meetings: None,
        term: None,
        legal_basis: None,
        case_ref: None,
        ..meta.clone()
    }
}

impl Rebuilder {
    /// The files of the last build's content, for showing its warnings.
    pub fn sources(&self) -> Option<&Sources> {
        self.last.as_ref().map(|l| &l.loaded.sources)
    }

    /// Sorts out the absolute `paths` a file watcher reported under `root`.
    pub fn sort_out(&mut self, root: &Path, paths: &[PathBuf]) -> Watched {
        let Some(last) = self.last.as_mut() else { return Watched::Other };
        let mut changed = Vec::new();
        for path in paths {
            let relative = path.strip_prefix(root).unwrap_or(path);
            // Folders are read by every walk. One that was there and still is changed only
            // if a file in it did, and that file has an event of its own.
            if last.folders.contains(relative) && path.is_dir() {
                continue;
            }
            let Some(known) = last.known.get_mut(relative) else {
                return Watched::Other;
            };
            let Some(stamp) = stamp(path) else { return Watched::Other };
            if known.stamp != Some(stamp) {
                known.stamp = Some(stamp);
                changed.push(path.clone());
            }
        }
        if changed.is_empty() { Watched::Unchanged } else { Watched::Files(changed) }
    }

    /// Builds the site after the content files at `paths` (absolute, from
    /// [`Watched::Files`]) changed: reads only those. Anything else is left to [`rebuild`].
    ///
    /// [`rebuild`]: Rebuilder::rebuild
    pub fn rebuild_files(&mut self, root: &Path, paths: &[PathBuf]) -> Result<Rebuilt, Error> {
        if let Some(last) = self.last.take() {
            let mut raws = Vec::new();
            for path in paths {
                let relative = path.strip_prefix(root).unwrap_or(path);
                let (Some(known), Ok(bytes)) = (last.known.get(relative), std::fs::read(path)) else {
                    break;
                };
                raws.push((
                    known.file,
                    walk::RawFile { path: relative.to_path_buf(), kind: known.kind, bytes },
                ));
            }
            if raws.len() == paths.len()
                && let Some(edits) = edits_in(&last, raws.iter().map(|(file, raw)| (*file, raw)))
            {
                return self.scoped(root, last, edits);
            }
            self.last = Some(last);
        }
        self.rebuild(root)
    }

    /// Builds the site at `root`: only what changed since the last good build when the
    /// edit allows it, else in full.
    pub fn rebuild(&mut self, root: &Path) -> Result<Rebuilt, Error> {
        let walked = walk::walk(root)?;
        let config_text = read_if_there(&root.join(Config::FILE))?;
        let attachments = attachment_stamps(root, &walked.attachments);
        let mut theme = None;
        if let Some(last) = self.last.take() {
            let current = Theme::load(root, &last.loaded.config)?;
            let same_frame = last.config_text == config_text
                && last.attachments == attachments
                && last.walked_skipped == walked.skipped
                && last.loaded.content.attachments == walked.attachments
                && last.theme == current
                && last.loaded.config.privacy.publish_people;
            if same_frame && let Some(edits) = edits(&last, &walked) {
                return self.scoped(root, last, edits);
            }
            // Loaded for the same `mandat.toml`, it is the theme the full build needs.
            theme = (last.config_text == config_text).then_some(current);
        }
        self.full(root, walked, config_text, attachments, theme)
    }

    fn full(
        &mut self,
        root: &Path,
        walked: Walked,
        config_text: Option<Vec<u8>>,
        attachments: Vec<Option<(u64, SystemTime)>>,
        theme: Option<Theme>,
    ) -> Result<Rebuilt, Error> {
        let files = crate::FileCounts::of(&walked);
        let walked_skipped = walked.skipped.clone();
        let content_files = walked.files.len();
        let known = walked
            .files
            .iter()
            .enumerate()
            .map(|(i, raw)| {
                (raw.path.clone(), Known { file: walked.skipped.len() + i, kind: raw.kind, stamp: None })
            })
            .collect();
        let folders =
            walked.files.iter().flat_map(|raw| raw.path.ancestors().skip(1)).map(Path::to_path_buf).collect();
        let parsed = parse::parse(walked);
        let mut sources = parsed.sources;
        let (config, config_problems) = crate::config::load(root, &mut sources)?;
        let mut file_problems = parsed.diagnostics;
        file_problems.extend(config_problems);
        let mut diagnostics = file_problems.clone();
        diagnostics.extend(crate::validate::validate(&parsed.content, &parsed.unreadable));
        diagnostic::sort(&mut diagnostics, &sources);
        let loaded = Loaded { config, sources, content: parsed.content, files, diagnostics };
        if loaded.has_errors() {
            return Ok(Rebuilt::Invalid(Box::new(loaded)));
        }
        let warnings = loaded.diagnostics.clone();
        if !loaded.config.privacy.publish_people {
            // The published content is not the content read: build as `build` does.
            let memory = crate::render::Memory::default();
            crate::build_site(root, loaded, false, Some(&self.caches), &memory)?;
            let files: SiteFiles = memory.into_output().into_iter().map(|(k, v)| (k, Arc::new(v))).collect();
            let changed = files.len();
            return Ok(Rebuilt::Site { files: Arc::new(files), changed, incremental: false, warnings });
        }
        let names = if loaded.config.auto_link { Names::new(&loaded.content) } else { None };
        let mentions =
            names.as_ref().map_or_else(|| Mentions::none(&loaded.content), |n| n.find(&loaded.content));
        let theme = match theme {
            Some(theme) => theme,
            None => Theme::load(root, &loaded.config)?,
        };
        let memory = crate::render::Memory::default();
        let parts = SiteParts {
            config: &loaded.config,
            content: &loaded.content,
            mentions: &mentions,
            theme: &theme,
            history: None,
        };
        crate::render_site(root, &parts, Some(&self.caches), None, &memory)?;
        let files: SiteFiles = memory.into_output().into_iter().map(|(k, v)| (k, Arc::new(v))).collect();
        let files = Arc::new(files);
        let changed = files.len();
        self.last = Some(Last {
            config_text,
            theme,
            attachments,
            walked_skipped,
            content_files,
            known,
            folders,
            loaded,
            file_problems,
            unreadable: parsed.unreadable,
            names,
            mentions,
            files: files.clone(),
        });
        Ok(Rebuilt::Site { files, changed, incremental: false, warnings })
    }

    /// Applies `edits` to the last build and renders the files they reach.
    fn scoped(&mut self, root: &Path, mut last: Last, edits: Vec<Edit>) -> Result<Rebuilt, Error> {
        if edits.is_empty() {
            let (files, warnings) = (last.files.clone(), last.loaded.diagnostics.clone());
            self.last = Some(last);
            return Ok(Rebuilt::Site { files, changed: 0, incremental: true, warnings });
        }
        let mut scope: HashSet<String> = HashSet::new();
        for edit in edits {
            last.loaded.sources.replace(edit.file, edit.text);
            last.file_problems.retain(|d| d.file != edit.file);
            last.file_problems.extend(edit.problems);
            let content = &mut last.loaded.content;
            let (id, text, old_mentions) = match edit.entity {
                Entity::Body(body) => {
                    let Ok(i) = content.bodies.binary_search_by(|b| b.id.cmp(&body.id)) else { continue };
                    scope.extend(content.bodies[i].text.links.iter().map(|l| l.target.clone()));
                    content.bodies[i] = *body;
                    let b = &content.bodies[i];
                    (b.id.clone(), &b.text, &mut last.mentions.bodies[i])
                }
                Entity::Organisation(org) => {
                    let Ok(i) = content.organisations.binary_search_by(|o| o.id.cmp(&org.id)) else {
                        continue;
                    };
                    scope.extend(content.organisations[i].text.links.iter().map(|l| l.target.clone()));
                    content.organisations[i] = *org;
                    let o = &content.organisations[i];
                    (o.id.clone(), &o.text, &mut last.mentions.organisations[i])
                }
            };
            // The entities the text names, before and after: their back-links may change.
            scope.extend(old_mentions.drain(..).map(|m| m.target));
            let found = last.names.as_ref().map(|n| n.first_mentions(&id, text)).unwrap_or_default();
            scope.extend(found.iter().map(|m| m.target.clone()));
            *old_mentions = found;
            scope.extend(text.links.iter().map(|l| l.target.clone()));
            scope.insert(id);
        }
        // Validation and rendering read the same content and run side by side; what was
        // rendered is thrown away if the content turns out invalid, and the next build,
        // a full one, makes the kept search index again.
        let changes = Changes::default();
        let loaded = &last.loaded;
        let parts = SiteParts {
            config: &loaded.config,
            content: &loaded.content,
            mentions: &last.mentions,
            theme: &last.theme,
            history: None,
        };
        let (problems, rendered) = rayon::join(
            || crate::validate::validate(&loaded.content, &last.unreadable),
            || crate::render_site(root, &parts, Some(&self.caches), Some(&scope), &changes),
        );
        let mut diagnostics = last.file_problems.clone();
        diagnostics.extend(problems);
        diagnostic::sort(&mut diagnostics, &last.loaded.sources);
        last.loaded.diagnostics = diagnostics;
        if last.loaded.has_errors() {
            return Ok(Rebuilt::Invalid(Box::new(last.loaded)));
        }
        rendered?;
        let mut files = (*last.files).clone();
        let mut changed = 0;
        for (path, bytes) in changes.0.into_inner().unwrap_or_else(|p| p.into_inner()) {
            match bytes {
                Some(bytes) if files.get(&path).is_some_and(|old| **old == bytes) => {}
                Some(bytes) => {
                    files.insert(path, Arc::new(bytes));
                    changed += 1;
                }
                None => changed += usize::from(files.remove(&path).is_some()),
            }
        }
        last.files = Arc::new(files);
        let (files, warnings) = (last.files.clone(), last.loaded.diagnostics.clone());
        self.last = Some(last);
        Ok(Rebuilt::Site { files, changed, incremental: true, warnings })
    }
}

/// The edits between the last build and `walked` when each of them is one that only
/// the edited entity's own page shows; `None` when any edit is another kind.
fn edits(last: &Last, walked: &Walked) -> Option<Vec<Edit>> {
    let sources = &last.loaded.sources;
    let first = walked.skipped.len();
    // The same files in the same places of `Sources`.
    if walked.files.len() != last.content_files {
        return None;
    }
    let mut changed = Vec::new();
    for (i, raw) in walked.files.iter().enumerate() {
        let file = first + i;
        if sources.path(file) != raw.path {
            return None;
        }
        changed.push((file, raw));
    }
    edits_in(last, changed)
}

/// The edits of `files` (each with its place in `Sources`) when each changes only what
/// its entity's own page shows; `None` when any is another kind of edit.
fn edits_in<'r>(
    last: &Last,
    files: impl IntoIterator<Item = (diagnostic::FileId, &'r walk::RawFile)>,
) -> Option<Vec<Edit>> {
    let sources = &last.loaded.sources;
    let content = &last.loaded.content;
    let mut edits = Vec::new();
    for (file, raw) in files {
        if sources.text(file).as_bytes() == raw.bytes {
            continue;
        }
        let copy = walk::RawFile { path: raw.path.clone(), kind: raw.kind, bytes: raw.bytes.clone() };
        let parsed = parse::parse_file(copy, file);
        if parsed.diagnostics.iter().any(Diagnostic::is_error) {
            return None;
        }
        let entity = match parsed.entity.ok()? {
            ParsedEntity::Body(new) => {
                let old = content.bodies.iter().find(|b| b.id == new.id)?;
                let same = old.path == new.path
                    && without_own_page_keys(&old.meta) == without_own_page_keys(&new.meta);
                if !same {
                    return None;
                }
                Entity::Body(new)
            }
            ParsedEntity::Organisation(new) => {
                let old = content.organisations.iter().find(|o| o.id == new.id)?;
                if old.path != new.path || old.meta != new.meta {
                    return None;
                }
                Entity::Organisation(new)
            }
            ParsedEntity::Person(_) => return None,
        };
        edits.push(Edit { file, text: parsed.text, problems: parsed.diagnostics, entity });
    }
    Some(edits)
}

/// The size and time of each file under `content/files/`: a changed attachment is
/// copied again by a full build.
fn attachment_stamps(root: &Path, attachments: &[String]) -> Vec<Option<(u64, SystemTime)>> {
    let folder = root.join("content").join(walk::ATTACHMENTS);
    attachments.iter().map(|name| stamp(&folder.join(name))).collect()
}

fn stamp(path: &Path) -> Option<(u64, SystemTime)> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.len(), meta.modified().ok()?))
}

fn read_if_there(path: &Path) -> Result<Option<Vec<u8>>, Error> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io(path, e)),
    }
}

/// The files of a scoped render: made, and gone.
#[derive(Default)]
struct Changes(Mutex<Vec<(String, Option<Vec<u8>>)>>);

impl Sink for Changes {
    fn put(&self, path: &str, bytes: Vec<u8>) -> Result<(), Error> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).push((path.to_owned(), Some(bytes)));
        Ok(())
    }

    fn remove(&self, path: &str) -> Result<(), Error> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).push((path.to_owned(), None));
        Ok(())
    }
}
