//! Diagnostics as text for a terminal or a CI log, with the line of
//! serverless.yml they point at.

use std::fmt::Write;

use crate::diagnostic::{Diagnostic, Severity};

/// Renders `diagnostic`; `source` is the text it was found in, `file` the
/// name to print for it.
///
/// ```text
/// error[canary/unknown-hook]: `preHok` is not a function of this service; did you mean `preHook`?
///   --> serverless.yml:12:23
///    |
/// 12 |       preTrafficHook: preHok
///    |                       ^
///    = at: functions.hello.deploymentSettings.preTrafficHook
///    = help: a traffic hook is the key of another function under `functions:`
/// ```
pub fn render(diagnostic: &Diagnostic, source: &str, file: &str) -> String {
    let severity = match diagnostic.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    };
    let mut out = format!("{severity}[{}]: {}\n", diagnostic.code, diagnostic.message);
    let gutter = diagnostic.location.map_or(1, |l| l.line.to_string().len());
    let pad = " ".repeat(gutter);
    if let Some(location) = diagnostic.location {
        let _ = writeln!(out, "{pad}--> {file}:{}:{}", location.line, location.column);
        if let Some(line) = source.lines().nth(location.line.saturating_sub(1)) {
            let line = line.trim_end();
            let caret: String = line
                .chars()
                .take(location.column.saturating_sub(1))
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            let _ = writeln!(out, "{pad} |");
            let _ = writeln!(out, "{} | {line}", location.line);
            let _ = writeln!(out, "{pad} | {caret}^");
        }
    }
    if !diagnostic.path.is_empty() {
        let _ = writeln!(out, "{pad} = at: {}", diagnostic.path);
    }
    if let Some(help) = &diagnostic.help {
        let _ = writeln!(out, "{pad} = help: {help}");
    }
    out
}
