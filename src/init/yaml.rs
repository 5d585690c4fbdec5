//! The starter spec as text: YAML scalars that read back as the same string,
//! and lines with a trailing comment saying where a guessed value came from.

use std::sync::LazyLock;

use regex::Regex;

static PLAIN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[A-Za-z0-9_./][A-Za-z0-9_./@+ -]*$").expect("regex"));
static NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[-+]?(\.[0-9]|[0-9])[0-9_]*(\.[0-9_]*)?([eE][-+]?[0-9]+)?$").expect("regex"));

/// `s` as a YAML scalar: plain when YAML reads it back as the same string,
/// else double-quoted (a JSON string is a YAML string).
pub fn scalar(s: &str) -> String {
    let special = matches!(
        s.to_ascii_lowercase().as_str(),
        "y" | "n" | "yes" | "no" | "on" | "off" | "true" | "false" | "null" | "~" | ".inf" | ".nan"
    );
    if PLAIN.is_match(s)
        && !s.ends_with(' ')
        && !special
        && !NUMBER.is_match(s)
        && !s.starts_with("0x")
        && !s.starts_with("0o")
    {
        s.to_string()
    } else {
        serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
    }
}

/// A flow sequence of scalars: `[a, "b c"]`.
pub fn flow<S: AsRef<str>>(items: &[S]) -> String {
    let parts: Vec<String> = items.iter().map(|s| scalar(s.as_ref())).collect();
    format!("[{}]", parts.join(", "))
}

/// Comment text on one line: control characters become spaces; long texts
/// are cut.
pub fn comment_text(s: &str) -> String {
    let mut out: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if out.chars().count() > 200 {
        out = out.chars().take(197).collect::<String>() + "...";
    }
    out
}

/// The spec being written.
#[derive(Default)]
pub struct Doc {
    out: String,
}

impl Doc {
    /// A line of YAML at `indent` spaces, with `# why` after it when given.
    pub fn line(&mut self, indent: usize, yaml: &str, why: Option<&str>) {
        self.out.push_str(&" ".repeat(indent));
        self.out.push_str(yaml);
        if let Some(w) = why.map(comment_text).filter(|w| !w.is_empty()) {
            self.out.push_str("  # ");
            self.out.push_str(&w);
        }
        self.out.push('\n');
    }

    /// `key: value` with an optional comment.
    pub fn kv(&mut self, indent: usize, key: &str, value: &str, why: Option<&str>) {
        self.line(indent, &format!("{key}: {value}"), why);
    }

    /// A comment line of its own.
    pub fn comment(&mut self, indent: usize, text: &str) {
        let t = comment_text(text);
        self.out.push_str(&" ".repeat(indent));
        self.out.push('#');
        if !t.is_empty() {
            self.out.push(' ');
            self.out.push_str(&t);
        }
        self.out.push('\n');
    }

    pub fn finish(self) -> String {
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_read_back_as_strings() {
        for s in [
            "opsml",
            "3.10",
            "1",
            "{version}",
            "",
            "yes",
            "On",
            "-stable",
            "a b",
            "x: y",
            "#c",
            "0x1f",
            "1e3",
            ".5",
            "./cmd/x",
            "ghcr.io/a/b",
            "ab'c",
            "\"q\"",
            "make test",
            "a ",
            "a  #b",
            "1.7.0",
            "null",
            "~",
            "@x",
            "a\nb",
        ] {
            let y = format!("k: {}\n", scalar(s));
            let v: yaml_serde::Value = yaml_serde::from_str(&y).unwrap_or_else(|e| panic!("{y}: {e}"));
            assert_eq!(v.get("k").and_then(|v| v.as_str()), Some(s), "{y}");
        }
        let v: yaml_serde::Value = yaml_serde::from_str(&format!("k: {}\n", flow(&["a,b", "[x]", "3.12"]))).unwrap();
        assert_eq!(
            v.get("k")
                .unwrap()
                .as_sequence()
                .unwrap()
                .iter()
                .map(|x| x.as_str().unwrap())
                .collect::<Vec<_>>(),
            ["a,b", "[x]", "3.12"]
        );
    }
}
