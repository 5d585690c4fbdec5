//! The next release tag: computed from the repository's tags under the
//! spec's grammar (scheme, prefix, pre-release labels and their spelling,
//! promotion suffix). `wfgen next`, `wfgen tag` and `wfgen plan --cut` ask it.
//!
//! - `patch`, `minor`, `major`: the highest release (or `--from`'s version,
//!   its pre-release part dropped), bumped.
//! - `pre`: on an open pre-release line (the highest tag is a pre-release),
//!   its number counted up (`v1.3.0-rc1` -> `v1.3.0-rc2`); otherwise a first
//!   pre-release of the next minor (`v1.2.3` -> `v1.3.0-rc1`). `--label`
//!   switches the label (to one that sorts later).
//! - `promote`: the release of the highest pre-release (`v1.3.0-rc2` ->
//!   `v1.3.0`), on that pre-release's commit; where the spec has a promotion
//!   suffix and the highest tag is a release, that release's promotion tag
//!   (`v0.1.3` -> `v0.1.3-stable`).
//!
//! A new pre-release is spelled as the highest pre-release tag of its label
//! in the repository spells it (`-rc.16` -> `-rc.17`, `.rc4` -> `.rc5`), else as
//! `versioning.prerelease-format` says, else `{label}.{n}` (semver) or PEP
//! 440's normal form (pep440). Tags the grammar does not accept are ignored.

use std::cmp::Ordering;

use crate::plan::version::{Grammar, Version, pep440_normal};
use crate::spec::Scheme;

/// What to bump.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bump {
    Patch,
    Minor,
    Major,
    Pre,
    Promote,
}

impl Bump {
    pub fn name(self) -> &'static str {
        match self {
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
            Bump::Pre => "pre",
            Bump::Promote => "promote",
        }
    }
}

/// A request for the next tag.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub bump: Option<Bump>,
    /// `--label`: the pre-release label (only with `pre`).
    pub label: Option<String>,
    /// `--from`: the tag to count from instead of the highest one.
    pub from: Option<String>,
}

/// The answer: the tag to create, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Next {
    /// The tag, e.g. `v1.3.0-rc1`.
    pub tag: String,
    /// The tag as the grammar reads it.
    pub version: Version,
    /// The tag it was counted from, if any (`v1.2.3` for a `minor` of it).
    pub base: Option<String>,
    /// For `promote`: the existing tag whose commit the new tag names.
    pub on_tag_of: Option<String>,
}

/// Why there is no next tag. Each message says what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal(pub String);

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A parsed tag of the repository.
#[derive(Debug, Clone)]
struct Known {
    tag: String,
    version: Version,
}

/// The next tag for `req` among `tags` (every tag of the repository).
/// `format` is `versioning.prerelease-format`.
pub fn next(grammar: &Grammar, format: Option<&str>, tags: &[String], req: &Request) -> Result<Next, Refusal> {
    let bump = req.bump.unwrap_or(Bump::Patch);
    if req.label.is_some() && bump != Bump::Pre {
        return Err(Refusal(format!(
            "--label goes with `pre` only (this is `{}`)",
            bump.name()
        )));
    }
    let known: Vec<Known> = tags
        .iter()
        .filter_map(|t| {
            let t = t.trim();
            grammar.parse(t).ok().map(|version| Known {
                tag: t.to_string(),
                version,
            })
        })
        .collect();
    let versions: Vec<&Known> = known.iter().filter(|k| !k.version.promotion).collect();
    let from = match &req.from {
        Some(f) => Some(from_tag(grammar, f)?),
        None => None,
    };
    let highest = |releases_only: bool| {
        versions
            .iter()
            .filter(|k| !releases_only || !k.version.is_prerelease)
            .max_by(|a, b| order(grammar, &a.version, &b.version))
            .map(|k| (*k).clone())
    };
    let answer = match bump {
        Bump::Patch | Bump::Minor | Bump::Major => {
            let base = from.clone().or_else(|| highest(true));
            let (ma, mi, pa) = base
                .as_ref()
                .map(|k| (k.version.major, k.version.minor, k.version.patch))
                .unwrap_or((0, 0, 0));
            let core = match bump {
                Bump::Patch => (ma, mi, pa + 1),
                Bump::Minor => (ma, mi + 1, 0),
                _ => (ma + 1, 0, 0),
            };
            let tag = format!("{}{}.{}.{}", grammar.prefix, core.0, core.1, core.2);
            (tag, base.map(|k| k.tag), None)
        }
        Bump::Pre => pre(grammar, format, &versions, from, req.label.as_deref())?,
        Bump::Promote => promote(grammar, &known, from.or_else(|| highest(false)))?,
    };
    let (tag, base, on_tag_of) = answer;
    let version = grammar.parse(&tag).map_err(|e| {
        Refusal(format!(
            "the next tag would be `{tag}`, which the spec's grammar refuses ({e}); check versioning.prerelease-format"
        ))
    })?;
    if let Some(k) = known
        .iter()
        .find(|k| k.tag == tag || (!version.promotion && !k.version.promotion && same(grammar, &k.version, &version)))
    {
        let also = if k.tag == tag {
            String::new()
        } else {
            format!(" (as `{}`)", k.tag)
        };
        return Err(Refusal(format!(
            "the next tag `{tag}` exists already{also}; name another with --from, or choose another bump"
        )));
    }
    Ok(Next {
        tag,
        version,
        base,
        on_tag_of,
    })
}

type Answer = (String, Option<String>, Option<String>);

/// `--from TAG`: a tag of the grammar (it need not exist yet).
fn from_tag(grammar: &Grammar, from: &str) -> Result<Known, Refusal> {
    let version = grammar
        .parse(from)
        .map_err(|e| Refusal(format!("--from {from}: {e}")))?;
    if version.promotion {
        return Err(Refusal(format!(
            "--from {from}: a promotion tag; name the release it promotes instead"
        )));
    }
    Ok(Known {
        tag: from.to_string(),
        version,
    })
}

fn pre(
    grammar: &Grammar,
    format: Option<&str>,
    versions: &[&Known],
    from: Option<Known>,
    label: Option<&str>,
) -> Result<Answer, Refusal> {
    let labels: Vec<String> = match grammar.scheme {
        Scheme::Semver => grammar.labels.clone(),
        Scheme::Pep440 => grammar.pep440_labels.clone(),
    };
    if labels.is_empty() {
        return Err(Refusal(
            "versioning.prereleases is empty: the spec has no pre-releases".to_string(),
        ));
    }
    let label = match label {
        Some(l) => {
            let norm = normal_label(grammar, l);
            if !labels.contains(&norm) {
                return Err(Refusal(format!(
                    "--label {l}: not a pre-release label of the spec; versioning.prereleases allows {}",
                    grammar.labels.join(", ")
                )));
            }
            Some(norm)
        }
        None => None,
    };
    let base = from.or_else(|| {
        versions
            .iter()
            .max_by(|a, b| order(grammar, &a.version, &b.version))
            .map(|k| (*k).clone())
    });
    // The spelling: the highest pre-release tag's of the same label, else
    // the spec's (`dev` and `rc` are spelled differently in PEP 440's normal
    // form, so one label's spelling says nothing about another's).
    let spelled_as = |label: &str| {
        versions
            .iter()
            .filter(|k| {
                k.version.is_prerelease && label_and_number(grammar, &k.version).is_some_and(|(l, _)| l == label)
            })
            .max_by(|a, b| order(grammar, &a.version, &b.version))
            .and_then(|k| spelling(grammar, &k.version))
    };
    let first_label = || match grammar.scheme {
        Scheme::Semver => grammar.labels[0].clone(),
        Scheme::Pep440 => normal_label(grammar, &grammar.labels[0]),
    };
    match base {
        Some(b) if b.version.is_prerelease => {
            let (ma, mi, pa) = (b.version.major, b.version.minor, b.version.patch);
            let Some((cur_label, n)) = label_and_number(grammar, &b.version) else {
                return Err(Refusal(format!(
                    "cannot count up from `{}`: its pre-release part `{}` is not LABEL and a number; name the next tag yourself",
                    b.tag, b.version.prerelease
                )));
            };
            let (next_label, next_n) = match label {
                Some(l) if l != cur_label => (l, 1),
                _ => (cur_label, n + 1),
            };
            let tag = pre_tag(
                grammar,
                format,
                spelled_as(&next_label).as_ref(),
                (ma, mi, pa),
                &next_label,
                next_n,
            );
            if let Ok(v) = grammar.parse(&tag)
                && order(grammar, &v, &b.version) != Ordering::Greater
            {
                return Err(Refusal(format!(
                    "`{tag}` would sort before `{}`; a pre-release line counts up (choose a label that comes later)",
                    b.tag
                )));
            }
            Ok((tag, Some(b.tag), None))
        }
        base => {
            let (ma, mi) = base
                .as_ref()
                .map(|k| (k.version.major, k.version.minor))
                .unwrap_or((0, 0));
            let l = label.unwrap_or_else(first_label);
            let tag = pre_tag(grammar, format, spelled_as(&l).as_ref(), (ma, mi + 1, 0), &l, 1);
            Ok((tag, base.map(|k| k.tag), None))
        }
    }
}

fn promote(grammar: &Grammar, known: &[Known], base: Option<Known>) -> Result<Answer, Refusal> {
    let Some(base) = base else {
        return Err(Refusal(
            "nothing to promote: the repository has no release tags yet".to_string(),
        ));
    };
    let v = &base.version;
    let core = format!("{}.{}.{}", v.major, v.minor, v.patch);
    if v.is_prerelease {
        return Ok((
            format!("{}{core}", grammar.prefix),
            Some(base.tag.clone()),
            Some(base.tag),
        ));
    }
    let Some(suffix) = &grammar.stable_suffix else {
        return Err(Refusal(format!(
            "nothing to promote: the highest tag `{}` is a release, and versioning has no stable-suffix",
            base.tag
        )));
    };
    if v.post > 0 {
        return Err(Refusal(format!(
            "`{}` is a post-release; a promotion tag names a MAJOR.MINOR.PATCH release",
            base.tag
        )));
    }
    let tag = format!("{}{core}{suffix}", grammar.prefix);
    if known.iter().any(|k| k.tag == tag) {
        return Err(Refusal(format!(
            "the next tag `{tag}` exists already: `{}` is promoted; name another with --from",
            base.tag
        )));
    }
    Ok((tag, Some(base.tag.clone()), Some(base.tag)))
}

/// A pre-release label in the grammar's terms: as written (semver), PEP 440's
/// normal spelling (pep440).
fn normal_label(grammar: &Grammar, l: &str) -> String {
    match grammar.scheme {
        Scheme::Semver => l.to_string(),
        Scheme::Pep440 => match l.to_ascii_lowercase().as_str() {
            "alpha" | "a" => "a".into(),
            "beta" | "b" => "b".into(),
            "rc" | "c" | "pre" | "preview" => "rc".into(),
            other => other.to_string(),
        },
    }
}

/// How a tag spells its pre-release: the text after `MAJOR.MINOR.PATCH`
/// (after the `-` under semver) with `{label}` and `{n}`, and the label as
/// written. None when it is not one label and one number.
#[derive(Debug, Clone)]
struct Spelling {
    format: String,
    label: String,
}

fn spelling(grammar: &Grammar, v: &Version) -> Option<Spelling> {
    let core = format!("{}.{}.{}", v.major, v.minor, v.patch);
    let rest = v.version.strip_prefix(&core)?;
    let rest = match grammar.scheme {
        Scheme::Semver => rest.strip_prefix('-')?,
        Scheme::Pep440 => rest,
    };
    let c = cached(&SPELLING, r"^([-_.]?)([A-Za-z]+)([-_.]?)([0-9]+)$").captures(rest)?;
    Some(Spelling {
        format: format!("{}{{label}}{}{{n}}", &c[1], &c[3]),
        label: c[2].to_string(),
    })
}

/// The label (in the grammar's terms) and number of a pre-release, when it
/// is one label and one number (`rc.16`, `rc1`, `beta`: 0).
fn label_and_number(grammar: &Grammar, v: &Version) -> Option<(String, u64)> {
    let c = cached(&LABEL_NUMBER, r"^([A-Za-z]+)[-_.]?([0-9]*)$").captures(&v.prerelease)?;
    let n = if c[2].is_empty() { 0 } else { c[2].parse().ok()? };
    Some((normal_label(grammar, &c[1]), n))
}

/// The tag of pre-release `n` of `label` at `core`, spelled as the
/// repository's highest pre-release (`spelled`), else as `format`, else by
/// the scheme's default.
fn pre_tag(
    grammar: &Grammar,
    format: Option<&str>,
    spelled: Option<&Spelling>,
    core: (u64, u64, u64),
    label: &str,
    n: u64,
) -> String {
    let core = format!("{}.{}.{}", core.0, core.1, core.2);
    let written = match spelled {
        // The label as the repository spells it, when it is the same label.
        Some(s) if normal_label(grammar, &s.label) == label => s.label.clone(),
        _ => match grammar.scheme {
            Scheme::Semver => label.to_string(),
            Scheme::Pep440 => label.to_string(),
        },
    };
    let format = spelled.map(|s| s.format.as_str()).or(format);
    let rest = match format {
        Some(f) => f.replace("{label}", &written).replace("{n}", &n.to_string()),
        None => match grammar.scheme {
            Scheme::Semver => format!("{written}.{n}"),
            Scheme::Pep440 => {
                let normal = pep440_normal(&format!("{core}{written}{n}")).unwrap_or_default();
                normal.strip_prefix(&core).unwrap_or_default().to_string()
            }
        },
    };
    match grammar.scheme {
        Scheme::Semver => format!("{}{core}-{rest}", grammar.prefix),
        Scheme::Pep440 => format!("{}{core}{rest}", grammar.prefix),
    }
}

static SPELLING: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
static LABEL_NUMBER: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
static PEP440_PARTS: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();

/// A regex compiled once.
fn cached(cell: &'static std::sync::OnceLock<regex::Regex>, re: &str) -> &'static regex::Regex {
    cell.get_or_init(|| regex::Regex::new(re).expect("valid regex"))
}

/// Whether two versions are the same version (in any spelling).
fn same(grammar: &Grammar, a: &Version, b: &Version) -> bool {
    order(grammar, a, b) == Ordering::Equal
}

/// The order of versions: SemVer precedence, or PEP 440's order
/// (`1.0.dev1 < 1.0a1 < 1.0rc1 < 1.0 < 1.0.post1`).
pub fn order(grammar: &Grammar, a: &Version, b: &Version) -> Ordering {
    match grammar.scheme {
        Scheme::Semver => {
            let parse = |v: &Version| semver::Version::parse(&v.version).ok();
            match (parse(a), parse(b)) {
                (Some(x), Some(y)) => x.cmp_precedence(&y),
                _ => (a.major, a.minor, a.patch).cmp(&(b.major, b.minor, b.patch)),
            }
        }
        Scheme::Pep440 => pep440_key(a).cmp(&pep440_key(b)),
    }
}

/// PEP 440's order as a tuple, from the normal form.
fn pep440_key(v: &Version) -> (u64, u64, u64, u64, u64, u64, u64) {
    let normal = pep440_normal(&v.version).unwrap_or_else(|| v.pep440.clone());
    let re = cached(
        &PEP440_PARTS,
        r"^[0-9]+\.[0-9]+\.[0-9]+(?:(a|b|rc)([0-9]+))?(?:\.post([0-9]+))?(?:\.dev([0-9]+))?$",
    );
    let Some(c) = re.captures(&normal) else {
        return (v.major, v.minor, v.patch, 0, 0, 0, 0);
    };
    let num = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<u64>().ok());
    let (pre_phase, pre_n) = match c.get(1).map(|m| m.as_str()) {
        Some("a") => (1, num(2).unwrap_or(0)),
        Some("b") => (2, num(2).unwrap_or(0)),
        Some(_) => (3, num(2).unwrap_or(0)),
        // A dev release of the release itself comes before its pre-releases.
        None if c.get(3).is_none() && c.get(4).is_some() => (0, 0),
        None => (4, 0),
    };
    let post = num(3).map_or(0, |n| n + 1);
    let dev = num(4).unwrap_or(u64::MAX);
    (v.major, v.minor, v.patch, pre_phase, pre_n, post, dev)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grammar(yaml: &str) -> Grammar {
        let v: crate::spec::Versioning = yaml_serde::from_str(yaml).expect("versioning");
        Grammar::new(&v, false)
    }

    fn tags(list: &str) -> Vec<String> {
        list.split_whitespace().map(String::from).collect()
    }

    fn ask(
        g: &Grammar,
        format: Option<&str>,
        list: &str,
        bump: Bump,
        label: Option<&str>,
        from: Option<&str>,
    ) -> Result<String, String> {
        let req = Request {
            bump: Some(bump),
            label: label.map(String::from),
            from: from.map(String::from),
        };
        next(g, format, &tags(list), &req).map(|n| n.tag).map_err(|r| r.0)
    }

    #[test]
    fn aicr_bumps() {
        let g = grammar("{prereleases: [rc]}");
        let f = Some("{label}{n}");
        let list = "v1.2.2 v1.2.3 v1.1.9 nightly v1.2.3-junk latest";
        assert_eq!(ask(&g, f, list, Bump::Patch, None, None).unwrap(), "v1.2.4");
        assert_eq!(ask(&g, f, list, Bump::Minor, None, None).unwrap(), "v1.3.0");
        assert_eq!(ask(&g, f, list, Bump::Major, None, None).unwrap(), "v2.0.0");
        assert_eq!(ask(&g, f, list, Bump::Pre, None, None).unwrap(), "v1.3.0-rc1");
        let open = "v1.2.3 v1.3.0-rc1";
        assert_eq!(ask(&g, f, open, Bump::Pre, None, None).unwrap(), "v1.3.0-rc2");
        let promote = "v1.2.3 v1.3.0-rc1 v1.3.0-rc2";
        assert_eq!(ask(&g, f, promote, Bump::Promote, None, None).unwrap(), "v1.3.0");
        assert_eq!(
            ask(&g, f, promote, Bump::Promote, None, Some("v1.3.0-rc2")).unwrap(),
            "v1.3.0"
        );
    }

    #[test]
    fn spelling_follows_the_latest_prerelease() {
        let g = grammar("{prereleases: [rc, beta]}");
        assert_eq!(
            ask(&g, None, "v2.0.0 v2.1.0-rc.16 v2.1.0-rc.15", Bump::Pre, None, None).unwrap(),
            "v2.1.0-rc.17"
        );
        assert_eq!(ask(&g, None, "v2.0.0", Bump::Pre, None, None).unwrap(), "v2.1.0-rc.1");
        assert_eq!(
            ask(&g, Some("{label}{n}"), "v2.0.0", Bump::Pre, None, None).unwrap(),
            "v2.1.0-rc1"
        );
        // A label that sorts earlier than the open line's is refused.
        let e = ask(&g, None, "v2.1.0-rc.2", Bump::Pre, Some("beta"), None).unwrap_err();
        assert!(e.contains("would sort before `v2.1.0-rc.2`"), "{e}");
        let pep = grammar("{scheme: pep440, tag-prefix: '', prereleases: [rc, dev]}");
        assert_eq!(
            ask(&pep, None, "1.1.0 1.2.0.rc4", Bump::Pre, None, None).unwrap(),
            "1.2.0.rc5"
        );
        assert_eq!(ask(&pep, None, "1.1.0", Bump::Pre, None, None).unwrap(), "1.2.0rc1");
        assert_eq!(
            ask(&pep, None, "1.1.0", Bump::Pre, Some("dev"), None).unwrap(),
            "1.2.0.dev1"
        );
        assert_eq!(
            ask(&pep, None, "1.1.0 1.2.0.dev3", Bump::Pre, None, None).unwrap(),
            "1.2.0.dev4"
        );
        // dev sorts before rc: rc after dev starts at 1.
        assert_eq!(
            ask(&pep, None, "1.1.0 1.2.0.dev3", Bump::Pre, Some("rc"), None).unwrap(),
            "1.2.0rc1"
        );
        assert_eq!(
            ask(&pep, None, "1.1.0 1.2.0.rc1 1.2.0.dev3", Bump::Promote, None, None).unwrap(),
            "1.2.0"
        );
    }

    #[test]
    fn promotion_suffix() {
        let g = grammar("{prereleases: [], stable-suffix: -stable}");
        assert_eq!(
            ask(&g, None, "v0.1.2 v0.1.3 v0.1.2-stable", Bump::Promote, None, None).unwrap(),
            "v0.1.3-stable"
        );
        let e = ask(&g, None, "v0.1.3 v0.1.3-stable", Bump::Promote, None, None).unwrap_err();
        assert!(e.contains("exists already"), "{e}");
        assert_eq!(
            ask(&g, None, "v0.1.3 v0.1.3-stable", Bump::Patch, None, None).unwrap(),
            "v0.1.4"
        );
        let e = ask(&g, None, "v0.1.3", Bump::Pre, None, None).unwrap_err();
        assert!(e.contains("no pre-releases"), "{e}");
        let plain = grammar("{}");
        let e = ask(&plain, None, "v0.1.3", Bump::Promote, None, None).unwrap_err();
        assert!(e.contains("no stable-suffix"), "{e}");
    }

    #[test]
    fn existing_results_and_backports() {
        let g = grammar("{}");
        let list = "v1.4.8 v1.5.0 v1.4.9";
        let e = ask(&g, None, list, Bump::Patch, None, Some("v1.4.8")).unwrap_err();
        assert!(e.contains("`v1.4.9` exists already"), "{e}");
        assert_eq!(
            ask(&g, None, list, Bump::Patch, None, Some("v1.4.9")).unwrap(),
            "v1.4.10"
        );
        assert_eq!(ask(&g, None, "", Bump::Minor, None, None).unwrap(), "v0.1.0");
        let e = ask(&g, None, list, Bump::Minor, Some("rc"), None).unwrap_err();
        assert!(e.contains("--label goes with `pre`"), "{e}");
        // The same version in another PEP 440 spelling exists.
        let pep = grammar("{scheme: pep440, tag-prefix: ''}");
        let e = ask(&pep, None, "1.2.0 1.3.0.RC1", Bump::Pre, Some("rc"), Some("1.2.0")).unwrap_err();
        assert!(e.contains("`1.3.0.RC1` exists already"), "{e}");
    }
}
