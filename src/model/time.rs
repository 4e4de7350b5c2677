//! Showing moments in Vietnam's time (UTC+7, no daylight saving), without a date library
//! in the browser bundle.

/// Vietnam is seven hours ahead of UTC all year.
const VIETNAM_OFFSET_SECS: i64 = 7 * 3600;

/// `dd/mm/yyyy HH:MM` in Vietnam's time, as Vietnamese officials write dates.
pub fn format_datetime(unix_secs: i64) -> String {
    let local = unix_secs + VIETNAM_OFFSET_SECS;
    let days = local.div_euclid(86_400);
    let secs = local.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    format!(
        "{day:02}/{month:02}/{year} {:02}:{:02}",
        secs / 3600,
        (secs % 3600) / 60
    )
}

/// A calendar day, as days since 1970-01-01. Travels as `YYYY-MM-DD`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Day(pub i32);

impl Day {
    /// Parses `YYYY-MM-DD`; `None` for anything else, impossible dates included.
    pub fn parse(text: &str) -> Option<Day> {
        let text = text.trim();
        let mut parts = text.splitn(3, '-');
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        let digits =
            |part: &str, len: usize| part.len() == len && part.bytes().all(|b| b.is_ascii_digit());
        // Digits only: `+999` and `+1` would parse as numbers and print differently.
        if !digits(y, 4) || !digits(m, 2) || !digits(d, 2) {
            return None;
        }
        let year: i64 = y.parse().ok()?;
        let month: u32 = m.parse().ok()?;
        let day: u32 = d.parse().ok()?;
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        i32::try_from(days_from_civil(year, month, day))
            .ok()
            .map(Day)
    }

    pub fn from_ymd(year: i64, month: u32, day: u32) -> Day {
        Day(i32::try_from(days_from_civil(year, month, day)).unwrap_or_default())
    }

    pub fn ymd(self) -> (i64, u32, u32) {
        civil_from_days(i64::from(self.0))
    }

    /// `2026-11-25`
    pub fn iso(self) -> String {
        let (y, m, d) = self.ymd();
        format!("{y:04}-{m:02}-{d:02}")
    }

    /// `25/11/2026`, as Vietnamese officials write dates.
    pub fn display(self) -> String {
        let (y, m, d) = self.ymd();
        format!("{d:02}/{m:02}/{y}")
    }

    pub fn plus_days(self, days: i32) -> Day {
        Day(self.0 + days)
    }

    /// The day it is in Vietnam at a moment given in unix seconds.
    pub fn in_vietnam(unix_secs: i64) -> Day {
        Day(i32::try_from((unix_secs + VIETNAM_OFFSET_SECS).div_euclid(86_400)).unwrap_or_default())
    }
}

impl serde::Serialize for Day {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.iso())
    }
}

impl<'de> serde::Deserialize<'de> for Day {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Day::parse(&text).ok_or_else(|| serde::de::Error::custom("expected a date YYYY-MM-DD"))
    }
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Year, month, day of a count of days since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_parse_and_print() {
        let day = Day::parse("2026-11-25").expect("a date");
        assert_eq!(day.iso(), "2026-11-25");
        assert_eq!(day.display(), "25/11/2026");
        assert_eq!(Day::parse("1970-01-01"), Some(Day(0)));
        assert_eq!(
            Day::parse("2024-02-29").map(Day::iso).as_deref(),
            Some("2024-02-29")
        );
        assert_eq!(Day::parse("2026-02-29"), None);
        assert_eq!(Day::parse("2026-13-01"), None);
        assert_eq!(Day::parse("26-11-25"), None);
        assert_eq!(Day::parse("2026-11-25T00:00"), None);
        assert_eq!(day.plus_days(7).iso(), "2026-12-02");
        // 23:30 UTC on 24 November is already 25 November in Hà Nội.
        assert_eq!(Day::in_vietnam(1_795_563_000).iso(), "2026-11-25");
    }

    #[test]
    fn formats_in_vietnam_time() {
        assert_eq!(format_datetime(0), "01/01/1970 07:00");
        // 2026-11-25T01:45:00Z is 08:45 in Hà Nội.
        assert_eq!(format_datetime(1_795_571_100), "25/11/2026 08:45");
        // Late evening UTC is already the next day in Vietnam.
        assert_eq!(format_datetime(1_798_761_599), "01/01/2027 06:59");
        assert_eq!(format_datetime(951_782_400), "29/02/2000 07:00");
    }
}
