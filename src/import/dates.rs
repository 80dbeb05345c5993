//! Dates as Danish (and English) kommissorier write them: "19.09.2019", "4. oktober 2023",
//! "2. juni 2022", "december 2019", "2024-03-03".

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::model::Date;

const MONTHS: &[(&str, u8)] = &[
    ("januar", 1),
    ("january", 1),
    ("jan", 1),
    ("februar", 2),
    ("february", 2),
    ("feb", 2),
    ("marts", 3),
    ("march", 3),
    ("mar", 3),
    ("april", 4),
    ("apr", 4),
    ("maj", 5),
    ("may", 5),
    ("juni", 6),
    ("june", 6),
    ("jun", 6),
    ("juli", 7),
    ("july", 7),
    ("jul", 7),
    ("august", 8),
    ("aug", 8),
    ("september", 9),
    ("sept", 9),
    ("sep", 9),
    ("oktober", 10),
    ("october", 10),
    ("okt", 10),
    ("oct", 10),
    ("november", 11),
    ("nov", 11),
    ("december", 12),
    ("dec", 12),
];

static DATE: LazyLock<Regex> = LazyLock::new(|| {
    let months = MONTHS.iter().map(|(name, _)| *name).collect::<Vec<_>>().join("|");
    Regex::new(&format!(
        r"(?xi)
        \b(?P<iy>\d{{4}})-(?P<im>\d{{2}})-(?P<id>\d{{2}})\b
        | \b(?P<nd>\d{{1,2}})[./-](?P<nm>\d{{1,2}})[./-](?P<ny>\d{{4}})\b
        | \b(?:(?P<wd>\d{{1,2}})\.?\s+)?(?P<wm>{months})\.?\s+(?P<wy>\d{{4}})\b"
    ))
    .expect("the date pattern is valid")
});

/// Every date in `text` with where it stands; a month and year without a day is a
/// partial date. Numbers that are no date on the calendar ("31.02.2019") are skipped.
pub fn find(text: &str) -> Vec<(Range<usize>, Date)> {
    DATE.captures_iter(text)
        .filter_map(|c| {
            let number = |name: &str| c.name(name).and_then(|m| m.as_str().parse::<u16>().ok());
            let date = if let Some(y) = number("iy") {
                Date::new(y, u8::try_from(number("im")?).ok()?, u8::try_from(number("id")?).ok()?).ok()?
            } else if let Some(y) = number("ny") {
                Date::new(y, u8::try_from(number("nm")?).ok()?, u8::try_from(number("nd")?).ok()?).ok()?
            } else {
                let word = c.name("wm")?.as_str().to_lowercase();
                let month = MONTHS.iter().find(|(name, _)| *name == word)?.1;
                let year = number("wy")?;
                match number("wd") {
                    Some(day) => Date::new(year, month, u8::try_from(day).ok()?).ok()?,
                    None => Date { year, month: Some(month), day: None },
                }
            };
            Some((c.get(0)?.range(), date))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dates(text: &str) -> Vec<String> {
        find(text).into_iter().map(|(_, d)| d.to_string()).collect()
    }

    #[test]
    fn danish_forms() {
        assert_eq!(dates("Godkendt i Det Administrative Kontaktforum den 19.09.2019"), ["2019-09-19"]);
        assert_eq!(dates("på møde den 4. oktober 2023 og 2. juni 2022"), ["2023-10-04", "2022-06-02"]);
        assert_eq!(dates("senest i december 2019"), ["2019-12"]);
        assert_eq!(dates("Revideret 14. nov. 2023"), ["2023-11-14"]);
        assert_eq!(dates("dated 2024-03-03"), ["2024-03-03"]);
    }

    #[test]
    fn what_is_no_date() {
        assert!(dates("31.02.2019, SAG-2021-06208, 3370 3558, i 2007").is_empty());
        assert!(dates("maj måned").is_empty());
    }
}
