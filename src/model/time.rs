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
    fn formats_in_vietnam_time() {
        assert_eq!(format_datetime(0), "01/01/1970 07:00");
        // 2026-11-25T01:45:00Z is 08:45 in Hà Nội.
        assert_eq!(format_datetime(1_795_571_100), "25/11/2026 08:45");
        // Late evening UTC is already the next day in Vietnam.
        assert_eq!(format_datetime(1_798_761_599), "01/01/2027 06:59");
        assert_eq!(format_datetime(951_782_400), "29/02/2000 07:00");
    }
}
