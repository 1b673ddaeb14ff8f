//! The variable syntax of Serverless Framework v3, as a state machine over the
//! characters of one string value.
//!
//! The grammar follows v3's `lib/configuration/variables/parse.js` fact for
//! fact: what counts as a variable (`${type:address}`, `${type(params)}`,
//! fallbacks after commas, quoted and bare literals), what is left alone
//! (`${AWS::Region}` and anything else whose type does not start with a
//! lowercase letter: a "foreign" `${…}`), backslash escapes (`\${`), and which
//! malformed input is an error rather than text.
//!
//! Positions are byte offsets into the parsed text; every recorded position
//! sits on an ASCII character, so slicing there is always valid.

use serde_json::Value;

/// Nested variables deeper than this are refused: each level costs the
/// resolver a few stack frames, and v3 itself gives up on values nested more
/// than 10 levels deep at resolution time.
pub(super) const MAX_NESTING: usize = 32;

/// What went wrong while parsing, in the words of v3's error codes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum ParseError {
    /// A fallback that is an unquoted word (`${opt:stage, dev}`).
    Literal(String),
    /// Any other malformed variable: what is wrong, in one phrase.
    Syntax(String),
    /// Variables nested deeper than [`MAX_NESTING`].
    TooDeep,
}

/// One piece of a string that resolution replaces.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Piece {
    /// Start of the replaced text.
    pub start: usize,
    /// End (exclusive) of the replaced text.
    pub end: usize,
    /// Whether this piece is the whole string, so its value keeps its type.
    pub whole: bool,
    /// What replaces it.
    pub kind: PieceKind,
}

/// What a [`Piece`] is.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum PieceKind {
    /// An escaped `\${` (or the backslashes before a variable): fixed text.
    Escape(String),
    /// A variable: its sources, first choice first.
    Variable(Vec<Source>),
}

/// One source of a variable: `type(params):address`, or a literal fallback.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Source {
    /// `'text'`, `"text"`, a number, `true`, `false` or `null`.
    Literal(Value),
    /// A typed source such as `self:custom.a` or `file(./a.yml):key`.
    Typed {
        /// `self`, `opt`, `file`, …
        kind: String,
        /// The parenthesised arguments, when there are parentheses.
        params: Option<Vec<Meta>>,
        /// What follows the colon, when there is one.
        address: Option<Meta>,
    },
}

/// A param or address: its text (or literal value) and the variables in it.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Meta {
    /// The trimmed text, or the literal a bare param stands for; `null` when empty.
    pub value: Value,
    /// Variables inside the text, positions relative to its start.
    pub pieces: Option<Vec<Piece>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Out,
    EscapeVar,
    EscapeVarDollar,
    MaybeVariableOpen,
    MaybeTypeStart,
    MaybeNextSourceStart,
    MaybeType,
    TypeOrSourceLiteral,
    ParamStart,
    Param,
    AfterParamString,
    MaybeAddressOpen,
    MaybeAddressStart,
    Address,
    AfterAddressString,
    AfterSourceLiteralString,
    Foreign,
    EscapeString,
    DoubleQuotedString,
    SingleQuotedString,
}

/// A piece before its nested lists are assembled: lists live in an arena,
/// since an enclosing context and the parser share them while parsing.
struct RawPiece {
    start: usize,
    end: usize,
    kind: RawKind,
}

enum RawKind {
    Escape(String),
    Variable(Vec<RawSource>),
}

enum RawSource {
    Literal(Value),
    Typed { kind: String, params: Option<Vec<RawMeta>>, address: Option<RawMeta> },
}

struct RawMeta {
    value: Value,
    list: Option<usize>,
}

/// What an enclosing context was doing when a nested `${` opened.
struct Context {
    state: State,
    variable_start: usize,
    context_start: usize,
    variables: Option<usize>,
    context_variables: Option<usize>,
    current: Option<RawSource>,
    sources: Option<Vec<RawSource>>,
}

struct Parser<'t> {
    text: &'t str,
    index: usize,
    state: State,
    string_context: State,
    lists: Vec<Vec<RawPiece>>,
    variables: Option<usize>,
    sources: Option<Vec<RawSource>>,
    contexts: Vec<Context>,
    current: Option<RawSource>,
    context_start: usize,
    context_variables: Option<usize>,
    escape_start: Option<usize>,
    variable_start: usize,
    source_start: usize,
    param_start: usize,
    address_start: usize,
}

fn is_alpha(c: char) -> bool {
    c.is_ascii_lowercase()
}

fn is_alphanumeric(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '.' || c == '-'
}

/// `^[a-z][a-zA-Z0-9]*$`: the only shape a source type may have.
pub(super) fn is_type(text: &str) -> bool {
    let mut chars = text.chars();
    chars.next().is_some_and(is_alpha) && chars.all(|c| c.is_ascii_alphanumeric())
}

/// Parses one string. `Ok(None)` when it holds no variable or escape.
pub(super) fn parse(text: &str) -> Result<Option<Vec<Piece>>, ParseError> {
    let mut parser = Parser {
        text,
        index: 0,
        state: State::Out,
        string_context: State::Out,
        lists: Vec::new(),
        variables: None,
        sources: None,
        contexts: Vec::new(),
        current: None,
        context_start: 0,
        context_variables: None,
        escape_start: None,
        variable_start: 0,
        source_start: 0,
        param_start: 0,
        address_start: 0,
    };
    for (index, c) in text.char_indices() {
        parser.index = index;
        parser.step(c)?;
    }
    if parser.current.is_some() || parser.sources.is_some() {
        return Err(ParseError::Syntax("missing closing bracket".into()));
    }
    let Some(list) = parser.variables else { return Ok(None) };
    let mut lists: Vec<Option<Vec<RawPiece>>> = parser.lists.into_iter().map(Some).collect();
    let pieces = assemble(&mut lists, list, text.len());
    Ok(if pieces.is_empty() { None } else { Some(pieces) })
}

/// Builds the tree of a list out of the arena. Nesting is bounded by
/// [`MAX_NESTING`], so the recursion is too.
fn assemble(lists: &mut [Option<Vec<RawPiece>>], list: usize, len: usize) -> Vec<Piece> {
    let raw = lists.get_mut(list).and_then(Option::take).unwrap_or_default();
    let count = raw.len();
    raw.into_iter()
        .map(|piece| {
            let whole = count == 1 && piece.start == 0 && piece.end == len;
            let kind = match piece.kind {
                RawKind::Escape(text) => PieceKind::Escape(text),
                RawKind::Variable(sources) => {
                    PieceKind::Variable(sources.into_iter().map(|s| assemble_source(lists, s)).collect())
                }
            };
            Piece { start: piece.start, end: piece.end, whole, kind }
        })
        .collect()
}

fn assemble_source(lists: &mut [Option<Vec<RawPiece>>], source: RawSource) -> Source {
    match source {
        RawSource::Literal(value) => Source::Literal(value),
        RawSource::Typed { kind, params, address } => Source::Typed {
            kind,
            params: params.map(|params| params.into_iter().map(|m| assemble_meta(lists, m)).collect()),
            address: address.map(|m| assemble_meta(lists, m)),
        },
    }
}

fn assemble_meta(lists: &mut [Option<Vec<RawPiece>>], meta: RawMeta) -> Meta {
    let len = meta.value.as_str().map_or(0, str::len);
    let pieces = meta.list.map(|list| assemble(lists, list, len)).filter(|p| !p.is_empty());
    Meta { value: meta.value, pieces }
}

fn syntax<T>(what: &str) -> Result<T, ParseError> {
    Err(ParseError::Syntax(what.to_owned()))
}

impl Parser<'_> {
    fn new_list(&mut self) -> usize {
        self.lists.push(Vec::new());
        self.lists.len() - 1
    }

    fn push_piece(&mut self, piece: RawPiece) {
        let list = match self.variables {
            Some(list) => list,
            None => {
                let list = self.new_list();
                self.variables = Some(list);
                list
            }
        };
        if let Some(list) = self.lists.get_mut(list) {
            list.push(piece);
        }
    }

    /// Whether some enclosing context is a variable being parsed (not a
    /// foreign `${…}`): there, malformed input is an error, not text.
    fn inside_variable(&self) -> bool {
        self.contexts.iter().any(|c| c.state != State::Foreign)
    }

    fn slice(&self, from: usize) -> &str {
        self.text.get(from..self.index).unwrap_or_default()
    }

    /// Backslashes before `${`: an odd count escapes it.
    fn escaped_dollar(&mut self, escape_start: usize) {
        let backslashes = self.index - 1 - escape_start;
        let text = format!("{}$", "\\".repeat(backslashes / 2));
        self.push_piece(RawPiece {
            start: escape_start - self.context_start,
            end: self.index - self.context_start,
            kind: RawKind::Escape(text),
        });
        self.escape_start = None;
    }

    /// An even count of backslashes before a variable: half of them stay.
    fn escaped_backslashes(&mut self, escape_start: usize) {
        let backslashes = self.index - 1 - escape_start;
        let text = "\\".repeat(backslashes.div_ceil(2));
        self.push_piece(RawPiece {
            start: escape_start - self.context_start,
            end: self.index - 1 - self.context_start,
            kind: RawKind::Escape(text),
        });
        self.escape_start = None;
    }

    fn register_context(&mut self, new_start: Option<usize>) -> Result<(), ParseError> {
        if self.contexts.len() >= MAX_NESTING {
            return Err(ParseError::TooDeep);
        }
        let new_start = new_start.unwrap_or(self.context_start);
        if self.variables.is_none() {
            self.variables = Some(self.new_list());
        }
        if new_start != 0 && self.context_variables.is_none() {
            self.context_variables = Some(self.new_list());
        }
        self.contexts.push(Context {
            state: self.state,
            variable_start: self.variable_start,
            context_start: self.context_start,
            variables: self.variables,
            context_variables: self.context_variables,
            current: self.current.take(),
            sources: self.sources.take(),
        });
        self.state = State::MaybeVariableOpen;
        self.variable_start = self.index;
        if new_start != 0 {
            self.context_start = new_start;
            self.variables = self.context_variables;
        }
        Ok(())
    }

    fn release_context(&mut self) {
        let Some(context) = self.contexts.pop() else {
            self.state = State::Out;
            return;
        };
        self.state = context.state;
        self.variable_start = context.variable_start;
        self.variables = context.variables;
        self.context_variables = context.context_variables;
        self.current = context.current;
        self.sources = context.sources;
        match self.state {
            State::Param => self.param_start = self.context_start,
            State::Address => self.address_start = self.context_start,
            _ => {}
        }
        self.context_start = context.context_start;
    }

    fn finalize_source(&mut self) {
        if let Some(source) = self.current.take() {
            self.sources.get_or_insert_with(Vec::new).push(source);
        }
        self.state = State::MaybeNextSourceStart;
    }

    fn finalize_variable(&mut self) {
        self.finalize_source();
        let sources = self.sources.take().unwrap_or_default();
        self.push_piece(RawPiece {
            start: self.variable_start - self.context_start,
            end: self.index + 1 - self.context_start,
            kind: RawKind::Variable(sources),
        });
        self.release_context();
    }

    /// A meta for the text from `start` to here, with the variables found in it.
    fn meta(&self, start: usize, literal: bool) -> RawMeta {
        let text = self.slice(start).trim();
        let list = self.context_variables.filter(|l| self.lists.get(*l).is_some_and(|l| !l.is_empty()));
        let value = if text.is_empty() {
            Value::Null
        } else if literal && list.is_none() {
            // v3 keeps `value || null`: a falsy literal param (`0`, `false`) is no param.
            match literal_source(text) {
                Some(value) if crate::js::truthy(&value) => value,
                Some(_) => Value::Null,
                None => Value::String(text.to_owned()),
            }
        } else {
            Value::String(text.to_owned())
        };
        RawMeta { value, list }
    }

    /// A quoted string from `start` to here.
    fn string(&self, start: usize) -> Result<String, ParseError> {
        let raw = self.slice(start);
        if raw.starts_with('\'') {
            let trimmed = raw.trim();
            return Ok(trimmed.get(1..trimmed.len().saturating_sub(1)).unwrap_or_default().to_owned());
        }
        match serde_json::from_str::<Value>(raw.trim_end()) {
            Ok(Value::String(s)) => Ok(s),
            _ => syntax(&format!("invalid string literal {raw}")),
        }
    }

    fn add_param(&mut self, meta: RawMeta) {
        if let Some(RawSource::Typed { params: Some(params), .. }) = &mut self.current {
            params.push(meta);
        }
    }

    fn set_address(&mut self, meta: RawMeta) {
        if let Some(RawSource::Typed { address, .. }) = &mut self.current {
            *address = Some(meta);
        }
    }

    /// Starts a typed source; after a comma (`checked`) the type must have the shape of one.
    fn typed(&mut self, with_params: bool, checked: bool) -> Result<(), ParseError> {
        let kind = self.slice(self.source_start).to_owned();
        if checked && !is_type(&kind) {
            return syntax(&format!("invalid variable source `{kind}`"));
        }
        self.current = Some(RawSource::Typed { kind, params: with_params.then(Vec::new), address: None });
        self.state = if with_params { State::ParamStart } else { State::MaybeAddressStart };
        Ok(())
    }

    fn step(&mut self, c: char) -> Result<(), ParseError> {
        let index = self.index;
        match self.state {
            State::Out => match c {
                '\\' => {
                    self.escape_start.get_or_insert(index);
                    self.state = State::EscapeVar;
                }
                '$' => {
                    self.variable_start = index;
                    self.state = State::MaybeVariableOpen;
                }
                _ => self.escape_start = None,
            },
            State::EscapeVar => {
                if c == '$' {
                    self.state = State::EscapeVarDollar;
                } else {
                    if c != '\\' {
                        self.escape_start = None;
                    }
                    self.state = State::Out;
                }
            }
            State::EscapeVarDollar => match (c, self.escape_start) {
                ('{', Some(start)) => {
                    self.escaped_dollar(start);
                    self.state = State::Out;
                }
                _ => {
                    self.escape_start = None;
                    match c {
                        '\\' => {
                            self.escape_start = Some(index);
                            self.state = State::EscapeVar;
                        }
                        '$' => {
                            self.variable_start = index;
                            self.state = State::MaybeVariableOpen;
                        }
                        _ => self.state = State::Out,
                    }
                }
            },
            State::MaybeVariableOpen => {
                if c == '{' {
                    if let Some(start) = self.escape_start {
                        self.escaped_backslashes(start);
                    }
                    self.state = State::MaybeTypeStart;
                } else {
                    self.escape_start = None;
                    // `$${` opens a variable at the first `$`, as in v3.
                    if c != '$' {
                        self.release_context();
                    }
                }
            }
            State::MaybeTypeStart => {
                if is_alpha(c) {
                    self.source_start = index;
                    self.state = State::MaybeType;
                } else if self.inside_variable() {
                    return syntax("invalid variable type");
                } else if c == '}' {
                    self.release_context();
                } else {
                    self.state = State::Foreign;
                    if c == '$' {
                        self.register_context(None)?;
                    }
                }
            }
            State::MaybeNextSourceStart => {
                if c == ' ' {
                    return Ok(());
                }
                self.source_start = index;
                if is_alphanumeric(c) {
                    self.state = State::TypeOrSourceLiteral;
                } else if c == '"' || c == '\'' {
                    self.string_context = State::AfterSourceLiteralString;
                    self.state = if c == '"' { State::DoubleQuotedString } else { State::SingleQuotedString };
                } else {
                    return syntax("invalid variable source (a fallback must be a source or a literal, not a `${…}`)");
                }
            }
            State::MaybeType => {
                if c == ':' {
                    self.typed(false, false)?;
                } else if c == '(' {
                    self.typed(true, false)?;
                } else if !is_alphanumeric(c) {
                    if self.inside_variable() {
                        return syntax("invalid variable type");
                    }
                    if c == '}' {
                        self.release_context();
                    } else {
                        self.state = State::Foreign;
                        if c == '$' {
                            self.register_context(None)?;
                        }
                    }
                }
            }
            State::TypeOrSourceLiteral => match c {
                ' ' => {}
                ':' => self.typed(false, true)?,
                '(' => self.typed(true, true)?,
                '}' => {
                    let literal = self.slice(self.source_start).trim();
                    let value = literal_source(literal).ok_or_else(|| ParseError::Literal(literal.to_owned()))?;
                    self.current = Some(RawSource::Literal(value));
                    self.finalize_variable();
                }
                _ if !is_alphanumeric(c) => return syntax("invalid variable source"),
                _ => {}
            },
            State::ParamStart => match c {
                ' ' => {}
                ')' => self.state = State::MaybeAddressOpen,
                ',' => self.add_param(RawMeta { value: Value::Null, list: None }),
                '}' => return syntax("invalid variable param"),
                _ => {
                    self.param_start = index;
                    if c == '"' || c == '\'' {
                        self.string_context = State::AfterParamString;
                        self.state = if c == '"' { State::DoubleQuotedString } else { State::SingleQuotedString };
                    } else {
                        self.state = State::Param;
                        self.context_variables = None;
                        if c == '$' {
                            self.register_context(Some(self.param_start))?;
                        }
                    }
                }
            },
            State::Param => match c {
                ')' | ',' => {
                    let meta = self.meta(self.param_start, true);
                    if c == ',' || !meta.value.is_null() || meta.list.is_some() {
                        self.add_param(meta);
                    }
                    self.state = if c == ')' { State::MaybeAddressOpen } else { State::ParamStart };
                }
                '}' => return syntax("invalid variable param"),
                '$' => self.register_context(Some(self.param_start))?,
                _ => {}
            },
            State::AfterParamString => match c {
                ' ' => {}
                ')' | ',' => {
                    let value = self.string(self.param_start)?;
                    self.add_param(RawMeta { value: Value::String(value), list: None });
                    self.state = if c == ')' { State::MaybeAddressOpen } else { State::ParamStart };
                }
                _ => return syntax("invalid variable param"),
            },
            State::MaybeAddressOpen => match c {
                ' ' => {}
                ':' => self.state = State::MaybeAddressStart,
                '}' => self.finalize_variable(),
                ',' => self.finalize_source(),
                _ => return syntax("invalid variable address"),
            },
            State::MaybeAddressStart => match c {
                ' ' => {}
                '}' => self.finalize_variable(),
                ',' => self.finalize_source(),
                _ => {
                    self.address_start = index;
                    if c == ':' {
                        let has_params = matches!(self.current, Some(RawSource::Typed { params: Some(_), .. }));
                        if !has_params && !self.inside_variable() {
                            self.current = None;
                            self.state = State::Foreign;
                        } else {
                            return syntax("invalid variable address");
                        }
                    } else if c == '"' || c == '\'' {
                        self.string_context = State::AfterAddressString;
                        self.state = if c == '"' { State::DoubleQuotedString } else { State::SingleQuotedString };
                    } else {
                        self.state = State::Address;
                        self.context_variables = None;
                        if c == '$' {
                            self.register_context(Some(self.address_start))?;
                        }
                    }
                }
            },
            State::Address => match c {
                '}' | ',' => {
                    let meta = self.meta(self.address_start, false);
                    self.set_address(meta);
                    if c == '}' {
                        self.finalize_variable();
                    } else {
                        self.finalize_source();
                    }
                }
                '$' => self.register_context(Some(self.address_start))?,
                _ => {}
            },
            State::AfterAddressString => match c {
                ' ' => {}
                '}' | ',' => {
                    let value = self.string(self.address_start)?;
                    self.set_address(RawMeta { value: Value::String(value), list: None });
                    if c == '}' {
                        self.finalize_variable();
                    } else {
                        self.finalize_source();
                    }
                }
                _ => return syntax("invalid variable address"),
            },
            State::AfterSourceLiteralString => match c {
                ' ' => {}
                '}' => {
                    let value = self.string(self.source_start)?;
                    self.current = Some(RawSource::Literal(Value::String(value)));
                    self.finalize_variable();
                }
                _ => return syntax("invalid variable source"),
            },
            State::Foreign => match c {
                '}' => self.release_context(),
                '$' => self.register_context(None)?,
                _ => {}
            },
            State::EscapeString => self.state = State::DoubleQuotedString,
            State::DoubleQuotedString => match c {
                '"' => self.state = self.string_context,
                '\\' => self.state = State::EscapeString,
                _ => {}
            },
            State::SingleQuotedString => {
                if c == '\'' {
                    self.state = self.string_context;
                }
            }
        }
        Ok(())
    }
}

/// A bare literal: `true`, `false`, `null` or a number as JavaScript's
/// `Number()` reads it; `None` for anything else.
pub(super) fn literal_source(text: &str) -> Option<Value> {
    match text {
        "true" => Some(Value::Bool(true)),
        "false" => Some(Value::Bool(false)),
        "null" => Some(Value::Null),
        _ => js_number(text).map(number_value),
    }
}

/// A double as JSON: integral values as integers (so `5` prints as `5`),
/// and the infinities as `null`, as `JSON.stringify` writes them.
pub(super) fn number_value(number: f64) -> Value {
    if number.fract() == 0.0 && number.abs() < 9_007_199_254_740_992.0 {
        // Exact: the value is integral and within ±2^53.
        #[allow(clippy::cast_possible_truncation)]
        return Value::from(number as i64);
    }
    serde_json::Number::from_f64(number).map_or(Value::Null, Value::Number)
}

/// JavaScript's `Number(text)` for text already trimmed; `None` for `NaN`.
fn js_number(text: &str) -> Option<f64> {
    if text.is_empty() {
        return Some(0.0);
    }
    let radix = |prefix: &str, radix: u32| {
        let digits = text.get(2..)?;
        (text.get(..2)?.eq_ignore_ascii_case(prefix) && !digits.is_empty())
            .then(|| {
                digits.chars().try_fold(0f64, |n, c| c.to_digit(radix).map(|d| n * f64::from(radix) + f64::from(d)))
            })
            .flatten()
    };
    if let Some(n) = radix("0x", 16).or_else(|| radix("0o", 8)).or_else(|| radix("0b", 2)) {
        return Some(n);
    }
    let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
    let negative = text.starts_with('-');
    if unsigned == "Infinity" {
        return Some(if negative { f64::NEG_INFINITY } else { f64::INFINITY });
    }
    // Digits with at most one point and at least one digit, then an optional exponent.
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(at) => (&unsigned[..at], Some(&unsigned[at + 1..])),
        None => (unsigned, None),
    };
    let mantissa_ok = mantissa.chars().filter(|c| *c == '.').count() <= 1
        && mantissa.chars().any(|c| c.is_ascii_digit())
        && mantissa.chars().all(|c| c.is_ascii_digit() || c == '.');
    let exponent_ok = exponent.is_none_or(|e| {
        let digits = e.strip_prefix(['+', '-']).unwrap_or(e);
        !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit())
    });
    if !(mantissa_ok && exponent_ok) {
        return None;
    }
    text.parse::<f64>().ok()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    fn variable(text: &str) -> Vec<Source> {
        match parse(text) {
            Ok(Some(pieces)) => match &pieces[..] {
                [Piece { kind: PieceKind::Variable(sources), .. }] => sources.clone(),
                other => panic!("not one variable: {other:?}"),
            },
            other => panic!("not parsed: {other:?}"),
        }
    }

    fn typed(kind: &str, address: Option<&str>) -> Source {
        Source::Typed {
            kind: kind.into(),
            params: None,
            address: address.map(|a| Meta { value: json!(a), pieces: None }),
        }
    }

    #[test]
    fn a_whole_value_variable_is_marked_whole() {
        let pieces = parse("${self:custom.a}").unwrap().unwrap();
        assert!(pieces[0].whole);
        assert_eq!(variable("${self:custom.a}"), vec![typed("self", Some("custom.a"))]);
        let pieces = parse("x-${self:a}").unwrap().unwrap();
        assert!(!pieces[0].whole);
        assert_eq!((pieces[0].start, pieces[0].end), (2, 11));
    }

    #[test]
    fn fallbacks_and_literals() {
        assert_eq!(
            variable("${opt:stage, env:STAGE, 'a, b'}")[..2],
            [typed("opt", Some("stage")), typed("env", Some("STAGE"))]
        );
        // A literal ends the list.
        assert!(matches!(parse("${opt:x, 'a', env:B}"), Err(ParseError::Syntax(_))));
        assert_eq!(variable("${opt:x, 'a, b'}")[1], Source::Literal(json!("a, b")));
        assert_eq!(variable("${opt:x, \"q\\\"d\"}")[1], Source::Literal(json!("q\"d")));
        assert_eq!(variable("${opt:x, 5}")[1], Source::Literal(json!(5)));
        assert_eq!(variable("${opt:x, 1.5}")[1], Source::Literal(json!(1.5)));
        assert_eq!(variable("${opt:x, 0x10}")[1], Source::Literal(json!(16)));
        assert_eq!(variable("${opt:x, false}")[1], Source::Literal(json!(false)));
        assert_eq!(variable("${opt:x, null}")[1], Source::Literal(Value::Null));
    }

    #[test]
    fn an_unquoted_word_fallback_is_an_error() {
        assert_eq!(parse("${opt:stage, dev}"), Err(ParseError::Literal("dev".into())));
        assert_eq!(parse("${opt:stage, inf}"), Err(ParseError::Literal("inf".into())));
    }

    #[test]
    fn cloudformation_and_other_foreign_braces_are_left_alone() {
        assert_eq!(parse("${AWS::Region}"), Ok(None));
        assert_eq!(parse("arn:${AWS::Partition}:s3:::${Bucket}"), Ok(None));
        assert_eq!(parse("${word}"), Ok(None));
        assert_eq!(parse("$ {self:a}"), Ok(None));
        // A variable inside a foreign `${…}` is still a variable.
        let pieces = parse("${Foo-${self:a}}").unwrap().unwrap();
        assert_eq!((pieces[0].start, pieces[0].end), (6, 15));
    }

    #[test]
    fn escapes() {
        let pieces = parse("\\${self:a}").unwrap().unwrap();
        assert_eq!(pieces[0].kind, PieceKind::Escape("$".into()));
        assert_eq!((pieces[0].start, pieces[0].end), (0, 2));
        // Two backslashes: one stays, and the variable is real.
        let pieces = parse("\\\\${self:a}").unwrap().unwrap();
        assert_eq!(pieces[0].kind, PieceKind::Escape("\\".into()));
        assert!(matches!(pieces[1].kind, PieceKind::Variable(_)));
        let pieces = parse("\\\\\\${self:a}").unwrap().unwrap();
        assert_eq!(pieces[0].kind, PieceKind::Escape("\\$".into()));
    }

    #[test]
    fn nesting_in_addresses_and_params() {
        let sources = variable("${self:custom.${opt:stage}}");
        let Source::Typed { address: Some(Meta { value, pieces: Some(pieces) }), .. } = &sources[0] else {
            panic!("{sources:?}")
        };
        assert_eq!(value, &json!("custom.${opt:stage}"));
        assert_eq!((pieces[0].start, pieces[0].end), (7, 19));
        let sources = variable("${file(./c.${opt:stage, 'dev'}.json):K}");
        let Source::Typed { params: Some(params), address: Some(address), .. } = &sources[0] else {
            panic!("{sources:?}")
        };
        assert_eq!(params[0].value, json!("./c.${opt:stage, 'dev'}.json"));
        assert!(params[0].pieces.is_some());
        assert_eq!(address.value, json!("K"));
    }

    #[test]
    fn params_are_literals_or_text() {
        let sources = variable("${strToBool(1)}");
        let Source::Typed { params: Some(params), .. } = &sources[0] else { panic!() };
        assert_eq!(params[0].value, json!(1));
        let sources = variable("${cf(us-east-1, x):a.b}");
        let Source::Typed { params: Some(params), .. } = &sources[0] else { panic!() };
        assert_eq!(params.iter().map(|p| p.value.clone()).collect::<Vec<_>>(), [json!("us-east-1"), json!("x")]);
    }

    #[test]
    fn syntax_errors() {
        assert!(matches!(parse("${env:A, ${opt:b, 'x'}}"), Err(ParseError::Syntax(_))));
        assert!(matches!(parse("${self:a"), Err(ParseError::Syntax(_))));
        assert!(matches!(parse("${file(a}"), Err(ParseError::Syntax(_))));
        assert!(matches!(parse("${self:a.${AWS::Region}}"), Err(ParseError::Syntax(_))));
        assert!(matches!(parse("${self:a, }"), Err(ParseError::Syntax(_))));
    }

    #[test]
    fn deep_nesting_is_refused_not_recursed() {
        let deep = format!("{}x{}", "${self:".repeat(10_000), "}".repeat(10_000));
        assert_eq!(parse(&deep), Err(ParseError::TooDeep));
        let ok = format!("{}x{}", "${self:".repeat(MAX_NESTING), "}".repeat(MAX_NESTING));
        assert!(parse(&ok).is_ok());
    }

    #[test]
    fn numbers_follow_javascript() {
        assert_eq!(js_number("1e3"), Some(1000.0));
        assert_eq!(js_number(".5"), Some(0.5));
        assert_eq!(js_number("5."), Some(5.0));
        assert_eq!(js_number("-1"), Some(-1.0));
        assert_eq!(js_number("1-2"), None);
        assert_eq!(js_number("nan"), None);
        assert_eq!(js_number("infinity"), None);
        assert_eq!(js_number("e5"), None);
        assert_eq!(js_number("0x"), None);
        assert_eq!(literal_source("Infinity"), Some(Value::Null));
    }
}
