//! Serverless Framework v3 variables (`${…}`), resolved without the Framework
//! and without the network.
//!
//! [`resolve`] rewrites a loaded serverless.yml in place, as v3 resolves it
//! before any plugin sees it (serverless-v3.md §4):
//!
//! - `${self:a.b.0}`, `${self:}`: properties of the configuration, resolved
//!   first when they hold variables themselves; a property that depends on
//!   itself is a `variables/circular` error, never a hang;
//! - `${opt:stage}`, `${opt:region}` from the [`Context`] (other options are
//!   `null`), `${sls:stage}`, `${aws:region}`, `${env:X}` from the given
//!   environment, `${param:x}` (given params, then `params.<stage>`, then
//!   `params.default`), `${strToBool(…)}`, `${file(path):address}` over the
//!   given files (YAML with the CloudFormation tags, JSON, else text; a
//!   missing file is `null`);
//! - fallbacks (`${env:A, self:b, 'literal'}`), nesting in addresses and
//!   params, concatenation (numbers and booleans join as text), whole-value
//!   variables that keep their type, `\${` escapes, and `${AWS::Region}` and
//!   other CloudFormation `${…}` left alone.
//!
//! What only the deploy machine can know (`ssm:`, `cf:`, `s3:`,
//! `aws:accountId`, JavaScript files, plugin and Dashboard sources) stays as
//! written, a visible placeholder, with a `variables/unresolved-offline`
//! info; whatever depends on it carries the placeholder text along.
//! `${sls:instanceId}`, a timestamp in v3, becomes [`INSTANCE_ID`].
//!
//! Every error v3 raises is an error diagnostic at the property's dotted
//! path, and the property keeps its text. Unlike v3, canaria bounds its own
//! work: chains of references deeper than [`MAX_DEPTH`] and output beyond
//! [`MAX_OUTPUT`] bytes are errors rather than a stack overflow or a memory
//! blow-up.

mod parse;

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;
use serde_json::Value;

use self::parse::{Meta, ParseError, Piece, PieceKind, Source};
use crate::diagnostic::{self, Diagnostic};

/// What v3 takes from the command line and the machine: the inputs of
/// resolution besides serverless.yml itself.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
#[non_exhaustive]
pub struct Context {
    /// `--stage`.
    pub stage: Option<String>,
    /// `--region`.
    pub region: Option<String>,
    /// `--param key=value`, each.
    pub params: BTreeMap<String, String>,
    /// The environment `${env:…}` reads; unset names are `null`.
    pub env: BTreeMap<String, String>,
    /// Files `${file(…)}` may read: path relative to the service directory
    /// (`./` and `a/../` are normalised away) → the file's text.
    pub files: BTreeMap<String, String>,
}

/// What `${sls:instanceId}` reads: v3 uses the time of the run in
/// milliseconds, so canaria writes a fixed 13-digit value of the same shape.
pub const INSTANCE_ID: &str = "0000000000000";

/// v3's limit on values that resolve to more variables (resolve.js).
const MAX_NEST: usize = 10;

/// Deepest chain of properties and nested values being resolved at once.
pub const MAX_DEPTH: usize = 64;

/// Most bytes of text and structure that resolution may produce in all.
pub const MAX_OUTPUT: usize = 64 << 20;

/// The sources v3 provides that canaria resolves.
const BUILT_IN: [&str; 8] = ["self", "opt", "sls", "aws", "env", "param", "strToBool", "file"];

/// The sources v3 provides that need AWS.
const AWS_SOURCES: [&str; 3] = ["ssm", "cf", "s3"];

/// Sources of plugins and of the Serverless Dashboard that canaria can name.
const KNOWN_PLUGIN_SOURCES: [(&str, &str); 4] = [
    ("output", "it reads another service's outputs from the Serverless Dashboard"),
    ("construct", "it is provided by the serverless-lift plugin"),
    ("git", "it is provided by the serverless-plugin-git-variables plugin"),
    ("state", "it reads state from the Serverless Dashboard"),
];

/// Marks a placeholder inside a string while resolution runs; the text
/// between the markers indexes the placeholder table. Unicode
/// noncharacters: they never open a `${`, so placeholders are never
/// re-parsed, and serverless.yml has no business holding them.
const OPEN: char = '\u{FDD0}';
const CLOSE: char = '\u{FDD1}';

/// Resolves every variable in `config` in place, as v3 would, and returns
/// what it found: errors where v3 would stop, infos for what only the deploy
/// machine can resolve. A `config` that is not an object is left alone.
pub fn resolve(config: &mut Value, ctx: &Context) -> Vec<Diagnostic> {
    if !config.is_object() {
        return Vec::new();
    }
    let plugins = !matches!(config.get("plugins"), None | Some(Value::Null));
    let mut resolver = Resolver {
        config,
        ctx,
        plugins,
        props: BTreeMap::new(),
        placeholders: Vec::new(),
        files: HashMap::new(),
        diagnostics: Vec::new(),
        depth: 0,
        produced: 0,
        exhausted: false,
    };
    let mut order = Vec::new();
    for (path, outcome) in variable_strings(resolver.config, &Vec::new()) {
        match outcome {
            Ok(()) => {
                resolver.props.insert(path.clone(), Prop::Pending { depth: 0, segments: None });
                order.push(path);
            }
            Err((text, error)) => {
                let diagnostic = parse_diagnostic(resolver.at(&path), &text, error);
                resolver.diagnostics.push(diagnostic);
                resolver.props.insert(path, Prop::Failed);
            }
        }
    }
    for path in order {
        // A failure is reported where it happens; dependents only stop.
        let _ = resolver.resolve_property(&path);
    }
    let placeholders = std::mem::take(&mut resolver.placeholders);
    let diagnostics = std::mem::take(&mut resolver.diagnostics);
    if !placeholders.is_empty() {
        unmark(resolver.config, &placeholders);
    }
    diagnostics
}

type Path = Vec<String>;

/// A string with variables (`Ok`), or with malformed syntax: its text and the error.
type Found = Result<(), (String, ParseError)>;

/// A property (a string that holds variables) not yet resolved.
#[derive(Debug, Clone)]
enum Prop {
    /// Waiting. `depth` counts how often its value resolved to more
    /// variables; `segments` are the parts its last value was joined from.
    Pending { depth: usize, segments: Option<Vec<String>> },
    /// Being resolved: meeting it again is a cycle.
    InProgress,
    /// Failed, with its error reported.
    Failed,
}

/// Why a value could not be resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stop {
    /// An error, already reported.
    Error,
    /// It depends on what only the deploy machine knows: keep the text.
    Offline,
}

/// A resolved string value, with the parts it was joined from (each is
/// re-parsed alone, so an escaped `\${` never becomes a variable again).
struct Resolved {
    value: Value,
    segments: Option<Vec<String>>,
}

struct Resolver<'a> {
    config: &'a mut Value,
    ctx: &'a Context,
    plugins: bool,
    props: BTreeMap<Path, Prop>,
    placeholders: Vec<String>,
    files: HashMap<String, Result<Value, String>>,
    diagnostics: Vec<Diagnostic>,
    depth: usize,
    produced: usize,
    exhausted: bool,
}

/// Calls `found` with the path of every string under `value` that holds
/// variables (`Ok`) or malformed variable syntax (`Err`).
fn collect<'v>(
    value: &'v Value,
    path: &mut Path,
    found: &mut impl FnMut(&[String], Result<(), (&'v str, ParseError)>),
) {
    match value {
        Value::Object(map) => {
            for (key, item) in map {
                path.push(key.clone());
                collect(item, path, found);
                path.pop();
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                path.push(index.to_string());
                collect(item, path, found);
                path.pop();
            }
        }
        Value::String(text) => match parse::parse(text) {
            Ok(Some(_)) => found(path, Ok(())),
            Ok(None) => {}
            Err(error) => found(path, Err((text, error))),
        },
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// `functions.hello.events[0].http`: the path as diagnostics write it.
/// Array items are told from object keys by the node they are in.
fn dotted(root: &Value, path: &[String]) -> String {
    let mut out = String::new();
    let mut node = Some(root);
    for key in path {
        match node {
            Some(Value::Array(items)) => {
                out.push_str(&format!("[{key}]"));
                node = key.parse::<usize>().ok().and_then(|i| items.get(i));
            }
            other => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
                node = other.and_then(|n| n.get(key));
            }
        }
    }
    out
}

/// Every string under `value` that holds variables (`Ok`) or malformed
/// variable syntax (`Err`), by path.
fn variable_strings(value: &Value, base: &Path) -> Vec<(Path, Found)> {
    let mut found = Vec::new();
    collect(value, &mut base.clone(), &mut |path, outcome| {
        found.push((path.to_vec(), outcome.map_err(|(text, error)| (text.to_owned(), error))));
    });
    found
}

fn parse_diagnostic(path: String, value: &str, error: ParseError) -> Diagnostic {
    match error {
        ParseError::Literal(literal) => diagnostic::variable_unquoted_literal(path, &literal),
        ParseError::Syntax(detail) => diagnostic::variable_syntax(path, value, &detail),
        ParseError::TooDeep => diagnostic::variable_too_deep(path, parse::MAX_NESTING),
    }
}

/// Parses the parts a string was joined from, each alone, with positions in
/// the joined string.
fn parse_segments(segments: &[String]) -> Result<Option<Vec<Piece>>, ParseError> {
    let mut pieces = Vec::new();
    let mut base = 0;
    for segment in segments {
        if let Some(found) = parse::parse(segment)? {
            pieces.extend(found.into_iter().map(|p| Piece {
                start: p.start + base,
                end: p.end + base,
                whole: false,
                ..p
            }));
        }
        base += segment.len();
    }
    Ok((!pieces.is_empty()).then_some(pieces))
}

/// JavaScript's `value[key]` for JSON values, `None` for `undefined`.
fn js_index(value: &Value, key: &str) -> Option<Value> {
    let index = || key.parse::<usize>().ok().filter(|i| i.to_string() == key);
    match value {
        Value::Object(map) => map.get(key).cloned(),
        Value::Array(items) if key == "length" => Some(Value::from(items.len())),
        Value::Array(items) => index().and_then(|i| items.get(i)).cloned(),
        Value::String(text) if key == "length" => Some(Value::from(text.encode_utf16().count())),
        Value::String(text) => index().and_then(|i| text.chars().nth(i)).map(|c| Value::String(c.to_string())),
        Value::Null | Value::Bool(_) | Value::Number(_) => None,
    }
}

/// Follows `keys` from `value` without copying, while only objects and
/// array items are walked; `None` when a step gives `undefined`.
fn lookup<'v>(value: &'v Value, keys: &[String]) -> Option<&'v Value> {
    keys.iter().try_fold(value, |node, key| match node {
        Value::Object(map) => map.get(key),
        Value::Array(items) => key.parse::<usize>().ok().filter(|i| i.to_string() == *key).and_then(|i| items.get(i)),
        _ => None,
    })
}

/// `value[k1][k2]…` with JavaScript's semantics (`length`, string
/// indices); borrowed as long as the walk only steps into objects and lists.
fn js_get<'v>(value: &'v Value, keys: &[String]) -> Option<Cow<'v, Value>> {
    let mut node = Cow::Borrowed(value);
    for key in keys {
        node = match node {
            Cow::Borrowed(Value::Object(map)) => Cow::Borrowed(map.get(key)?),
            Cow::Borrowed(Value::Array(items)) if key != "length" => {
                Cow::Borrowed(key.parse::<usize>().ok().filter(|i| i.to_string() == *key).and_then(|i| items.get(i))?)
            }
            other => Cow::Owned(js_index(&other, key)?),
        };
    }
    Some(node)
}

fn set(root: &mut Value, path: &[String], value: Value) {
    let mut node = root;
    for key in path {
        node = match node {
            Value::Object(map) => match map.get_mut(key) {
                Some(next) => next,
                None => return,
            },
            Value::Array(items) => match key.parse::<usize>().ok().and_then(|i| items.get_mut(i)) {
                Some(next) => next,
                None => return,
            },
            _ => return,
        };
    }
    *node = value;
}

/// `type/string/coerce`: strings, numbers, booleans and lists (joined with
/// commas) become text; `null` and objects do not.
fn coerce_string(value: &Value) -> Option<String> {
    match value {
        Value::Null | Value::Object(_) => None,
        Value::String(text) => Some(text.clone()),
        other => Some(crate::js::to_js_string(Some(other))),
    }
}

/// A rough size of a value, for the output budget.
fn size(value: &Value) -> usize {
    match value {
        Value::String(text) => text.len() + 8,
        Value::Array(items) => items.iter().map(size).sum::<usize>() + 8,
        Value::Object(map) => map.iter().map(|(k, v)| k.len() + size(v)).sum::<usize>() + 8,
        Value::Null | Value::Bool(_) | Value::Number(_) => 8,
    }
}

fn has_marker(value: &Value) -> bool {
    match value {
        Value::String(text) => text.contains(OPEN),
        Value::Array(items) => items.iter().any(has_marker),
        Value::Object(map) => map.values().any(has_marker),
        Value::Null | Value::Bool(_) | Value::Number(_) => false,
    }
}

/// Replaces every placeholder marker by the text it stands for.
fn unmark(value: &mut Value, placeholders: &[String]) {
    match value {
        Value::String(text) if text.contains(OPEN) => *text = unmark_text(text, placeholders),
        Value::Array(items) => items.iter_mut().for_each(|item| unmark(item, placeholders)),
        Value::Object(map) => map.values_mut().for_each(|item| unmark(item, placeholders)),
        _ => {}
    }
}

fn unmark_text(text: &str, placeholders: &[String]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find(OPEN) {
        out.push_str(&rest[..open]);
        let after = &rest[open + OPEN.len_utf8()..];
        let replaced = after.find(CLOSE).and_then(|close| {
            let original = placeholders.get(after[..close].parse::<usize>().ok()?)?;
            Some((original, &after[close + CLOSE.len_utf8()..]))
        });
        match replaced {
            Some((original, remaining)) => {
                // A placeholder may hold others (an outer variable's text).
                out.push_str(&unmark_text(original, placeholders));
                rest = remaining;
            }
            None => {
                out.push(OPEN);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Normalises a `file(…)` path as `path.resolve` relative to the service
/// directory would: `./`, `a/..` and doubled slashes go.
fn normalise_file_path(path: &str) -> String {
    let absolute = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|last| *last != "..") {
                    parts.pop();
                } else if !absolute {
                    parts.push("..");
                }
            }
            other => parts.push(other),
        }
    }
    let joined = parts.join("/");
    if absolute { format!("/{joined}") } else { joined }
}

/// `path.extname`: from the last dot of the last segment, unless the name
/// starts with it.
fn extension(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap_or(path);
    match name.rfind('.') {
        Some(0) | None => "",
        Some(at) => &name[at..],
    }
}

impl Resolver<'_> {
    /// The dotted path of `path` in the configuration.
    fn at(&self, path: &[String]) -> String {
        dotted(self.config, path)
    }

    fn report(&mut self, diagnostic: Diagnostic) -> Stop {
        self.diagnostics.push(diagnostic);
        Stop::Error
    }

    /// A placeholder for `text`: kept as written, never re-parsed.
    fn placeholder(&mut self, text: &str) -> String {
        self.placeholders.push(text.to_owned());
        format!("{OPEN}{}{CLOSE}", self.placeholders.len() - 1)
    }

    /// The text a placeholder-marked string stands for, for messages.
    fn readable(&self, text: &str) -> String {
        unmark_text(text, &self.placeholders)
    }

    /// Counts produced output against [`MAX_OUTPUT`].
    fn spend(&mut self, path: &[String], amount: usize) -> Result<(), Stop> {
        if self.exhausted {
            return Err(Stop::Error);
        }
        self.produced = self.produced.saturating_add(amount);
        if self.produced > MAX_OUTPUT {
            self.exhausted = true;
            return Err(self.report(diagnostic::variable_too_large(self.at(path), MAX_OUTPUT)));
        }
        Ok(())
    }

    /// Enters one more level of recursion, within [`MAX_DEPTH`].
    fn enter(&mut self, path: &[String]) -> Result<(), Stop> {
        if self.depth >= MAX_DEPTH {
            return Err(self.report(diagnostic::variable_too_deep(self.at(path), MAX_DEPTH)));
        }
        self.depth += 1;
        Ok(())
    }

    /// Resolves the property at `path`, and then the variables its value
    /// brought in. `Err` when it failed (its error is already reported).
    fn resolve_property(&mut self, path: &Path) -> Result<(), Stop> {
        let (mut depth, mut segments) = match self.props.get(path) {
            None => return Ok(()),
            Some(Prop::Pending { depth, segments }) => (*depth, segments.clone()),
            Some(Prop::InProgress | Prop::Failed) => return Err(Stop::Error),
        };
        self.enter(path)?;
        self.props.insert(path.clone(), Prop::InProgress);
        let outcome = self.resolve_property_value(path, &mut depth, &mut segments);
        self.depth -= 1;
        match outcome {
            Ok(subproperties) => {
                self.props.remove(path);
                for sub in subproperties {
                    let _ = self.resolve_property(&sub);
                }
                Ok(())
            }
            Err(stop) => {
                self.props.insert(path.clone(), Prop::Failed);
                Err(stop)
            }
        }
    }

    /// The loop of [`Self::resolve_property`]: resolves, and re-resolves
    /// while the value is a string that holds more variables. Returns the
    /// properties inside an object or list value that hold variables.
    fn resolve_property_value(
        &mut self,
        path: &Path,
        depth: &mut usize,
        segments: &mut Option<Vec<String>>,
    ) -> Result<Vec<Path>, Stop> {
        loop {
            let Some(Value::String(text)) = lookup(self.config, path).cloned() else { return Ok(Vec::new()) };
            let parsed = match segments.take() {
                Some(parts) => parse_segments(&parts),
                None => parse::parse(&text),
            };
            let pieces = match parsed {
                Ok(Some(pieces)) => pieces,
                Ok(None) => return Ok(Vec::new()),
                Err(error) => {
                    let text = self.readable(&text);
                    return Err(self.report(parse_diagnostic(self.at(path), &text, error)));
                }
            };
            let resolved = self.resolve_pieces(path, &text, &pieces)?;
            match resolved.value {
                Value::String(value) => {
                    let more = match &resolved.segments {
                        Some(parts) => parse_segments(parts),
                        None => parse::parse(&value),
                    };
                    set(self.config, path, Value::String(value.clone()));
                    match more {
                        Ok(None) => return Ok(Vec::new()),
                        Ok(Some(_)) => {
                            *depth += 1;
                            if *depth > MAX_NEST {
                                return Err(self.report(diagnostic::variable_too_deep(self.at(path), MAX_NEST)));
                            }
                            *segments = resolved.segments;
                        }
                        Err(error) => {
                            let text = self.readable(&value);
                            return Err(self.report(parse_diagnostic(self.at(path), &text, error)));
                        }
                    }
                }
                value @ (Value::Object(_) | Value::Array(_)) => {
                    let mut subproperties = Vec::new();
                    let mut failed = Vec::new();
                    for (sub, outcome) in variable_strings(&value, path) {
                        match outcome {
                            Ok(()) => subproperties.push(sub),
                            Err((text, error)) => failed.push((sub, text, error)),
                        }
                    }
                    set(self.config, path, value);
                    if (!subproperties.is_empty() || !failed.is_empty()) && *depth + 1 > MAX_NEST {
                        return Err(self.report(diagnostic::variable_too_deep(self.at(path), MAX_NEST)));
                    }
                    for (sub, text, error) in failed {
                        let text = self.readable(&text);
                        self.diagnostics.push(parse_diagnostic(self.at(&sub), &text, error));
                        self.props.insert(sub, Prop::Failed);
                    }
                    for sub in &subproperties {
                        self.props.insert(sub.clone(), Prop::Pending { depth: *depth + 1, segments: None });
                    }
                    return Ok(subproperties);
                }
                value => {
                    set(self.config, path, value);
                    return Ok(Vec::new());
                }
            }
        }
    }

    /// Resolves the pieces of `text`: the value of a whole-value variable,
    /// or the joined text.
    fn resolve_pieces(&mut self, path: &Path, text: &str, pieces: &[Piece]) -> Result<Resolved, Stop> {
        let mut values = Vec::with_capacity(pieces.len());
        for piece in pieces {
            let raw = text.get(piece.start..piece.end).unwrap_or_default();
            let value = match &piece.kind {
                PieceKind::Escape(fixed) => Value::String(fixed.clone()),
                PieceKind::Variable(sources) => match self.resolve_variable(path, raw, sources) {
                    Ok(value) => value,
                    Err(Stop::Offline) => Value::String(self.placeholder(raw)),
                    Err(Stop::Error) => return Err(Stop::Error),
                },
            };
            values.push(value);
        }
        if let ([piece], [value]) = (pieces, &values[..])
            && piece.whole
        {
            return Ok(Resolved { value: value.clone(), segments: None });
        }
        let mut segments = Vec::with_capacity(pieces.len() * 2 + 1);
        let mut last = 0;
        for (piece, value) in pieces.iter().zip(&values) {
            let Some(joined) = coerce_string(value) else {
                let raw = self.readable(text.get(piece.start..piece.end).unwrap_or_default());
                return Err(self.report(diagnostic::variable_not_string(self.at(path), &raw, value)));
            };
            segments.push(text.get(last..piece.start).unwrap_or_default().to_owned());
            segments.push(joined);
            last = piece.end;
        }
        segments.push(text.get(last..).unwrap_or_default().to_owned());
        let value: String = segments.concat();
        self.spend(path, value.len())?;
        Ok(Resolved { value: Value::String(value), segments: Some(segments) })
    }

    /// Resolves one variable: the first source with a value wins.
    fn resolve_variable(&mut self, path: &Path, raw: &str, sources: &[Source]) -> Result<Value, Stop> {
        let mut last_kind = "";
        let mut detail = None;
        for source in sources {
            match source {
                Source::Literal(value) => return Ok(value.clone()),
                Source::Typed { kind, params, address } => {
                    let (value, eventual) =
                        self.resolve_source(path, raw, kind, params.as_deref(), address.as_ref())?;
                    if !value.is_null() {
                        return Ok(value);
                    }
                    last_kind = kind;
                    detail = eventual;
                }
            }
        }
        let detail = detail.unwrap_or_else(|| format!("value not found at \"{last_kind}\" source"));
        let raw = self.readable(raw);
        Err(self.report(diagnostic::variable_not_found(self.at(path), &raw, &detail)))
    }

    /// Resolves a param or an address: its variables, then whatever they
    /// resolved to, at most [`MAX_NEST`] times over.
    fn resolve_meta(&mut self, path: &Path, meta: &Meta) -> Result<Value, Stop> {
        let Some(pieces) = &meta.pieces else { return Ok(meta.value.clone()) };
        let text = meta.value.as_str().unwrap_or_default();
        self.enter(path)?;
        let outcome = self.resolve_pieces(path, text, pieces).and_then(|r| self.resolve_internal(path, r, MAX_NEST));
        self.depth -= 1;
        outcome
    }

    /// Resolves the variables a resolved param or address brought in.
    fn resolve_internal(&mut self, path: &Path, resolved: Resolved, nest: usize) -> Result<Value, Stop> {
        if nest == 0 {
            return Err(self.report(diagnostic::variable_too_deep(self.at(path), MAX_NEST)));
        }
        match resolved.value {
            Value::String(text) => {
                let parsed = match &resolved.segments {
                    Some(parts) => parse_segments(parts),
                    None => parse::parse(&text),
                };
                match parsed {
                    Ok(None) => Ok(Value::String(text)),
                    Ok(Some(pieces)) => {
                        let next = self.resolve_pieces(path, &text, &pieces)?;
                        self.resolve_internal(path, next, nest - 1)
                    }
                    Err(error) => {
                        let text = self.readable(&text);
                        Err(self.report(parse_diagnostic(self.at(path), &text, error)))
                    }
                }
            }
            mut value @ (Value::Object(_) | Value::Array(_)) => {
                let found = variable_strings(&value, &Vec::new());
                for (sub, outcome) in found {
                    if let Err((text, error)) = outcome {
                        let text = self.readable(&text);
                        return Err(self.report(parse_diagnostic(self.at(path), &text, error)));
                    }
                    let Some(Value::String(text)) = lookup(&value, &sub).cloned() else { continue };
                    let Ok(Some(pieces)) = parse::parse(&text) else { continue };
                    let next = self.resolve_pieces(path, &text, &pieces)?;
                    let resolved = self.resolve_internal(path, next, nest - 1)?;
                    set(&mut value, &sub, resolved);
                }
                Ok(value)
            }
            value => Ok(value),
        }
    }

    /// Resolves one typed source. Returns its value (`null` for none) and,
    /// for `param:`, what to say when nothing else has a value either.
    fn resolve_source(
        &mut self,
        path: &Path,
        raw: &str,
        kind: &str,
        params: Option<&[Meta]>,
        address: Option<&Meta>,
    ) -> Result<(Value, Option<String>), Stop> {
        if !BUILT_IN.contains(&kind) && !AWS_SOURCES.contains(&kind) {
            return Err(self.unknown_source(path, raw, kind));
        }
        let params = match params {
            Some(params) => {
                Some(params.iter().map(|meta| self.resolve_meta(path, meta)).collect::<Result<Vec<_>, _>>()?)
            }
            None => None,
        };
        let address = match address {
            Some(meta) => self.resolve_meta(path, meta)?,
            None => Value::Null,
        };
        if params.iter().flatten().any(has_marker) || has_marker(&address) {
            // It depends on something only the deploy machine knows.
            return Err(Stop::Offline);
        }
        let first = params.as_ref().and_then(|p| p.first()).cloned().unwrap_or(Value::Null);
        let value = match kind {
            "self" => self.self_source(path, raw, &address)?,
            "opt" => self.opt_source(&address),
            "sls" => self.sls_source(path, raw, &address)?,
            "aws" => self.aws_source(path, raw, &address)?,
            "env" => {
                let name = self.address_text(path, raw, "env", &address)?;
                self.ctx.env.get(&name).map_or(Value::Null, |v| Value::String(v.clone()))
            }
            "param" => return self.param_source(path, raw, &address),
            "strToBool" => self.str_to_bool(path, raw, &first)?,
            "file" => self.file_source(path, raw, &first, &address)?,
            _ => {
                let raw = self.readable(raw);
                let why = format!("`{kind}:` reads from AWS at deploy time");
                self.diagnostics.push(diagnostic::variable_unresolved_offline(self.at(path), &raw, &why));
                return Err(Stop::Offline);
            }
        };
        Ok((value, None))
    }

    fn unknown_source(&mut self, path: &Path, raw: &str, kind: &str) -> Stop {
        let raw = self.readable(raw);
        if let Some((_, why)) = KNOWN_PLUGIN_SOURCES.iter().find(|(name, _)| *name == kind) {
            self.diagnostics.push(diagnostic::variable_unresolved_offline(self.at(path), &raw, why));
            return Stop::Offline;
        }
        let suggestion = crate::suggest::did_you_mean(kind, BUILT_IN.iter().chain(&AWS_SOURCES).copied());
        if self.plugins {
            self.diagnostics.push(diagnostic::variable_plugin_source(self.at(path), kind, suggestion));
            return Stop::Offline;
        }
        self.report(diagnostic::variable_unknown_source(self.at(path), kind, suggestion))
    }

    fn source_error(&mut self, path: &Path, raw: &str, detail: &str) -> Stop {
        let raw = self.readable(raw);
        self.report(diagnostic::variable_source_error(self.at(path), &raw, detail))
    }

    /// The address as text; an error when it is missing or an object.
    fn address_text(&mut self, path: &Path, raw: &str, kind: &str, address: &Value) -> Result<String, Stop> {
        match coerce_string(address) {
            Some(text) if !text.is_empty() => Ok(text),
            Some(_) | None if address.is_null() || address.as_str() == Some("") => {
                Err(self.source_error(path, raw, &format!("missing address argument in variable \"{kind}\" source")))
            }
            _ => {
                Err(self.source_error(path, raw, &format!("non-string address argument in variable \"{kind}\" source")))
            }
        }
    }

    /// `self:` — a property of the configuration, resolved first.
    fn self_source(&mut self, path: &Path, raw: &str, address: &Value) -> Result<Value, Stop> {
        let keys: Path = match address {
            Value::Null => Vec::new(),
            Value::String(text) if text.is_empty() => Vec::new(),
            Value::String(text) => text.split('.').map(str::to_owned).collect(),
            _ => return Err(self.source_error(path, raw, "the address of \"self\" must be text")),
        };
        let value = self.dependency(path, &keys)?;
        self.spend(path, size(&value))?;
        Ok(value)
    }

    /// The configuration at `keys`, once every variable it depends on is
    /// resolved; `null` when there is nothing there.
    fn dependency(&mut self, path: &Path, keys: &[String]) -> Result<Value, Stop> {
        for end in 1..=keys.len() {
            if js_get(self.config, &keys[..end - 1]).is_none_or(|parent| parent.is_null()) {
                return Ok(Value::Null);
            }
            let dep = keys[..end].to_vec();
            self.depend(path, &dep)?;
        }
        let Some(value) = js_get(self.config, keys) else { return Ok(Value::Null) };
        if !matches!(*value, Value::Object(_) | Value::Array(_)) {
            return Ok(value.into_owned());
        }
        let inside: Vec<Path> = self
            .props
            .range(keys.to_vec()..)
            .take_while(|(p, _)| p.starts_with(keys))
            .map(|(p, _)| p.clone())
            .collect();
        if inside.is_empty() {
            return Ok(value.into_owned());
        }
        for dep in &inside {
            self.depend(path, dep)?;
        }
        Ok(js_get(self.config, keys).map_or(Value::Null, Cow::into_owned))
    }

    /// Resolves `dep` for `path`: a cycle when `dep` is being resolved.
    fn depend(&mut self, path: &Path, dep: &Path) -> Result<(), Stop> {
        match self.props.get(dep) {
            None => Ok(()),
            Some(Prop::Failed) => Err(Stop::Error),
            Some(Prop::InProgress) => Err(self.report(diagnostic::variable_circular(self.at(path), &self.at(dep)))),
            Some(Prop::Pending { .. }) => self.resolve_property(dep),
        }
    }

    /// `opt:` — only `--stage` and `--region` exist offline.
    fn opt_source(&self, address: &Value) -> Value {
        let option = |value: &Option<String>| value.clone().map_or(Value::Null, Value::String);
        match coerce_string(address).as_deref() {
            None | Some("") => {
                let mut options = serde_json::Map::new();
                for (name, value) in [("stage", &self.ctx.stage), ("region", &self.ctx.region)] {
                    if let Some(value) = value {
                        options.insert(name.to_owned(), Value::String(value.clone()));
                    }
                }
                Value::Object(options)
            }
            Some("stage") => option(&self.ctx.stage),
            Some("region") => option(&self.ctx.region),
            Some(_) => Value::Null,
        }
    }

    /// `--stage`, else `provider.stage`, else `dev` (v3: a falsy value falls through).
    fn stage(&mut self, path: &Path) -> Result<Value, Stop> {
        self.option_or_provider(path, self.ctx.stage.clone(), "stage", "dev")
    }

    fn option_or_provider(
        &mut self,
        path: &Path,
        option: Option<String>,
        key: &str,
        default: &str,
    ) -> Result<Value, Stop> {
        if let Some(value) = option.filter(|v| !v.is_empty()) {
            return Ok(Value::String(value));
        }
        let configured = self.dependency(path, &["provider".to_owned(), key.to_owned()])?;
        Ok(if crate::js::truthy(&configured) { configured } else { Value::String(default.to_owned()) })
    }

    /// `sls:stage` and `sls:instanceId`.
    fn sls_source(&mut self, path: &Path, raw: &str, address: &Value) -> Result<Value, Stop> {
        match self.address_text(path, raw, "sls", address)?.as_str() {
            "stage" => self.stage(path),
            "instanceId" => {
                self.diagnostics.push(diagnostic::variable_instance_id(self.at(path), INSTANCE_ID));
                Ok(Value::String(INSTANCE_ID.to_owned()))
            }
            other => Err(self.source_error(
                path,
                raw,
                &format!("unsupported \"{other}\" address argument in variable \"sls\" source"),
            )),
        }
    }

    /// `aws:region`; `aws:accountId` needs AWS.
    fn aws_source(&mut self, path: &Path, raw: &str, address: &Value) -> Result<Value, Stop> {
        match self.address_text(path, raw, "aws", address)?.as_str() {
            "region" => self.option_or_provider(path, self.ctx.region.clone(), "region", "us-east-1"),
            "accountId" => {
                let raw = self.readable(raw);
                let why = "the account ID comes from AWS STS at deploy time";
                self.diagnostics.push(diagnostic::variable_unresolved_offline(self.at(path), &raw, why));
                Err(Stop::Offline)
            }
            other => Err(self.source_error(
                path,
                raw,
                &format!("unsupported \"{other}\" address argument in variable \"aws\" source"),
            )),
        }
    }

    /// `param:` — given params, then `params.<stage>`, then `params.default`.
    fn param_source(&mut self, path: &Path, raw: &str, address: &Value) -> Result<(Value, Option<String>), Stop> {
        let name = self.address_text(path, raw, "param", address)?;
        if let Some(value) = self.ctx.params.get(&name) {
            return Ok((Value::String(value.clone()), None));
        }
        let stage = self.stage(path)?;
        let stage = coerce_string(&stage).unwrap_or_default();
        for group in [stage.as_str(), "default"] {
            let keys = ["params".to_owned(), group.to_owned(), name.clone()];
            let value = self.dependency(path, &keys)?;
            if !value.is_null() {
                return Ok((value, None));
            }
        }
        let eventual = format!("the param \"{name}\" cannot be resolved from CLI options or stage params");
        Ok((Value::Null, Some(eventual)))
    }

    /// `strToBool(…)`: `true`/`1` and `false`/`0`, trimmed, in any case.
    fn str_to_bool(&mut self, path: &Path, raw: &str, input: &Value) -> Result<Value, Stop> {
        if input.is_null() {
            return Err(self.source_error(path, raw, "missing \"strToBool\" input"));
        }
        let Some(text) = coerce_string(input) else {
            return Err(self.source_error(path, raw, "non-string \"strToBool\" input"));
        };
        match text.trim().to_lowercase().as_str() {
            "true" | "1" => Ok(Value::Bool(true)),
            "false" | "0" => Ok(Value::Bool(false)),
            _ => Err(self.source_error(
                path,
                raw,
                &format!(
                    "invalid \"strToBool\" input: expected either \"true\", \"false\", \"0\", or \"1\", received {text}"
                ),
            )),
        }
    }

    /// `file(path):address` over the files in the [`Context`].
    fn file_source(&mut self, path: &Path, raw: &str, file: &Value, address: &Value) -> Result<Value, Stop> {
        if !crate::js::truthy(file) {
            return Err(self.source_error(path, raw, "missing path argument in variable \"file\" source"));
        }
        let Some(file) = coerce_string(file) else {
            return Err(self.source_error(path, raw, "non-string path argument in variable \"file\" source"));
        };
        let address = match address {
            Value::Null => None,
            other => match coerce_string(other) {
                Some(text) => Some(text),
                None => {
                    return Err(self.source_error(
                        path,
                        raw,
                        "non-string address argument in variable \"file\" source",
                    ));
                }
            },
        };
        let name = normalise_file_path(&file);
        let content = match extension(&name) {
            ".js" | ".cjs" => {
                let raw = self.readable(raw);
                let why = "a JavaScript file runs only under the Framework";
                self.diagnostics.push(diagnostic::variable_unresolved_offline(self.at(path), &raw, why));
                return Err(Stop::Offline);
            }
            extension => match self.file_content(&name, extension) {
                Ok(content) => content,
                Err(detail) => return Err(self.report(diagnostic::variable_file_parse(self.at(path), &file, &detail))),
            },
        };
        self.spend(path, size(&content))?;
        let Some(address) = address.filter(|a| !a.is_empty()) else { return Ok(content) };
        let mut result = content;
        for key in address.split('.') {
            if result.is_null() {
                break;
            }
            if let Value::String(text) = &result
                && let Ok(Some(pieces)) = parse::parse(text)
            {
                let text = text.clone();
                let resolved = self.resolve_pieces(path, &text, &pieces)?;
                result = self.resolve_internal(path, resolved, MAX_NEST)?;
            }
            result = js_index(&result, key).unwrap_or(Value::Null);
        }
        Ok(result)
    }

    /// A file's content as v3 reads it, `null` when the file is not given;
    /// `Err` with the parse error.
    fn file_content(&mut self, name: &str, extension: &str) -> Result<Value, String> {
        if let Some(cached) = self.files.get(name) {
            return cached.clone();
        }
        let text =
            self.ctx.files.iter().find(|(given, _)| normalise_file_path(given) == name).map(|(_, text)| text.as_str());
        let content = match (text, extension) {
            (None, _) => Ok(Value::Null),
            (Some(text), ".yml" | ".yaml") => crate::yaml::load(text).map(|source| source.value).map_err(|d| {
                let at = d.location.map(|l| format!(" (line {}, column {})", l.line, l.column)).unwrap_or_default();
                format!("{}{at}", d.message)
            }),
            (Some(text), ".json" | ".tfstate") => {
                serde_json::from_str(text).map_err(|error| format!("JSON parse error: {error}"))
            }
            (Some(text), _) => Ok(Value::String(text.to_owned())),
        };
        self.files.insert(name.to_owned(), content.clone());
        content
    }
}

#[cfg(test)]
mod tests;
