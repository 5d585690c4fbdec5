//! Text helpers of the check: spans of a text (byte offsets, lines and
//! columns), lines, and values shortened for one-line messages.

use serde::Serialize;

/// A region of a text: byte offsets and 1-based line/column (columns count
/// characters; the end is exclusive: the position just after the region).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub line: usize,
    pub col: usize,
    pub end_line: usize,
    pub end_col: usize,
}

impl Span {
    /// The span of bytes `start..end` of `text`, trailing whitespace trimmed
    /// (a block node's span often ends after its last newline).
    pub fn new(text: &str, start: usize, end: usize) -> Span {
        let start = start.min(text.len());
        let mut end = end.clamp(start, text.len());
        while end > start && text.as_bytes()[end - 1].is_ascii_whitespace() {
            end -= 1;
        }
        let (line, col) = crate::ypath::line_col(text, start);
        let (end_line, end_col) = crate::ypath::line_col(text, end);
        Span {
            start,
            end,
            line,
            col,
            end_line,
            end_col,
        }
    }

    /// The start of a file (for a file that does not exist).
    pub fn file_start() -> Span {
        Span {
            start: 0,
            end: 0,
            line: 1,
            col: 1,
            end_line: 1,
            end_col: 1,
        }
    }

    /// The whole 1-based line `line` of `text`, without its newline and
    /// without its indentation.
    pub fn line(text: &str, line: usize) -> Span {
        let (s, e) = line_bounds(text, line);
        let indent = text[s..e].len() - text[s..e].trim_start().len();
        Span::new(text, s + indent, e)
    }
}

/// Byte bounds `(start, end)` of 1-based line `line` (without its newline);
/// past the end, an empty span at the end of the text.
pub fn line_bounds(text: &str, line: usize) -> (usize, usize) {
    let mut start = 0;
    for _ in 1..line {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return (text.len(), text.len()),
        }
    }
    let end = text[start..].find('\n').map(|i| start + i).unwrap_or(text.len());
    (start, end)
}

/// The span of content line `i` (0-based) of the literal block scalar whose
/// node spans `node` in `text`: the block's first content line is the line
/// after the `|` header. `None` when the node is not a literal block (a
/// quoted, plain or folded string has no line-for-line layout).
pub fn block_line_span(text: &str, node: (usize, usize), i: usize) -> Option<Span> {
    let (s, e) = node;
    if !text.get(s..)?.starts_with('|') {
        return None;
    }
    let (header_line, _) = crate::ypath::line_col(text, s);
    let line = header_line + 1 + i;
    let (ls, _) = line_bounds(text, line);
    if ls > e.max(s) || ls >= text.len() {
        return None;
    }
    Some(Span::line(text, line))
}

/// A value as compact one-line YAML (flow style), for messages.
pub fn compact(v: &yaml_serde::Value) -> String {
    use yaml_serde::Value as Y;
    match v {
        Y::Null => "null".into(),
        Y::Bool(b) => b.to_string(),
        Y::Number(n) => n.to_string(),
        Y::String(s) => {
            // Raw when it reads back as the same string; quoted when it would
            // read as something else (`"5"`, `"true"`, `""`).
            let raw_ok = !s.is_empty()
                && !s.contains(['\n', '"'])
                && s.trim() == s
                && yaml_serde::from_str::<Y>(s).ok().as_ref() == Some(v);
            if raw_ok {
                s.clone()
            } else {
                serde_json::to_string(s).expect("string serializes")
            }
        }
        Y::Sequence(items) => format!("[{}]", items.iter().map(compact).collect::<Vec<_>>().join(", ")),
        Y::Mapping(m) => {
            if m.is_empty() {
                return "{}".into();
            }
            let parts: Vec<String> = m
                .iter()
                .map(|(k, v)| format!("{}: {}", compact(k), compact(v)))
                .collect();
            format!("{{ {} }}", parts.join(", "))
        }
        Y::Tagged(t) => format!("{} {}", t.tag, compact(&t.value)),
    }
}

/// Shortens a compact value for a one-line message.
pub fn short(s: &str) -> String {
    const MAX: usize = 60;
    if s.chars().count() <= MAX {
        s.to_string()
    } else {
        let cut: String = s.chars().take(MAX - 1).collect();
        format!("{cut}…")
    }
}

/// Both values shortened for a one-line message, around their first
/// difference: `…--release --locked…` against `…--locked…`.
pub fn contrast(e: &str, g: &str) -> (String, String) {
    const MAX: usize = 60;
    const CONTEXT: usize = 16;
    let (ec, gc): (Vec<char>, Vec<char>) = (e.chars().collect(), g.chars().collect());
    if ec.len() <= MAX && gc.len() <= MAX {
        return (e.to_string(), g.to_string());
    }
    let prefix = ec.iter().zip(&gc).take_while(|(a, b)| a == b).count();
    let max_suffix = ec.len().min(gc.len()) - prefix;
    let suffix = ec
        .iter()
        .rev()
        .zip(gc.iter().rev())
        .take(max_suffix)
        .take_while(|(a, b)| a == b)
        .count();
    let window = |cs: &[char]| -> String {
        let start = prefix.saturating_sub(CONTEXT);
        let end = (cs.len() - suffix + CONTEXT).min(cs.len());
        let end = end.min(start + MAX).max(start);
        let mut out = String::new();
        if start > 0 {
            out.push('…');
        }
        out.extend(&cs[start..end]);
        if end < cs.len() {
            out.push('…');
        }
        out
    };
    (window(&ec), window(&gc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contrast_shows_the_difference() {
        let e = "cargo build --release --locked --package opsml-server --features server --target x";
        let g = "cargo build --locked --package opsml-server --features server --target x";
        let (a, b) = contrast(e, g);
        assert!(a.contains("--release") && !b.contains("--release"), "{a} / {b}");
        assert_eq!(contrast("a", "b"), ("a".into(), "b".into()));
        let long = "x".repeat(100);
        let (a, b) = contrast(&format!("{long}1"), &format!("{long}2"));
        assert!(a.ends_with('1') && b.ends_with('2') && a.starts_with('…'), "{a} / {b}");
    }

    #[test]
    fn spans_trim_and_count_lines() {
        let t = "a:\n  b: c\n";
        let s = Span::new(t, 3, t.len());
        assert_eq!((s.line, s.col, s.end_line, s.end_col), (2, 1, 2, 7));
        let l = Span::line(t, 2);
        assert_eq!(&t[l.start..l.end], "b: c");
        assert_eq!((l.line, l.col), (2, 3));
        assert_eq!(line_bounds(t, 5), (t.len(), t.len()));
    }

    #[test]
    fn compact_values() {
        let v: yaml_serde::Value = yaml_serde::from_str("{a: [1, 'x y'], b: {}}").unwrap();
        assert_eq!(compact(&v), "{ a: [1, x y], b: {} }");
        let v: yaml_serde::Value = yaml_serde::from_str("['5', 'true', '', 'a: b']").unwrap();
        assert_eq!(compact(&v), r#"["5", "true", "", "a: b"]"#);
        assert_eq!(short(&"x".repeat(100)).chars().count(), 60);
    }

    #[test]
    fn block_lines_map_one_to_one() {
        let t = "jobs:\n  a:\n    run: |\n      echo one\n\n      echo three\n    x: 1\n";
        let s = t.find('|').unwrap();
        let e = t.find("    x:").unwrap();
        let l = block_line_span(t, (s, e), 0).unwrap();
        assert_eq!((l.line, l.col), (4, 7));
        assert_eq!(&t[l.start..l.end], "echo one");
        let l = block_line_span(t, (s, e), 2).unwrap();
        assert_eq!((l.line, &t[l.start..l.end]), (6, "echo three"));
        assert!(block_line_span(t, (t.find("one").unwrap(), e), 0).is_none());
    }
}
