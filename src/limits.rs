//! Bounds on YAML text checked before any parser sees it.
//!
//! The YAML parsers wfgen uses are not safe on every input: the span index
//! (tree-sitter, through yamlpath) aborts the process when its scanner state
//! outgrows a fixed buffer (about 250 indentation levels), and the loader
//! takes time quadratic in the nesting depth of flow collections
//! (`[[[[...]]]]`). [`prescan`] is one linear pass over the text that refuses
//! a text too large or nested too deep, at the place where it goes too far,
//! so that no parser ever runs on it.

/// The largest spec or workflow file wfgen reads, in bytes. Generated
/// workflows are tens of kilobytes.
pub const MAX_BYTES: usize = 512 * 1024;

/// The deepest nesting (block indentation levels plus open flow collections)
/// wfgen parses. A workflow nests about 8 deep (`jobs.x.steps[0].with.k`).
pub const MAX_DEPTH: usize = 64;

/// The widest indentation wfgen parses, in columns. The span index
/// (tree-sitter) keeps indentation in 16 bits: past 32,767 columns every
/// position of the file is lost. Real files are indented a few dozen.
pub const MAX_INDENT: usize = 10_000;

/// Why a text was refused: a message, the byte offset it is about, a help.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub offset: usize,
    pub message: String,
    pub label: String,
    pub help: String,
}

/// Refuses a text larger than [`MAX_BYTES`] or nested deeper than
/// [`MAX_DEPTH`]; linear in the length of the text.
pub fn prescan(text: &str) -> Result<(), Refusal> {
    if text.len() > MAX_BYTES {
        return Err(Refusal {
            offset: MAX_BYTES.min(text.len()),
            message: format!(
                "the file is {} bytes; wfgen reads YAML files of at most {} bytes ({} KiB)",
                text.len(),
                MAX_BYTES,
                MAX_BYTES / 1024
            ),
            label: "the limit is reached here".into(),
            help: "a wfgen spec or a generated workflow is a few kilobytes: check that this is the file you meant"
                .into(),
        });
    }
    if let Some((at, c)) = text.char_indices().find(|&(_, c)| !allowed_char(c)) {
        return Err(Refusal {
            offset: at,
            message: format!(
                "the file holds the control character U+{:04X}, which YAML does not allow",
                c as u32
            ),
            label: "control character here".into(),
            help: "remove it; to put it in a value, write it as an escape in a double-quoted string, e.g. \"\\t\""
                .into(),
        });
    }
    indent_scan(text)?;
    depth_scan(text)
}

/// Refuses a line indented by more than [`MAX_INDENT`] columns (spaces and
/// tabs), at the line's first character.
fn indent_scan(text: &str) -> Result<(), Refusal> {
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let indent = line.bytes().take_while(|&b| b == b' ' || b == b'\t').count();
        if indent > MAX_INDENT {
            return Err(Refusal {
                offset: start,
                message: format!(
                    "a line is indented by {indent} columns; wfgen reads lines indented by at most {MAX_INDENT}"
                ),
                label: "this line".into(),
                help: "indent it less (YAML needs only one column more than its parent): a spec or a generated workflow is indented a few dozen columns"
                    .into(),
            });
        }
        start += line.len();
    }
    Ok(())
}

/// The characters YAML allows in a stream (YAML 1.2, `c-printable`).
fn allowed_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{7e}' | '\u{85}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
}

/// Byte span of the place a refusal is about: the character at its offset.
pub fn refusal_span(text: &str, r: &Refusal) -> (usize, usize) {
    let mut s = r.offset.min(text.len());
    while s > 0 && !text.is_char_boundary(s) {
        s -= 1;
    }
    let e = text[s..].chars().next().map(|c| s + c.len_utf8()).unwrap_or(s);
    (s, e)
}

/// The largest file wfgen reads at all; between [`MAX_BYTES`] and this, the
/// file is read and refused with a position, beyond it refused unread.
pub const MAX_READ: u64 = 16 * 1024 * 1024;

/// Reads a regular file (never a FIFO, device or directory, which could
/// block or never end), at most [`MAX_READ`] bytes.
pub fn read_regular(path: &std::path::Path) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    if !meta.is_file() {
        return Err(format!(
            "{} is {}, not a regular file; wfgen reads regular files only",
            path.display(),
            file_kind(&meta)
        ));
    }
    if meta.len() > MAX_READ {
        return Err(format!(
            "{} is {} bytes; wfgen reads YAML files of at most {} bytes",
            path.display(),
            meta.len(),
            MAX_BYTES
        ));
    }
    let f = std::fs::File::open(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut bytes = Vec::new();
    f.take(MAX_READ)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    Ok(bytes)
}

fn file_kind(meta: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_block_device() || t.is_char_device() {
            return "a device";
        }
    }
    if meta.is_dir() {
        "a directory"
    } else {
        "not a regular file"
    }
}

/// UTF-8 text, or where the first byte that is not UTF-8 is: the text read
/// up to there (with U+FFFD for the bad bytes) and the byte offset.
pub fn utf8(bytes: Vec<u8>) -> Result<String, (String, usize)> {
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        (String::from_utf8_lossy(e.as_bytes()).into_owned(), at)
    })
}

/// Byte offset of the first alias (`*name`) of a text, where a document
/// whose aliases expand too far starts repeating nodes.
pub fn first_alias(text: &str) -> Option<usize> {
    let b = text.as_bytes();
    (0..b.len()).find(|&i| {
        b[i] == b'*'
            && (i == 0 || matches!(b[i - 1], b' ' | b'\t' | b'\n' | b'[' | b'{' | b','))
            && b.get(i + 1)
                .is_some_and(|c| !c.is_ascii_whitespace() && !matches!(c, b',' | b']' | b'}'))
    })
}

fn too_deep(offset: usize, what: &str) -> Refusal {
    Refusal {
        offset,
        message: format!("the YAML here is nested more than {MAX_DEPTH} levels deep ({what})"),
        label: format!("nesting level {} starts here", MAX_DEPTH + 1),
        help: format!(
            "wfgen reads YAML nested at most {MAX_DEPTH} levels deep (a workflow nests about 8 deep): \
             flatten the structure, or check that this is the file you meant"
        ),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Quote {
    None,
    Single,
    Double,
}

/// One pass over the lines: a stack of block indentation levels (plus the
/// compact `- - x` levels), the depth of open flow collections, quoted
/// scalars that span lines, comments, and block scalars (`|`, `>`), whose
/// content is text, not structure.
fn depth_scan(text: &str) -> Result<(), Refusal> {
    let bytes = text.as_bytes();
    let mut stack: Vec<usize> = Vec::new();
    let mut flow = 0usize;
    let mut quote = Quote::None;
    // Block scalar: indentation of the line that opened it, and of its
    // content once known.
    let mut block: Option<(usize, Option<usize>)> = None;
    let mut line_start = 0usize;
    while line_start < bytes.len() {
        let line_end = memchr_nl(bytes, line_start);
        let line = &bytes[line_start..line_end];
        let next = line_end + 1;
        let indent = line.iter().take_while(|&&b| b == b' ').count();
        let blank = line[indent..].iter().all(|b| b.is_ascii_whitespace());

        if let Some((parent, content)) = block {
            if blank {
                line_start = next;
                continue;
            }
            match content {
                None if indent > parent => {
                    block = Some((parent, Some(indent)));
                    line_start = next;
                    continue;
                }
                Some(c) if indent >= c => {
                    line_start = next;
                    continue;
                }
                _ => block = None,
            }
        }

        let mut i = 0usize;
        if quote == Quote::None && flow == 0 {
            // A new block line: its indentation closes deeper levels.
            if blank || line[indent] == b'#' {
                line_start = next;
                continue;
            }
            while stack.last().is_some_and(|&top| top > indent) {
                stack.pop();
            }
            if stack.last() != Some(&indent) {
                stack.push(indent);
            }
            i = indent;
            // Compact nested entries on one line: `- - x`, `? - x`, `- key: v`.
            while i < line.len()
                && (line[i] == b'-' || line[i] == b'?')
                && line.get(i + 1).is_none_or(|b| *b == b' ' || *b == b'\t')
            {
                i += 1;
                while i < line.len() && (line[i] == b' ' || line[i] == b'\t') {
                    i += 1;
                }
                if i < line.len() && line[i] != b'#' {
                    stack.push(i);
                    if stack.len() > MAX_DEPTH {
                        return Err(too_deep(line_start + i, "indentation"));
                    }
                }
            }
            if stack.len() > MAX_DEPTH {
                return Err(too_deep(line_start + indent, "indentation"));
            }
        }

        // The rest of the line, character by character.
        let mut prev: u8 = b' ';
        let mut last_token_start = i;
        let mut content_end = line.len();
        while i < line.len() {
            let b = line[i];
            match quote {
                Quote::Single => {
                    if b == b'\'' {
                        if line.get(i + 1) == Some(&b'\'') {
                            i += 1;
                        } else {
                            quote = Quote::None;
                        }
                    }
                }
                Quote::Double => {
                    if b == b'\\' {
                        i += 1;
                    } else if b == b'"' {
                        quote = Quote::None;
                    }
                }
                Quote::None => {
                    let token_start = matches!(prev, b' ' | b'\t') || (flow > 0 && matches!(prev, b'[' | b'{' | b','));
                    match b {
                        b'#' if matches!(prev, b' ' | b'\t') => {
                            content_end = i;
                            break;
                        }
                        b'\'' | b'"' if token_start || (flow > 0 && prev == b':') => {
                            quote = if b == b'\'' { Quote::Single } else { Quote::Double };
                        }
                        b'[' | b'{' if flow > 0 || token_start => {
                            flow += 1;
                            if stack.len() + flow > MAX_DEPTH {
                                return Err(too_deep(line_start + i, "flow collections `[` `{`"));
                            }
                        }
                        b']' | b'}' if flow > 0 => flow -= 1,
                        b' ' | b'\t' => {}
                        _ if matches!(prev, b' ' | b'\t') => last_token_start = i,
                        _ => {}
                    }
                }
            }
            prev = b;
            i += 1;
        }

        // A block scalar indicator ends the line: what follows is text.
        if quote == Quote::None && flow == 0 {
            let content = trim_end(&line[..content_end]);
            let tok = &content[last_token_start.min(content.len())..];
            let is_indicator = matches!(tok.first(), Some(b'|' | b'>'))
                && tok[1..].iter().all(|b| b.is_ascii_digit() || *b == b'+' || *b == b'-');
            if is_indicator {
                let before = trim_end(&content[..content.len() - tok.len()]);
                let opens = before.iter().all(|b| *b == b' ')
                    || before.ends_with(b":")
                    || before.ends_with(b"-")
                    || before.ends_with(b"?")
                    || before
                        .rsplit(|b| *b == b' ')
                        .next()
                        .is_some_and(|t| t.starts_with(b"!") || t.starts_with(b"&"));
                if opens {
                    block = Some((indent, None));
                }
            }
        }
        line_start = next;
    }
    Ok(())
}

fn memchr_nl(bytes: &[u8], from: usize) -> usize {
    bytes[from..]
        .iter()
        .position(|&b| b == b'\n')
        .map(|p| from + p)
        .unwrap_or(bytes.len())
}

fn trim_end(s: &[u8]) -> &[u8] {
    let n = s.iter().rev().take_while(|b| b.is_ascii_whitespace()).count();
    &s[..s.len() - n]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deep_block(n: usize) -> String {
        format!("{}x\n", "- ".repeat(n))
    }

    #[test]
    fn ordinary_yaml_passes() {
        let t = "a:\n  b: [x, {y: z}]\n  run: |\n    if [ -f x ]; then echo \"it's [[[\"; fi\n    {{{{\n  c: it's\n";
        prescan(t).unwrap();
        for f in ["llm-proxy", "cluster-tool", "opsml", "model-server"] {
            let p = format!("{}/fixtures/{f}/wfgen.yaml", env!("CARGO_MANIFEST_DIR"));
            prescan(&std::fs::read_to_string(p).unwrap()).unwrap();
        }
    }

    #[test]
    fn deep_block_nesting_is_refused_where_it_goes_too_deep() {
        prescan(&deep_block(MAX_DEPTH - 1)).unwrap();
        let r = prescan(&deep_block(254)).unwrap_err();
        assert_eq!(r.offset, 2 * MAX_DEPTH, "{r:?}");
        let indented: String = (0..100).map(|i| format!("{}k{i}:\n", " ".repeat(i))).collect();
        let r = prescan(&indented).unwrap_err();
        assert_eq!(
            crate::ypath::line_col(&indented, r.offset),
            (MAX_DEPTH + 1, MAX_DEPTH + 1)
        );
    }

    #[test]
    fn deep_flow_nesting_is_refused() {
        let t = format!("x: {}{}\n", "[".repeat(10_000), "]".repeat(10_000));
        let r = prescan(&t).unwrap_err();
        assert_eq!(crate::ypath::line_col(&t, r.offset), (1, 3 + MAX_DEPTH));
        // Brackets in quotes, comments and block scalars are text.
        let t = format!("a: \"{0}\"\nb: '{0}'\n# {0}\nc: |\n  {0}\nd: x{0}\n", "[".repeat(500));
        prescan(&t).unwrap();
    }

    #[test]
    fn size_is_bounded() {
        let t = "a: b\n".repeat(MAX_BYTES / 5 + 1);
        assert!(prescan(&t).unwrap_err().message.contains("bytes"));
    }
}
