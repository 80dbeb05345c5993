//! `mandat.toml`: the site's settings. Optional; every key has a sensible default.

use std::path::Path;

use serde::Deserialize;

use crate::diagnostic::{Diagnostic, Sources};
use crate::error::Error;
use crate::model::WebUrl;

/// UI language of the generated pages.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    Da,
    En,
}

impl Language {
    pub fn code(self) -> &'static str {
        match self {
            Language::Da => "da",
            Language::En => "en",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Shown in the header and the browser tab.
    pub title: String,
    /// One paragraph shown on the front page.
    pub description: Option<String>,
    /// Where the site is published, e.g. `https://example.org/mandates/`. Needed for
    /// `sitemap.xml`; pages themselves link relatively and work anywhere.
    pub base_url: Option<WebUrl>,
    /// Where each page's source file can be edited, with `{path}` for the file's path
    /// from the site root, e.g. `https://github.com/org/site/edit/main/{path}`.
    pub edit_url: Option<WebUrl>,
    pub language: Language,
    /// A folder under `themes/`; `default` is built in.
    pub theme: ThemeName,
    /// Link the first mention of another body's title or alias in a text.
    pub auto_link: bool,
    /// Pass raw HTML in Markdown through untouched (otherwise it is sanitized).
    pub allow_raw_html: bool,
    /// Draw the neighbourhood diagrams and org charts (off for very large sites, or to
    /// compare build speed with other generators).
    pub diagrams: bool,
    /// The printable overview, `/print/`.
    pub print: PrintConfig,
    /// Show commit messages on `/changes/` and in its feed. Off for a repository whose
    /// messages are written for developers: the page then says only what changed.
    pub history_messages: bool,
    pub privacy: Privacy,
}

/// What the site may say about people.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Privacy {
    /// Publish named people: person pages, names in seats, search entries. When off,
    /// `check` still validates the people files, but no name reaches the output.
    pub publish_people: bool,
}

impl Default for Privacy {
    fn default() -> Self {
        Privacy { publish_people: true }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
pub enum Paper {
    #[default]
    A4,
    Letter,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Orientation {
    Portrait,
    #[default]
    Landscape,
}

/// What `/print/` holds and how it is laid out on paper.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PrintConfig {
    pub paper: Paper,
    /// Of the page with the organisation chart; the mandates are always portrait.
    pub chart_orientation: Orientation,
    /// Which parts to include, always printed in this order: contents (on the first
    /// page, with the title), chart, facts, seats, purpose, tasks, competences, text,
    /// unpublished.
    pub sections: Vec<PrintSection>,
    /// Mandates printed in full at most. A larger organisation gets the chart, the
    /// contents and one line per body: thousands of mandates make no printable document,
    /// and each body's own page prints well.
    pub max_mandates: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PrintSection {
    Chart,
    Contents,
    Facts,
    Seats,
    Purpose,
    Tasks,
    Competences,
    Text,
    /// The compact list of bodies without a published kommissorium.
    Unpublished,
}

impl Default for PrintConfig {
    fn default() -> Self {
        use PrintSection::*;
        PrintConfig {
            paper: Paper::A4,
            chart_orientation: Orientation::Landscape,
            sections: vec![Contents, Chart, Facts, Seats, Purpose, Tasks, Competences, Text, Unpublished],
            max_mandates: 500,
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "Organisation".to_owned(),
            description: None,
            base_url: None,
            edit_url: None,
            language: Language::default(),
            theme: ThemeName("default".to_owned()),
            auto_link: true,
            allow_raw_html: false,
            diagrams: true,
            history_messages: true,
            print: PrintConfig::default(),
            privacy: Privacy::default(),
        }
    }
}

/// The name of a folder under the site's `themes/`: never a path, so a theme can only be
/// read from inside the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThemeName(String);

impl std::ops::Deref for ThemeName {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for ThemeName {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = String::deserialize(d)?;
        let plain = !name.is_empty()
            && name.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '_')
            && name != "."
            && name != "..";
        if plain {
            Ok(ThemeName(name))
        } else {
            Err(serde::de::Error::custom(format!(
                "`{name}` is not a theme name: a theme is a folder under `themes/`, named with letters, digits, `-` and `_` (e.g. \"mine\" for themes/mine/)"
            )))
        }
    }
}

impl Config {
    pub const FILE: &'static str = "mandat.toml";

    /// `base_url` with exactly one trailing slash, if set.
    pub fn base_url(&self) -> Option<String> {
        self.base_url.as_ref().map(|u| format!("{}/", u.trim_end_matches('/')))
    }

    /// The path part of `base_url` (`/mandates/`), for pages that cannot link relatively
    /// because they are served at any depth (404).
    pub fn base_path(&self) -> String {
        let Some(url) = self.base_url() else { return "/".to_owned() };
        let after_scheme = url.split_once("://").map_or(url.as_str(), |(_, rest)| rest);
        after_scheme.find('/').map_or_else(|| "/".to_owned(), |i| after_scheme[i..].to_owned())
    }
}

/// Reads `<root>/mandat.toml`, if there is one. Problems in it are diagnostics like any
/// content problem; the defaults stand in for a file that cannot be read.
pub fn load(root: &Path, sources: &mut Sources) -> Result<(Config, Vec<Diagnostic>), Error> {
    let path = root.join(Config::FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((Config::default(), Vec::new())),
        Err(e) => return Err(Error::io(&path, e)),
    };
    let file = sources.add(Path::new(Config::FILE), text.clone());
    let mut diagnostics = Vec::new();
    let config = crate::parse::deserialize(&text, 0..text.len(), file, "mandat.toml", &mut diagnostics);
    Ok((config.unwrap_or_default(), diagnostics))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_base_paths() {
        let c: Config = toml::from_str("").unwrap();
        assert_eq!(c, Config::default());
        assert_eq!(c.base_path(), "/");
        let c: Config = toml::from_str("base_url = \"https://example.org/a/b\"\nlanguage = \"en\"").unwrap();
        assert_eq!(c.base_url().unwrap(), "https://example.org/a/b/");
        assert_eq!(c.base_path(), "/a/b/");
        assert_eq!(c.language, Language::En);
        let c: Config = toml::from_str("base_url = \"https://example.org\"").unwrap();
        assert_eq!(c.base_path(), "/");
    }

    #[test]
    fn print_settings() {
        let c: Config =
            toml::from_str("[print]\npaper = \"Letter\"\nsections = [\"contents\", \"tasks\"]").unwrap();
        assert_eq!(c.print.paper, Paper::Letter);
        assert_eq!(c.print.chart_orientation, Orientation::Landscape);
        assert_eq!(c.print.sections, [PrintSection::Contents, PrintSection::Tasks]);
        assert!(toml::from_str::<Config>("[print]\npaper = \"A3\"").is_err());
    }

    #[test]
    fn unknown_keys_are_rejected() {
        assert!(toml::from_str::<Config>("titel = \"x\"").is_err());
        assert!(toml::from_str::<Config>("base_url = \"javascript:alert(1)//\"").is_err());
        for path in ["/tmp/x", "../../x", "/usr/share", "a/b", ".", "", "x\\y"] {
            assert!(toml::from_str::<Config>(&format!("theme = {path:?}")).is_err(), "{path}");
        }
        assert_eq!(&*toml::from_str::<Config>("theme = \"min-tema_2\"").unwrap().theme, "min-tema_2");
    }
}
