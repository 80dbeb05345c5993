//! Themes: Tera templates, static files and UI strings.
//!
//! The default theme is compiled into the binary, so mandat works from any folder. A site
//! may name its own theme in `mandat.toml`; the folder `themes/<name>/` is then laid over
//! the default one file by file, so a theme only needs the files it changes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rust_embed::RustEmbed;
use walkdir::WalkDir;

use crate::config::{Config, Language};
use crate::diagram::metrics::TextMetrics;
use crate::error::Error;
use crate::render::strings::Strings;

#[derive(RustEmbed)]
#[folder = "themes/default/"]
struct DefaultTheme;

/// A theme's files, by path inside the theme folder (`templates/body.html`, `static/style.css`).
#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    files: BTreeMap<String, Vec<u8>>,
}

impl Theme {
    /// The theme named in `config`, laid over the built-in default.
    pub fn load(root: &Path, config: &Config) -> Result<Theme, Error> {
        let mut files: BTreeMap<String, Vec<u8>> = DefaultTheme::iter()
            .filter_map(|name| DefaultTheme::get(&name).map(|f| (name.into_owned(), f.data.into_owned())))
            .collect();
        let dir = root.join("themes").join(&*config.theme);
        if dir.is_dir() {
            for (name, path) in theme_files(&dir)? {
                let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
                files.insert(name, bytes);
            }
        } else if &*config.theme != "default" {
            return Err(Error::ThemeNotFound { theme: config.theme.to_string(), dir });
        }
        Ok(Theme { files })
    }

    /// Templates as (name, text), e.g. ("body.html", "…").
    pub fn templates(&self) -> impl Iterator<Item = (&str, &str)> {
        self.files.iter().filter_map(|(path, bytes)| {
            let name = path.strip_prefix("templates/")?;
            Some((name, std::str::from_utf8(bytes).ok()?))
        })
    }

    /// Static files as (path in the output, bytes).
    pub fn static_files(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.files.iter().filter_map(|(path, bytes)| Some((path.strip_prefix("static/")?, bytes.as_slice())))
    }

    /// Any file of the theme by its path inside the theme, e.g. `static/fonts/sans.ttf`.
    pub fn file(&self, path: &str) -> Option<&[u8]> {
        self.files.get(path).map(Vec::as_slice)
    }

    /// The UI strings of `language`.
    pub fn strings(&self, language: Language) -> Result<Strings, Error> {
        let path = format!("i18n/{}.toml", language.code());
        let text = self
            .files
            .get(&path)
            .and_then(|bytes| std::str::from_utf8(bytes).ok())
            .ok_or_else(|| Error::Theme(format!("no strings for language `{}`", language.code())))?;
        Strings::parse(text).map_err(|e| Error::Theme(format!("{path}: {e}")))
    }

    /// Text widths in the theme's fonts, for laying out diagrams.
    pub fn metrics(&self) -> Result<TextMetrics, Error> {
        let font =
            |path: &str| self.file(path).ok_or_else(|| Error::Theme(format!("the theme has no {path}")));
        TextMetrics::new(font(FONT)?, font(FONT_BOLD)?).map_err(|e| Error::Theme(format!("{FONT}: {e}")))
    }
}

const FONT: &str = "static/fonts/sans.ttf";
const FONT_BOLD: &str = "static/fonts/sans-bold.ttf";

fn theme_files(dir: &Path) -> Result<Vec<(String, PathBuf)>, Error> {
    let mut out = Vec::new();
    for entry in WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| Error::io(dir, e.into()))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let relative = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        let name =
            relative.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
        out.push((name, entry.path().to_path_buf()));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_theme_is_built_in() {
        let dir = tempfile::tempdir().unwrap();
        let theme = Theme::load(dir.path(), &Config::default()).unwrap();
        assert!(theme.templates().any(|(name, _)| name == "body.html"));
        assert!(theme.static_files().any(|(name, _)| name == "style.css"));
        assert!(theme.strings(Language::Da).is_ok() && theme.strings(Language::En).is_ok());
    }

    #[test]
    fn a_site_theme_overrides_file_by_file() {
        let dir = tempfile::tempdir().unwrap();
        let own = dir.path().join("themes/own/static");
        std::fs::create_dir_all(&own).unwrap();
        std::fs::write(own.join("style.css"), "body{}").unwrap();
        let config =
            Config { theme: toml::from_str::<Config>("theme = \"own\"").unwrap().theme, ..Config::default() };
        let theme = Theme::load(dir.path(), &config).unwrap();
        let css = theme.static_files().find(|(n, _)| *n == "style.css").unwrap().1;
        assert_eq!(css, b"body{}");
        assert!(theme.templates().any(|(name, _)| name == "body.html"), "the rest comes from the default");
        let missing = Config {
            theme: toml::from_str::<Config>("theme = \"nope\"").unwrap().theme,
            ..Config::default()
        };
        assert!(matches!(Theme::load(dir.path(), &missing), Err(Error::ThemeNotFound { .. })));
    }
}
