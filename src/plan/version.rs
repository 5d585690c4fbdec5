//! The version grammar of release tags, as
//! Rust. release.yml carries the same grammar as a bash script
//! (`plan::tagscript`); a test runs both over hundreds of tags and requires
//! them to agree.

use serde::Serialize;

use crate::spec::{Pep440Spelling, Scheme, Versioning};

/// A PEP 440 version in any spelling that PEP 440 normalises (lower-cased
/// first): groups 1-3 the release numbers, 5 the pre-release label and 6
/// its number, 8 the number of the `-N` post form, 9 and 10 the post label
/// and number, 11 the dev part and 12 its number. The tag script uses the same expression.
pub const PEP440_ANY_RE: &str = r"^([0-9]+)\.([0-9]+)\.([0-9]+)([-_.]?(alpha|beta|preview|pre|rc|a|b|c)[-_.]?([0-9]*))?(-([0-9]+)|[-_.]?(post|rev|r)[-_.]?([0-9]*))?([-_.]?dev[-_.]?([0-9]*))?$";

/// The normal form of a PEP 440 version in any spelling (`1.2.0-RC.01` ->
/// `1.2.0rc1`), or None when it is no PEP 440 version of this shape.
pub fn pep440_normal(s: &str) -> Option<String> {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = RE.get_or_init(|| regex::Regex::new(PEP440_ANY_RE).expect("valid regex"));
    let lower = s.to_ascii_lowercase();
    let c = re.captures(&lower)?;
    let num = |i: usize| -> String {
        let n = c.get(i).map(|m| m.as_str()).unwrap_or("");
        let t = n.trim_start_matches('0');
        if t.is_empty() { "0".to_string() } else { t.to_string() }
    };
    let mut out = format!("{}.{}.{}", num(1), num(2), num(3));
    if let Some(l) = c.get(5) {
        out.push_str(match l.as_str() {
            "alpha" | "a" => "a",
            "beta" | "b" => "b",
            _ => "rc",
        });
        out.push_str(&num(6));
    }
    if c.get(8).is_some() {
        out.push_str(&format!(".post{}", num(8)));
    } else if c.get(9).is_some() {
        out.push_str(&format!(".post{}", num(10)));
    }
    if c.get(11).is_some() {
        out.push_str(&format!(".dev{}", num(12)));
    }
    Some(out)
}

/// The resolved grammar of release tags.
#[derive(Debug, Clone, Serialize)]
pub struct Grammar {
    pub scheme: Scheme,
    pub prefix: String,
    /// Accepted pre-release labels as written in the spec.
    pub labels: Vec<String>,
    /// PEP 440 spellings accepted (`a`, `b`, `rc`, `dev`), for pep440.
    pub pep440_labels: Vec<String>,
    pub stable_suffix: Option<String>,
    /// Whether `+BUILD` metadata is accepted (semver): not when the spec
    /// publishes to PyPI, which refuses local versions.
    pub build_metadata: bool,
    /// pep440: every spelling that PEP 440 normalises is accepted.
    pub pep440_any: bool,
    /// One line describing the accepted tags, quoted in error messages.
    pub description: String,
}

/// A tag that the grammar accepts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Version {
    /// The version without prefix or promotion suffix, e.g. `1.2.3-rc.1`, as
    /// the tag spells it.
    pub version: String,
    /// Its PEP 440 normal form (pep440; the version itself for semver).
    pub pep440: String,
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
    /// The pre-release part (`rc.1`, `rc1`, `dev3`), empty for a release.
    pub prerelease: String,
    pub is_prerelease: bool,
    /// The PEP 440 post-release number (`.postN`), 0 without one.
    pub post: u64,
    /// A promotion tag (`v1.2.3-stable`): builds nothing, releases X.Y.Z.
    pub promotion: bool,
}

/// Where a release stands among the repository's release versions: the
/// moving tags (`latest`, `{major}`, `{major}.{minor}`) and the GitHub
/// `latest` flag move only for the highest version of their line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Standing {
    /// No release version of the repository is higher.
    pub newest: bool,
    /// No release version of the same major is higher.
    pub newest_in_major: bool,
    /// No release version of the same major.minor is higher.
    pub newest_in_minor: bool,
}

impl Standing {
    /// The standing of `v` among `tags` (every tag of the repository; tags
    /// that are not plain release tags of `grammar` do not count).
    pub fn of(v: &Version, grammar: &Grammar, tags: &[String]) -> Standing {
        let mut s = Standing {
            newest: true,
            newest_in_major: true,
            newest_in_minor: true,
        };
        if v.is_prerelease {
            return s;
        }
        let mine = (v.major, v.minor, v.patch, v.post);
        for t in tags {
            let Ok(o) = grammar.parse(t) else { continue };
            if o.is_prerelease || o.promotion || (o.major, o.minor, o.patch, o.post) <= mine {
                continue;
            }
            s.newest = false;
            if o.major == v.major {
                s.newest_in_major = false;
                if o.minor == v.minor {
                    s.newest_in_minor = false;
                }
            }
        }
        s
    }
}

/// Versions of a spec's own grammar to try templates on: a release, and a
/// pre-release of its first label (none without labels).
pub fn samples(spec: &crate::spec::Spec) -> Vec<Version> {
    let v = &spec.versioning;
    let g = Grammar::new(v, false);
    let mut tags = vec![format!("{}1.2.3", v.tag_prefix)];
    if let Some(label) = v.prereleases.first() {
        tags.push(match v.scheme {
            Scheme::Semver => format!("{}1.2.3-{label}.1", v.tag_prefix),
            Scheme::Pep440 => format!("{}1.2.3{label}1", v.tag_prefix),
        });
    }
    tags.iter().filter_map(|t| g.parse(t).ok()).collect()
}

/// What a release tag looks like, in words a user can act on: the release
/// form with an example, the pre-releases (or that there are none), the
/// promotion form, and whether `+BUILD` metadata may follow. Both the plan
/// and the tag script of release.yml end their rejection with it.
fn describe(v: &Versioning, pep440_labels: &[String], build_metadata: bool) -> String {
    let p = &v.tag_prefix;
    let mut d = match v.scheme {
        Scheme::Semver => {
            let mut d = format!("{p}MAJOR.MINOR.PATCH such as {p}1.2.3");
            match v.prereleases.first() {
                Some(first) => d.push_str(&format!(
                    ", or a pre-release {p}MAJOR.MINOR.PATCH-PRE whose PRE starts with {} such as {p}1.2.3-{first}.1",
                    words_or(&v.prereleases)
                )),
                None => d.push_str(" (versioning.prereleases is empty: no pre-releases)"),
            }
            d
        }
        Scheme::Pep440 => {
            let pre: Vec<String> = pep440_labels.iter().filter(|l| *l != "dev").cloned().collect();
            let mut d = format!("{p}N.N.N such as {p}1.2.0");
            match pre.first() {
                Some(first) => d.push_str(&format!(
                    ", a pre-release {p}N.N.N{{{}}}N such as {p}1.2.0{first}1",
                    pre.join("|")
                )),
                None if !pep440_labels.iter().any(|l| l == "dev") => {
                    d.push_str(" (versioning.prereleases is empty: no pre-releases)")
                }
                None => {}
            }
            d.push_str(", each with an optional .postN");
            if pep440_labels.iter().any(|l| l == "dev") {
                d.push_str(" and .devN");
            }
            if v.pep440_spelling == Pep440Spelling::Any {
                d.push_str(", in any spelling PEP 440 normalises (1.2.0rc1, 1.2.0.rc1, 1.2.0-rc.1)");
            }
            d
        }
    };
    if let Some(s) = &v.stable_suffix {
        let x = if v.scheme == Scheme::Semver { "1.2.3" } else { "1.2.0" };
        d.push_str(&format!("; or {p}{x}{s} to promote the release {p}{x}"));
    }
    if v.scheme == Scheme::Semver {
        d.push_str(if build_metadata {
            "; +BUILD metadata may follow"
        } else {
            "; no +BUILD metadata"
        });
    }
    d
}

/// `a`, `a or b`, `a, b or c`.
fn words_or(list: &[String]) -> String {
    match list {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

impl Grammar {
    /// The grammar of a spec's tags; `pypi`: the spec publishes to (Test)PyPI.
    pub fn new(v: &Versioning, pypi: bool) -> Self {
        let pep440_labels: Vec<String> = if v.scheme == Scheme::Pep440 {
            let mut l: Vec<String> = v
                .prereleases
                .iter()
                .map(|l| {
                    match l.as_str() {
                        "alpha" | "a" => "a",
                        "beta" | "b" => "b",
                        "rc" | "c" => "rc",
                        other => other,
                    }
                    .to_string()
                })
                .collect();
            l.sort();
            l.dedup();
            l
        } else {
            Vec::new()
        };
        let build_metadata =
            v.scheme == Scheme::Semver && !pypi && v.build_metadata == crate::spec::BuildMetadata::Allow;
        let description = describe(v, &pep440_labels, build_metadata);
        Grammar {
            scheme: v.scheme,
            prefix: v.tag_prefix.clone(),
            labels: v.prereleases.clone(),
            pep440_labels,
            stable_suffix: v.stable_suffix.clone(),
            build_metadata,
            pep440_any: v.scheme == Scheme::Pep440 && v.pep440_spelling == Pep440Spelling::Any,
            description,
        }
    }

    /// Glob of the tags that trigger a release (GitHub `on.push.tags`).
    pub fn trigger_globs(&self) -> Vec<String> {
        vec![format!("{}[0-9]+.[0-9]+.[0-9]+*", glob_escape(&self.prefix))]
    }

    /// Parses a tag; `Err` holds the one-line error the release prints.
    pub fn parse(&self, tag: &str) -> Result<Version, String> {
        let reject = || {
            Err(format!(
                "tag '{tag}' is not a release tag: expected {}",
                self.description
            ))
        };
        let Some(rest) = tag.strip_prefix(self.prefix.as_str()) else {
            return reject();
        };
        if let Some(suffix) = &self.stable_suffix
            && let Some(core) = rest.strip_suffix(suffix.as_str())
        {
            return match parse_core(core) {
                Some((major, minor, patch)) => Ok(Version {
                    version: core.to_string(),
                    pep440: core.to_string(),
                    major,
                    minor,
                    patch,
                    prerelease: String::new(),
                    is_prerelease: false,
                    post: 0,
                    promotion: true,
                }),
                None => reject(),
            };
        }
        let parsed = match self.scheme {
            Scheme::Semver => self.parse_semver(rest),
            // Any spelling: the normal form is parsed, the tag's spelling kept.
            Scheme::Pep440 if self.pep440_any => {
                pep440_normal(rest)
                    .and_then(|n| self.parse_pep440(&n))
                    .map(|v| Version {
                        version: rest.to_string(),
                        ..v
                    })
            }
            Scheme::Pep440 => self.parse_pep440(rest),
        };
        parsed.map_or_else(reject, Ok)
    }

    fn parse_semver(&self, s: &str) -> Option<Version> {
        let v = semver::Version::parse(s).ok()?;
        if !v.build.is_empty() && !self.build_metadata {
            return None;
        }
        let pre = v.pre.as_str().to_string();
        if !pre.is_empty() {
            let first = pre.split('.').next().unwrap_or("");
            let label = first.trim_end_matches(|c: char| c.is_ascii_digit());
            if !self.labels.iter().any(|l| l == label) {
                return None;
            }
        }
        Some(Version {
            version: s.to_string(),
            pep440: s.to_string(),
            major: v.major,
            minor: v.minor,
            patch: v.patch,
            is_prerelease: !pre.is_empty(),
            prerelease: pre,
            post: 0,
            promotion: false,
        })
    }

    fn parse_pep440(&self, s: &str) -> Option<Version> {
        // N.N.N[{a|b|rc}N][.postN][.devN], canonical spelling, no leading zeros.
        static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
        let re = RE.get_or_init(|| {
            let num = r"(0|[1-9][0-9]*)";
            regex::Regex::new(&format!(
                r"^{num}\.{num}\.{num}(?:(a|b|rc){num})?(?:\.post{num})?(?:\.dev{num})?$"
            ))
            .expect("valid regex")
        });
        let c = re.captures(s)?;
        let n = |i: usize| c.get(i).map(|m| m.as_str().parse::<u64>().ok()).unwrap_or(Some(0));
        let (major, minor, patch) = (n(1)?, n(2)?, n(3)?);
        let mut pre = String::new();
        if let Some(l) = c.get(4) {
            if !self.pep440_labels.iter().any(|x| x == l.as_str()) {
                return None;
            }
            pre.push_str(l.as_str());
            pre.push_str(&c[5]);
        }
        if let Some(d) = c.get(7) {
            if !self.pep440_labels.iter().any(|x| x == "dev") {
                return None;
            }
            if !pre.is_empty() {
                pre.push('.');
            }
            pre.push_str("dev");
            pre.push_str(d.as_str());
        }
        let post = match c.get(6) {
            Some(m) => m.as_str().parse::<u64>().ok()?,
            None => 0,
        };
        Some(Version {
            version: s.to_string(),
            pep440: s.to_string(),
            major,
            minor,
            patch,
            is_prerelease: !pre.is_empty(),
            prerelease: pre,
            post,
            promotion: false,
        })
    }
}

/// `MAJOR.MINOR.PATCH` with no leading zeros, nothing else.
fn parse_core(s: &str) -> Option<(u64, u64, u64)> {
    let parts: Vec<&str> = s.split('.').collect();
    if parts.len() != 3 {
        return None;
    }
    let n = |p: &str| -> Option<u64> {
        if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) || (p.len() > 1 && p.starts_with('0')) {
            None
        } else {
            p.parse().ok()
        }
    };
    Some((n(parts[0])?, n(parts[1])?, n(parts[2])?))
}

/// Escapes the characters that are special in GitHub's filter patterns.
fn glob_escape(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if "*?+[]!\\".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grammar(yaml: &str) -> Grammar {
        let v: Versioning = yaml_serde::from_str(yaml).unwrap();
        Grammar::new(&v, false)
    }

    /// Every grammar's rejection says what a tag may be, with examples, and
    /// never prints an empty list.
    #[test]
    fn rejections_say_what_is_accepted() {
        let msg = |yaml: &str| grammar(yaml).parse("nope").unwrap_err();
        assert_eq!(
            msg("{}"),
            "tag 'nope' is not a release tag: expected vMAJOR.MINOR.PATCH such as v1.2.3, or a pre-release \
             vMAJOR.MINOR.PATCH-PRE whose PRE starts with rc, alpha or beta such as v1.2.3-rc.1; no +BUILD metadata"
        );
        assert_eq!(
            msg("{prereleases: [], stable-suffix: -stable}"),
            "tag 'nope' is not a release tag: expected vMAJOR.MINOR.PATCH such as v1.2.3 (versioning.prereleases \
             is empty: no pre-releases); or v1.2.3-stable to promote the release v1.2.3; no +BUILD metadata"
        );
        assert_eq!(
            msg("{prereleases: [rc], build-metadata: allow}"),
            "tag 'nope' is not a release tag: expected vMAJOR.MINOR.PATCH such as v1.2.3, or a pre-release \
             vMAJOR.MINOR.PATCH-PRE whose PRE starts with rc such as v1.2.3-rc.1; +BUILD metadata may follow"
        );
        assert_eq!(
            msg("{scheme: pep440, tag-prefix: '', prereleases: [rc, dev], pep440-spelling: canonical}"),
            "tag 'nope' is not a release tag: expected N.N.N such as 1.2.0, a pre-release N.N.N{rc}N such as \
             1.2.0rc1, each with an optional .postN and .devN"
        );
        assert!(
            msg("{scheme: pep440, prereleases: []}").contains("(versioning.prereleases is empty: no pre-releases)"),
            "{}",
            msg("{scheme: pep440, prereleases: []}")
        );
        for yaml in [
            "{}",
            "{prereleases: []}",
            "{scheme: pep440}",
            "{scheme: pep440, prereleases: []}",
        ] {
            let m = msg(yaml);
            assert!(
                !m.contains("with ,") && !m.contains("  ") && !m.contains("[]"),
                "{yaml}: {m}"
            );
        }
    }

    #[test]
    fn semver_tags() {
        let g = grammar("{}");
        let v = g.parse("v1.2.3").unwrap();
        assert_eq!((v.major, v.minor, v.patch, v.is_prerelease), (1, 2, 3, false));
        for ok in ["v1.2.3-rc.1", "v1.2.3-rc1", "v0.1.0-beta2", "v1.2.3-alpha"] {
            assert!(g.parse(ok).is_ok(), "{ok}");
        }
        // +BUILD only where the spec allows it.
        let allow = grammar("{build-metadata: allow}");
        for tag in ["v1.2.3+build.5", "v1.2.3-rc.1+b"] {
            let e = g.parse(tag).unwrap_err();
            assert!(e.ends_with("; no +BUILD metadata"), "{e}");
            assert!(allow.parse(tag).is_ok(), "{tag}");
        }
        for bad in [
            "1.2.3",
            "v1.2",
            "v01.2.3",
            "v1.2.3-dev1",
            "v1.2.3-rc.01",
            "v1.2.3-",
            "vv1.2.3",
            "v1.2.3-1",
            "v1.2.3 ",
        ] {
            assert!(g.parse(bad).is_err(), "{bad}");
        }
        assert_eq!(g.parse("v1.2.3-rc.1").unwrap().prerelease, "rc.1");
        let e = g.parse("v1.2").unwrap_err();
        assert!(e.contains("'v1.2'") && e.contains("MAJOR.MINOR.PATCH"), "{e}");
    }

    #[test]
    fn promotion_tags() {
        let g = grammar("stable-suffix: -stable");
        let v = g.parse("v1.2.3-stable").unwrap();
        assert!(v.promotion && !v.is_prerelease);
        assert_eq!(v.version, "1.2.3");
        assert!(g.parse("v1.2.3-rc1-stable").is_err());
        assert!(g.parse("v1.2-stable").is_err());
    }

    #[test]
    fn pep440_tags() {
        let g = grammar("{scheme: pep440, tag-prefix: '', prereleases: [rc, alpha, beta, dev]}");
        for (tag, pre) in [
            ("1.2.0", ""),
            ("1.2.0rc1", "rc1"),
            ("1.2.0.dev3", "dev3"),
            ("1.2.0a1", "a1"),
            ("1.2.0.post1", ""),
            ("1.2.0rc1.dev2", "rc1.dev2"),
        ] {
            let v = g.parse(tag).unwrap_or_else(|e| panic!("{tag}: {e}"));
            assert_eq!(v.prerelease, pre, "{tag}");
        }
        // Any spelling PEP 440 normalises (the default): the tag's spelling
        // is the version, the normal form is `pep440`.
        for (tag, normal, pre) in [
            ("1.2.0-rc1", "1.2.0rc1", "rc1"),
            ("1.2.0.rc1", "1.2.0rc1", "rc1"),
            ("1.2.0.RC.01", "1.2.0rc1", "rc1"),
            ("1.2.0c1", "1.2.0rc1", "rc1"),
            ("1.2.0-alpha.2", "1.2.0a2", "a2"),
            ("1.2.0.dev", "1.2.0.dev0", "dev0"),
            ("1.2.0-1", "1.2.0.post1", ""),
            ("1.2.0rev2", "1.2.0.post2", ""),
            ("01.2.0", "1.2.0", ""),
        ] {
            let v = g.parse(tag).unwrap_or_else(|e| panic!("{tag}: {e}"));
            assert_eq!(
                (v.version.as_str(), v.pep440.as_str(), v.prerelease.as_str()),
                (tag, normal, pre)
            );
        }
        for bad in ["v1.2.0", "1.2", "1.2.0rc1rc2", "1.2.0-", "1.2.0.x1", "1.2.0foo"] {
            assert!(g.parse(bad).is_err(), "{bad}");
        }
        let canonical = grammar(
            "{scheme: pep440, tag-prefix: '', prereleases: [rc, alpha, beta, dev], pep440-spelling: canonical}",
        );
        for bad in [
            "v1.2.0",
            "1.2",
            "1.2.0-rc1",
            "1.2.0rc",
            "01.2.0",
            "1.2.0.dev",
            "1.2.0c1",
        ] {
            assert!(canonical.parse(bad).is_err(), "{bad}");
        }
        assert_eq!(canonical.parse("1.2.0rc1").unwrap().pep440, "1.2.0rc1");
        let strict = grammar("{scheme: pep440, tag-prefix: ''}");
        assert!(strict.parse("1.2.0.dev3").is_err());
        assert!(strict.parse("1.2.0b2").is_ok());
    }

    #[test]
    fn globs() {
        assert_eq!(grammar("{}").trigger_globs(), ["v[0-9]+.[0-9]+.[0-9]+*"]);
        assert_eq!(grammar("{tag-prefix: ''}").trigger_globs(), ["[0-9]+.[0-9]+.[0-9]+*"]);
    }
}
