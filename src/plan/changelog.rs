//! `release.notes: changelog:PATH`: the notes of a release are the section of
//! its version in a Keep a Changelog file. [`section`] reads it for `wfgen
//! plan`, and [`AWK`] is the same reading in the GitHub release job (the
//! tests run both over the same texts).
//!
//! A section starts at a heading `## [1.2.3]`, `## 1.2.3` or `## v1.2.3`,
//! which may go on after a space (` - 2024-05-01`), or after `]` with a
//! space or `(` (`## [1.2.3](https://…) (2024-05-01)`); it ends before the
//! next `## ` heading. Blank lines around the text are dropped.

/// Is `line` the heading of `version`'s section?
fn is_heading(line: &str, version: &str) -> bool {
    let Some(rest) = line.strip_prefix("## ") else {
        return false;
    };
    let rest = rest.trim_start_matches([' ', '\t']);
    let (bracket, rest) = match rest.strip_prefix('[') {
        Some(r) => (true, r),
        None => (false, rest),
    };
    let rest = rest.strip_prefix('v').unwrap_or(rest);
    let Some(rest) = rest.strip_prefix(version) else {
        return false;
    };
    if bracket {
        let Some(rest) = rest.strip_prefix(']') else {
            return false;
        };
        rest.is_empty() || rest.starts_with([' ', '\t', '('])
    } else {
        rest.is_empty() || rest.starts_with([' ', '\t'])
    }
}

fn ends_section(line: &str) -> bool {
    line == "##" || line.starts_with("## ")
}

fn blank(line: &str) -> bool {
    line.trim_matches([' ', '\t']).is_empty()
}

/// The section of `version` in a changelog, without its heading; None when
/// the changelog has no heading for it.
pub fn section(text: &str, version: &str) -> Option<String> {
    let mut lines = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
    lines.by_ref().find(|l| is_heading(l, version))?;
    let body: Vec<&str> = lines.take_while(|l| !ends_section(l)).collect();
    let first = body.iter().position(|l| !blank(l)).unwrap_or(body.len());
    let last = body.iter().rposition(|l| !blank(l)).map_or(first, |i| i + 1);
    let mut out = String::new();
    for l in &body[first..last.max(first)] {
        out.push_str(l);
        out.push('\n');
    }
    Some(out)
}

/// The one error line of a changelog without a section for `version`
/// (`wfgen plan` and the release job say the same).
pub fn missing(path: &str, version: &str) -> String {
    format!(
        "{path} has no section for version {version}: add a heading `## [{version}]` (or `## {version}`, `## v{version}`) with the notes of this release"
    )
}

/// The awk program of the release job: `awk -v version=… -f` over the
/// changelog prints the section and exits 0, or exits 3 when there is none.
pub const AWK: &str = r###"function is_heading(line,    rest, bracket, c) {
  if (substr(line, 1, 3) != "## ") return 0
  rest = substr(line, 4)
  sub(/^[ \t]+/, "", rest)
  bracket = 0
  if (substr(rest, 1, 1) == "[") { bracket = 1; rest = substr(rest, 2) }
  if (substr(rest, 1, 1) == "v") rest = substr(rest, 2)
  if (substr(rest, 1, length(version)) != version) return 0
  rest = substr(rest, length(version) + 1)
  if (bracket) {
    if (substr(rest, 1, 1) != "]") return 0
    rest = substr(rest, 2)
    c = substr(rest, 1, 1)
    return rest == "" || c == " " || c == "\t" || c == "("
  }
  c = substr(rest, 1, 1)
  return rest == "" || c == " " || c == "\t"
}
{ sub(/\r$/, "") }
found && ($0 == "##" || substr($0, 1, 3) == "## ") { exit }
found { lines[++n] = $0; next }
is_heading($0) { found = 1 }
END {
  if (!found) exit 3
  first = 1
  while (first <= n && lines[first] ~ /^[ \t]*$/) first++
  last = n
  while (last >= first && lines[last] ~ /^[ \t]*$/) last--
  for (i = first; i <= last; i++) print lines[i]
}
"###;

#[cfg(test)]
mod tests {
    use super::*;

    /// Changelog texts that the Rust reading and the job's awk both read.
    pub const CASES: &[(&str, &str)] = &[
        (
            "# Changelog\n\n## [Unreleased]\n\n- next\n\n## [1.2.3] - 2024-05-01\n\n### Added\n- a thing\n\n## [1.2.2] - 2024-04-01\n- old\n",
            "1.2.3",
        ),
        ("## 1.2.3\nfirst\n## 1.2.30\nnot this\n", "1.2.3"),
        ("## 1.2.30\nnot this\n## v1.2.3\r\nwindows\r\n\r\n", "1.2.3"),
        ("## [1.2.3](https://example.com/compare) (2024-05-01)\n* fix\n", "1.2.3"),
        ("## [1.2.3]\n", "1.2.3"),
        ("## 1.2.3-rc.1\npre\n## 1.2.3\nfinal\n", "1.2.3"),
        ("## 1.2.3\nfinal\n", "1.2.3-rc.1"),
        ("## [1.2.3\nbroken\n", "1.2.3"),
        ("no headings at all\n", "1.2.3"),
        ("## 2.0.0rc1\n\n  indented\n\n### Sub\ntext", "2.0.0rc1"),
        ("", "1.0.0"),
    ];

    #[test]
    fn sections() {
        assert_eq!(section(CASES[0].0, "1.2.3").unwrap(), "### Added\n- a thing\n");
        assert_eq!(section(CASES[1].0, "1.2.3").unwrap(), "first\n");
        assert_eq!(section(CASES[2].0, "1.2.3").unwrap(), "windows\n");
        assert_eq!(section(CASES[3].0, "1.2.3").unwrap(), "* fix\n");
        assert_eq!(section(CASES[4].0, "1.2.3").unwrap(), "");
        assert_eq!(section(CASES[5].0, "1.2.3").unwrap(), "final\n");
        assert_eq!(section(CASES[6].0, "1.2.3-rc.1"), None);
        assert_eq!(section(CASES[7].0, "1.2.3"), None);
        assert_eq!(section(CASES[8].0, "1.2.3"), None);
        assert_eq!(
            section(CASES[9].0, "2.0.0rc1").unwrap(),
            "  indented\n\n### Sub\ntext\n"
        );
        assert_eq!(section(CASES[10].0, "1.0.0"), None);
    }

    /// The job's awk reads every case as [`section`] does.
    #[test]
    #[allow(clippy::print_stderr)]
    fn awk_agrees() {
        let Ok(_) = std::process::Command::new("awk").arg("BEGIN{}").output() else {
            eprintln!("no awk here: skipped");
            return;
        };
        let dir = tempfile::tempdir().unwrap();
        let prog = dir.path().join("section.awk");
        std::fs::write(&prog, AWK).unwrap();
        for (i, (text, version)) in CASES.iter().enumerate() {
            let file = dir.path().join(format!("c{i}.md"));
            std::fs::write(&file, text).unwrap();
            let out = std::process::Command::new("awk")
                .arg("-v")
                .arg(format!("version={version}"))
                .arg("-f")
                .arg(&prog)
                .arg(&file)
                .output()
                .unwrap();
            let got = match out.status.code() {
                Some(0) => Some(String::from_utf8(out.stdout).unwrap()),
                Some(3) => None,
                c => panic!("case {i}: awk exited {c:?}: {}", String::from_utf8_lossy(&out.stderr)),
            };
            assert_eq!(got, section(text, version), "case {i}: {text:?}");
        }
    }
}
