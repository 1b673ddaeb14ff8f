//! Plain-scalar resolution as js-yaml 4 (the parser the Serverless Framework
//! uses, with its default schema) resolves it: YAML 1.2 core types plus
//! timestamps. `yes`, `no`, `on` and `off` stay strings; `1.10` is the
//! number 1.1; `2024-01-02` is a date, which reaches a template as its ISO
//! string.

use serde_json::{Number, Value};

/// The value of an untagged plain scalar.
pub(super) fn resolve_plain(text: &str) -> Value {
    if text.is_empty() || matches!(text, "~" | "null" | "Null" | "NULL") {
        return Value::Null;
    }
    match text {
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    if let Some(value) = integer(text) {
        return value;
    }
    if let Some(value) = float(text) {
        return value;
    }
    if let Some(iso) = timestamp(text) {
        return Value::String(iso);
    }
    Value::String(text.to_owned())
}

/// A JSON number for `value`: an integer when it is one JavaScript holds
/// exactly, else a double. Infinities and NaN have no JSON form; like
/// `JSON.stringify`, they become `null`.
pub(super) fn number(value: f64) -> Value {
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
    if value.fract() == 0.0 && value.abs() <= EXACT {
        // Exact by the guard above; `-0` reads as 0, as JSON writes it.
        #[allow(clippy::cast_possible_truncation, reason = "|value| <= 2^53 and integral")]
        return Value::Number(Number::from(value as i64));
    }
    Number::from_f64(value).map_or(Value::Null, Value::Number)
}

/// `[-+]?` then `0b…`, `0x…`, `0o…` or decimal digits (a leading zero is
/// decimal, so `017` is 17). No underscores.
pub(super) fn integer(text: &str) -> Option<Value> {
    let (negative, digits) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let (radix, body) = match digits.get(..2) {
        Some("0b") => (2, &digits[2..]),
        Some("0x") => (16, &digits[2..]),
        Some("0o") => (8, &digits[2..]),
        _ => (10, digits),
    };
    if body.is_empty() || !body.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    // JavaScript's parseInt: exact up to 2^53, correctly rounded beyond.
    let magnitude = match radix {
        10 => body.parse::<f64>().ok()?,
        #[allow(clippy::cast_precision_loss, reason = "rounds to nearest, as parseInt does")]
        _ => u128::from_str_radix(body, radix).map(|n| n as f64).ok()?,
    };
    Some(number(if negative { -magnitude } else { magnitude }))
}

/// `[-+]?digits[.digits][e[-+]digits]`, `.digits[e…]` (no sign), and the
/// `.inf`/`.nan` spellings.
fn float(text: &str) -> Option<Value> {
    let lower = text.to_ascii_lowercase();
    let unsigned = lower.strip_prefix(['-', '+']).unwrap_or(&lower);
    if matches!(text.strip_prefix(['-', '+']).unwrap_or(text), ".inf" | ".Inf" | ".INF") {
        return Some(Value::Null);
    }
    if matches!(text, ".nan" | ".NaN" | ".NAN") {
        return Some(Value::Null);
    }
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let (mantissa, exponent) = match unsigned.split_once('e') {
        Some((m, e)) => (m, Some(e.strip_prefix(['-', '+']).unwrap_or(e))),
        None => (unsigned, None),
    };
    if exponent.is_some_and(|e| !digits(e)) {
        return None;
    }
    let valid = match mantissa.split_once('.') {
        Some(("", fraction)) => digits(fraction) && unsigned.len() == lower.len(),
        Some((whole, fraction)) => digits(whole) && (fraction.is_empty() || digits(fraction)),
        None => digits(mantissa),
    };
    if !valid {
        return None;
    }
    let value: f64 = lower.parse().ok().or_else(|| format!("{lower}0").parse().ok())?;
    Some(if value.is_finite() { number(value) } else { Value::Null })
}

/// `YYYY-MM-DD`, or a date and time with optional fraction and zone, as the
/// ISO string `JSON.stringify` writes for the `Date` js-yaml builds.
fn timestamp(text: &str) -> Option<String> {
    let b = text.as_bytes();
    let num = |s: &[u8]| -> Option<i64> {
        (!s.is_empty() && s.iter().all(u8::is_ascii_digit))
            .then(|| s.iter().fold(0, |n, d| n * 10 + i64::from(d - b'0')))
    };
    if b.len() == 10 && b[4] == b'-' && b[7] == b'-' {
        let (y, m, d) = (num(&b[..4])?, num(&b[5..7])?, num(&b[8..10])?);
        return Some(iso(civil_ms(y, m, d, 0, 0, 0, 0)));
    }
    // year-month-day, 1 or 2 digits for month and day.
    let year = num(b.get(..4)?)?;
    let rest = text.get(4..)?.strip_prefix('-')?;
    let (month, rest) = rest.split_once('-')?;
    let day_len = rest.bytes().take_while(u8::is_ascii_digit).count();
    let (day, rest) = rest.split_at(day_len);
    if !(1..=2).contains(&month.len()) || !(1..=2).contains(&day.len()) {
        return None;
    }
    let rest = rest.strip_prefix(['T', 't']).or_else(|| {
        let trimmed = rest.trim_start_matches([' ', '\t']);
        (trimmed.len() < rest.len()).then_some(trimmed)
    })?;
    let (hour, rest) = rest.split_once(':')?;
    let (minute, rest) = rest.split_once(':')?;
    let second_len = rest.bytes().take_while(u8::is_ascii_digit).count();
    let (second, mut rest) = rest.split_at(second_len);
    if !(1..=2).contains(&hour.len()) || minute.len() != 2 || second.len() != 2 {
        return None;
    }
    let mut millis = 0;
    if let Some(after_dot) = rest.strip_prefix('.') {
        let len = after_dot.bytes().take_while(u8::is_ascii_digit).count();
        let fraction = format!("{:0<3}", &after_dot[..len.min(3)]);
        millis = num(fraction.as_bytes()).unwrap_or(0);
        rest = &after_dot[len..];
    }
    let zone = rest.trim_start_matches([' ', '\t']);
    let offset_minutes = match zone {
        "" | "Z" => 0,
        zone => {
            let (sign, zone) = match zone.as_bytes().first()? {
                b'+' => (1, &zone[1..]),
                b'-' => (-1, &zone[1..]),
                _ => return None,
            };
            let (h, m) = zone.split_once(':').unwrap_or((zone, "00"));
            if !(1..=2).contains(&h.len()) || m.len() != 2 {
                return None;
            }
            sign * (num(h.as_bytes())? * 60 + num(m.as_bytes())?)
        }
    };
    let local = civil_ms(
        year,
        num(month.as_bytes())?,
        num(day.as_bytes())?,
        num(hour.as_bytes())?,
        num(minute.as_bytes())?,
        num(second.as_bytes())?,
        millis,
    );
    Some(iso(local - offset_minutes * 60_000))
}

/// `Date.UTC(y, m - 1, d, h, min, s, ms)`, which carries overflowing fields
/// into the next larger one.
fn civil_ms(year: i64, month: i64, day: i64, hour: i64, minute: i64, second: i64, millis: i64) -> i64 {
    let year = year + (month - 1).div_euclid(12);
    let month = (month - 1).rem_euclid(12) + 1;
    let days = days_from_civil(year, month, 1) + day - 1;
    ((days * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + millis
}

/// Days from 1970-01-01 to a proleptic Gregorian date.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `Date.prototype.toISOString` for milliseconds since the epoch.
fn iso(ms: i64) -> String {
    let days = ms.div_euclid(86_400_000);
    let in_day = ms.rem_euclid(86_400_000);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let (h, m, s, milli) = (in_day / 3_600_000, in_day / 60_000 % 60, in_day / 1000 % 60, in_day % 1000);
    let year = if (0..=9999).contains(&year) { format!("{year:04}") } else { format!("{year:+07}") };
    format!("{year}-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}.{milli:03}Z")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn resolves_like_js_yaml_4() {
        // Expected values were read off js-yaml 4.3.2 (the copy Serverless 3.40 loads).
        let cases = [
            ("1_000", json!("1_000")),
            ("0x1F", json!(31)),
            ("0o17", json!(15)),
            ("017", json!(17)),
            ("+5", json!(5)),
            ("-0", json!(0)),
            ("1e3", json!(1000)),
            ("1.5e3", json!(1500)),
            (".5", json!(0.5)),
            (".inf", json!(null)),
            ("-.Inf", json!(null)),
            (".nan", json!(null)),
            ("1.10", json!(1.1)),
            ("12345678901234567890", json!(12_345_678_901_234_567_000.0)),
            ("2024-01-02", json!("2024-01-02T00:00:00.000Z")),
            ("2024-01-02 10:00:00", json!("2024-01-02T10:00:00.000Z")),
            ("2001-12-14t21:59:43.10-05:00", json!("2001-12-15T02:59:43.100Z")),
            ("yes", json!("yes")),
            ("True", json!(true)),
            ("tRue", json!("tRue")),
            ("~", json!(null)),
            ("Null", json!(null)),
            ("0b101", json!(5)),
            ("1_0.5", json!("1_0.5")),
            ("0.", json!(0)),
            ("-.5e-3", json!("-.5e-3")),
            ("1:2", json!("1:2")),
            ("0X1f", json!("0X1f")),
            ("00", json!(0)),
            ("+0x10", json!(16)),
            ("_1", json!("_1")),
            ("Canary10Percent5Minutes", json!("Canary10Percent5Minutes")),
            ("off", json!("off")),
        ];
        for (text, expected) in cases {
            assert_eq!(resolve_plain(text), expected, "{text}");
        }
    }
}
