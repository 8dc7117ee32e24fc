//! The proleptic Gregorian calendar in days since 1970-01-01 (Howard Hinnant's algorithms):
//! HTTP dates and budget periods in the SDK, UTC day keys in the collector.

/// Days since 1970-01-01 of a proleptic Gregorian date.
pub fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The `(year, month, day)` of a day number (days since 1970-01-01).
pub fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

/// The UTC date of a day number (days since 1970-01-01) as the ASCII of `YYYY-MM-DD`, years
/// clamped to 0000-9999: the day keys of cost reports and the effective date of price tables.
pub fn date_text(days: i64) -> [u8; 10] {
    let (year, month, day) = civil_from_days(days);
    let mut text = *b"0000-00-00";
    for (value, end, width) in [(year.clamp(0, 9999), 4, 4), (month, 7, 2), (day, 10, 2)] {
        let mut value = value;
        for at in (end - width..end).rev() {
            if let Some(slot) = text.get_mut(at) {
                *slot = b'0' + (value % 10) as u8;
            }
            value /= 10;
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_texts() {
        assert_eq!(&date_text(0), b"1970-01-01");
        assert_eq!(&date_text(19_782), b"2024-02-29");
        assert_eq!(&date_text(-1), b"1969-12-31");
        assert_eq!(&date_text(days_from_civil(312, 7, 4)), b"0312-07-04");
        assert_eq!(&date_text(days_from_civil(10_000, 1, 1)), b"9999-01-01");
    }

    #[test]
    fn known_dates() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(1969, 12, 31), -1);
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
    }

    #[test]
    fn the_two_directions_agree_on_every_day_of_four_centuries() {
        let start = days_from_civil(1800, 1, 1);
        for days in start..start + 146_097 {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
            assert!((1..=12).contains(&m) && (1..=31).contains(&d));
        }
    }
}
