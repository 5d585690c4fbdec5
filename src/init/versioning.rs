//! The version scheme, tag prefix, pre-release labels and promotion suffix,
//! read from the repository's existing tags.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;

use crate::plan::Grammar;
use crate::spec::{Scheme, Versioning};

/// A tag that looks like a version: `<prefix>MAJOR.MINOR.PATCH<rest>`.
static VERSION_TAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^((?:[A-Za-z0-9._/-]*[A-Za-z_/-])?)([0-9]+\.[0-9]+\.[0-9]+)((?:[-+._]|[A-Za-z]).*)?$").expect("regex")
});
/// PEP 440 in the canonical spelling wfgen's grammar accepts after the release.
static PEP440_CANONICAL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:(a|b|rc)[0-9]+)?(?:\.post[0-9]+)?(?:\.(dev)[0-9]+)?$").expect("regex"));
/// Any spelling PEP 440 normalises (`.rc1`, `-rc.1`, `alpha2`, `-dev3`).
static PEP440_LOOSE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:[-_.]?(a|b|c|rc|alpha|beta|pre|preview)[-_.]?[0-9]*)?(?:[-_.]?(?:post|rev|r)[-_.]?[0-9]*)?(?:[-_.]?(dev)[-_.]?[0-9]*)?$",
    )
    .expect("regex")
});
/// Words that name pre-releases, never promotions.
const PRE_WORDS: &[&str] = &[
    "a",
    "b",
    "c",
    "rc",
    "alpha",
    "beta",
    "pre",
    "preview",
    "dev",
    "next",
    "snapshot",
    "canary",
    "nightly",
    "test",
    "post",
    "m",
    "milestone",
    "ea",
    "experimental",
    "unstable",
    "edge",
];

pub struct Guess {
    pub scheme: Scheme,
    pub scheme_why: String,
    pub prefix: String,
    pub prefix_why: String,
    pub prereleases: Vec<String>,
    pub prereleases_why: String,
    pub stable_suffix: Option<(String, String)>,
    /// Comment lines about the tags that the guessed grammar accepts.
    pub notes: Vec<String>,
}

fn examples(items: &[&String], n: usize) -> String {
    let mut v: Vec<String> = items.iter().take(n).map(|s| s.to_string()).collect();
    if items.len() > n {
        v.push("...".into());
    }
    v.join(", ")
}

/// `tags`: the repository's tags (`None`: not a git repository);
/// `python_only`: the project releases Python packages and nothing built by
/// cargo or go (PEP 440 when the tags do not tell).
pub fn guess(tags: Option<&[String]>, python_only: bool) -> Guess {
    let default_scheme = if python_only { Scheme::Pep440 } else { Scheme::Semver };
    let default_why = if python_only {
        "PyPI versions are PEP 440 and the project ships only Python packages"
    } else {
        "the default"
    };
    let defaults = |why: &str| Guess {
        scheme: default_scheme,
        scheme_why: format!("{why}: {default_why}"),
        prefix: "v".into(),
        prefix_why: format!("{why}: the default"),
        prereleases: vec!["rc".into(), "alpha".into(), "beta".into()],
        prereleases_why: "the default".into(),
        stable_suffix: None,
        notes: Vec::new(),
    };
    let Some(tags) = tags else {
        return defaults("not a git repository");
    };
    // (prefix, core, rest) of each version-like tag.
    let versions: Vec<(&String, String, String, String)> = tags
        .iter()
        .filter_map(|t| {
            let c = VERSION_TAG.captures(t)?;
            let rest = c.get(3).map_or("", |m| m.as_str()).to_string();
            if rest.starts_with('.') && rest[1..].starts_with(|ch: char| ch.is_ascii_digit()) {
                return None; // four-part versions
            }
            Some((t, c[1].to_string(), c[2].to_string(), rest))
        })
        .collect();
    if versions.is_empty() {
        let why = if tags.is_empty() {
            "no tags yet".to_string()
        } else {
            format!("none of the {} tags looks like a version", tags.len())
        };
        return defaults(&why);
    }

    let (prefix, prefix_why) = prefix_of(&versions);
    let mine: Vec<&(&String, String, String, String)> = versions.iter().filter(|(_, p, _, _)| *p == prefix).collect();
    let kinds = TagKinds::of(&mine);
    let (scheme, scheme_why) = scheme_of(&kinds, python_only);
    let seen = if scheme == Scheme::Pep440 {
        &kinds.pep_labels
    } else {
        &kinds.semver_labels
    };
    let (prereleases, prereleases_why) = prereleases_of(seen);
    let promotions = &kinds.promotions;

    let stable_suffix = promotions
        .iter()
        .max_by_key(|(_, n)| **n)
        .filter(|(s, _)| {
            let word = s.trim_start_matches('-').to_ascii_lowercase();
            !prereleases.iter().any(|l| l.eq_ignore_ascii_case(&word))
        })
        .map(|(s, n)| {
            (
                s.clone(),
                format!("{n} tags {prefix}X.Y.Z{s} promote a release tag {prefix}X.Y.Z"),
            )
        });

    let mut g = Guess {
        scheme,
        scheme_why,
        prefix,
        prefix_why,
        prereleases,
        prereleases_why,
        stable_suffix,
        notes: Vec::new(),
    };
    g.notes = acceptance(&g, tags, &kinds.loose_pep);
    g
}

/// The prefix most version tags use ("v" wins a tie, then ""), and why.
fn prefix_of(versions: &[(&String, String, String, String)]) -> (String, String) {
    let mut by_prefix: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, p, _, _) in versions {
        *by_prefix.entry(p.as_str()).or_default() += 1;
    }
    let rank = |p: &str| match p {
        "v" => 2,
        "" => 1,
        _ => 0,
    };
    // `v` or no prefix when a quarter of the version tags use it: the other
    // prefixes of a monorepo (`helm-chart-`, `operator/v`) name components.
    let most = by_prefix.values().copied().max().unwrap_or(0);
    let (prefix, count) = by_prefix
        .iter()
        .max_by_key(|(p, n)| (rank(p) > 0 && **n * 4 >= most, **n, rank(p)))
        .map(|(p, n)| (p.to_string(), *n))
        .expect("one prefix at least");
    let others: Vec<String> = by_prefix
        .iter()
        .filter(|(p, _)| **p != prefix)
        .map(|(p, n)| {
            if p.is_empty() {
                format!("{n} without")
            } else {
                format!("{n} with {p}")
            }
        })
        .collect();
    let prefix_desc = if prefix.is_empty() {
        "have no prefix".to_string()
    } else {
        format!("start with {prefix}")
    };
    let prefix_why = if others.is_empty() {
        format!("all {} version tags {prefix_desc}", versions.len())
    } else {
        format!(
            "{count} of the {} version tags {prefix_desc} ({})",
            versions.len(),
            others.join(", ")
        )
    };
    (prefix, prefix_why)
}

/// What the version tags of the chosen prefix are: PEP 440 or semver only,
/// their pre-release labels, the promotion suffixes (`-word` after a
/// version that also has a plain tag), the non-canonical PEP 440 spellings.
struct TagKinds<'a> {
    pep_only: Vec<&'a String>,
    sem_only: Vec<&'a String>,
    semver_labels: BTreeMap<String, usize>,
    pep_labels: BTreeMap<String, usize>,
    promotions: BTreeMap<String, usize>,
    loose_pep: Vec<&'a String>,
}

impl<'a> TagKinds<'a> {
    /// `mine`: (tag, prefix, MAJOR.MINOR.PATCH, the rest) of each tag.
    fn of(mine: &[&(&'a String, String, String, String)]) -> TagKinds<'a> {
        let plain: std::collections::BTreeSet<&str> = mine
            .iter()
            .filter(|(_, _, _, r)| r.is_empty())
            .map(|(_, _, c, _)| c.as_str())
            .collect();
        let mut pep_only: Vec<&String> = Vec::new();
        let mut sem_only: Vec<&String> = Vec::new();
        let mut semver_labels: BTreeMap<String, usize> = BTreeMap::new();
        let mut pep_labels: BTreeMap<String, usize> = BTreeMap::new();
        let mut promotions: BTreeMap<String, usize> = BTreeMap::new();
        let mut loose_pep: Vec<&String> = Vec::new();
        for (tag, _, core, rest) in mine {
            if rest.is_empty() {
                continue;
            }
            if let Some(word) = rest
                .strip_prefix('-')
                .filter(|w| w.chars().all(|c| c.is_ascii_alphabetic()))
                && !PRE_WORDS.contains(&word.to_ascii_lowercase().as_str())
                && plain.contains(core.as_str())
            {
                *promotions.entry(rest.clone()).or_default() += 1;
                continue;
            }
            let sem = semver::Version::parse(&format!("{core}{rest}")).ok();
            let canonical = PEP440_CANONICAL.captures(rest);
            let loose = PEP440_LOOSE.captures(rest);
            if let Some(v) = &sem {
                let first = v.pre.as_str().split('.').next().unwrap_or("");
                let label = first.trim_end_matches(|c: char| c.is_ascii_digit());
                if !label.is_empty() && label.chars().all(|c| c.is_ascii_alphabetic()) {
                    *semver_labels.entry(label.to_string()).or_default() += 1;
                }
            }
            if let Some(c) = canonical.as_ref().or(loose.as_ref()) {
                if canonical.is_none() {
                    loose_pep.push(tag);
                }
                let label = c.get(1).map(|m| {
                    match m.as_str().to_ascii_lowercase().as_str() {
                        "a" | "alpha" => "alpha",
                        "b" | "beta" => "beta",
                        _ => "rc",
                    }
                    .to_string()
                });
                for l in label.into_iter().chain(c.get(2).map(|_| "dev".to_string())) {
                    *pep_labels.entry(l).or_default() += 1;
                }
            }
            match (sem.is_some(), canonical.is_some() || loose.is_some()) {
                (false, true) => pep_only.push(tag),
                (true, false) => sem_only.push(tag),
                _ => {}
            }
        }
        TagKinds {
            pep_only,
            sem_only,
            semver_labels,
            pep_labels,
            promotions,
            loose_pep,
        }
    }
}

/// The scheme the tags tell (PEP 440 when more tags are PEP 440 only than
/// semver only), and why.
fn scheme_of(kinds: &TagKinds, python_only: bool) -> (Scheme, String) {
    let (pep_only, sem_only) = (&kinds.pep_only, &kinds.sem_only);
    if pep_only.len() > sem_only.len() {
        (
            Scheme::Pep440,
            format!(
                "{} tags are PEP 440 and not semver ({}){}",
                pep_only.len(),
                examples(pep_only, 3),
                if sem_only.is_empty() {
                    String::new()
                } else {
                    format!(", {} are semver only", sem_only.len())
                }
            ),
        )
    } else if !sem_only.is_empty() {
        (
            Scheme::Semver,
            format!(
                "{} tags are semver and not PEP 440 ({})",
                sem_only.len(),
                examples(sem_only, 3)
            ),
        )
    } else if python_only {
        (
            Scheme::Pep440,
            "the tags fit semver and PEP 440 alike, and the project ships only Python packages".into(),
        )
    } else {
        (
            Scheme::Semver,
            "the tags fit semver (no PEP 440-only spellings such as 1.2.0rc1 or 1.2.0.dev1)".into(),
        )
    }
}

/// The pre-release labels: rc, alpha and beta, then those the tags use
/// (`seen`, with their counts), most used first; and why.
fn prereleases_of(seen: &BTreeMap<String, usize>) -> (Vec<String>, String) {
    let mut prereleases: Vec<String> = vec!["rc".into(), "alpha".into(), "beta".into()];
    let mut seen_sorted: Vec<(&String, &usize)> = seen.iter().collect();
    seen_sorted.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    for (l, _) in &seen_sorted {
        if !prereleases.contains(l) {
            prereleases.push((*l).clone());
        }
    }
    let prereleases_why = if seen_sorted.is_empty() {
        "the default; no pre-release tags yet".to_string()
    } else {
        format!(
            "pre-release labels in the tags: {}",
            seen_sorted
                .iter()
                .map(|(l, n)| format!("{l} ({n})"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    (prereleases, prereleases_why)
}

/// Which of the repository's tags the guessed grammar accepts.
fn acceptance(g: &Guess, tags: &[String], loose_pep: &[&String]) -> Vec<String> {
    let v = Versioning {
        scheme: g.scheme,
        tag_prefix: g.prefix.clone(),
        prereleases: g.prereleases.clone(),
        stable_suffix: g.stable_suffix.as_ref().map(|(s, _)| s.clone()),
        version_files: Vec::new(),
        pep440_spelling: Default::default(),
        build_metadata: Default::default(),
        prerelease_format: None,
    };
    let grammar = Grammar::new(&v, false);
    let rejected: Vec<&String> = tags.iter().filter(|t| grammar.parse(t).is_err()).collect();
    let mut notes = vec![format!(
        "{} of the repository's {} tags are release tags under this versioning",
        tags.len() - rejected.len(),
        tags.len()
    )];
    if !rejected.is_empty() {
        notes.push(format!("not: {}", examples(&rejected, 6)));
    }
    let loose_rejected: Vec<&String> = loose_pep.iter().copied().filter(|t| rejected.contains(t)).collect();
    if g.scheme == Scheme::Pep440 && !loose_rejected.is_empty() {
        notes.push(format!(
            "{} tags spell a pre-release in a non-canonical PEP 440 form ({}); release tags must be canonical, e.g. 1.2.0rc1",
            loose_rejected.len(),
            examples(&loose_rejected, 2)
        ));
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(s: &[&str]) -> Vec<String> {
        s.iter().map(|t| t.to_string()).collect()
    }

    #[test]
    fn semver_with_v_prefix_and_labels() {
        let g = guess(
            Some(&tags(&[
                "v2.1.5",
                "v3.0.0-alpha.1",
                "v3.0.0-rc.10",
                "v3.0.0-rc.2",
                "latest",
            ])),
            false,
        );
        assert_eq!(g.scheme, Scheme::Semver);
        assert_eq!(g.prefix, "v");
        assert_eq!(g.prereleases, ["rc", "alpha", "beta"]);
        assert!(g.stable_suffix.is_none());
        assert_eq!(
            g.notes[0],
            "4 of the repository's 5 tags are release tags under this versioning"
        );
    }

    #[test]
    fn pep440_without_prefix() {
        let g = guess(
            Some(&tags(&[
                "1.6.0",
                "1.7.0.rc2",
                "1.7.0.dev3",
                "1.7.0",
                "1.7.1",
                "1.7.2-rc1",
                "v1.2.0.dev2",
                "stable",
                "2.x-dep",
            ])),
            false,
        );
        assert_eq!(g.scheme, Scheme::Pep440, "{}", g.scheme_why);
        assert_eq!(g.prefix, "");
        assert_eq!(g.prereleases, ["rc", "alpha", "beta", "dev"]);
        // 1.7.0.rc2 and 1.7.2-rc1 are PEP 440 spellings the release accepts.
        assert!(
            g.notes.iter().any(|n| n == "not: v1.2.0.dev2, stable, 2.x-dep")
                && !g.notes.iter().any(|n| n.contains("non-canonical")),
            "{:?}",
            g.notes
        );
    }

    #[test]
    fn promotion_suffix() {
        let g = guess(
            Some(&tags(&["v0.1.1", "v0.1.1-stable", "v0.1.2", "v0.1.2-stable", "v0.1.3"])),
            false,
        );
        assert_eq!(g.stable_suffix.as_ref().map(|s| s.0.as_str()), Some("-stable"));
        assert_eq!(
            g.notes[0],
            "5 of the repository's 5 tags are release tags under this versioning"
        );
    }

    #[test]
    fn no_git_no_tags_odd_tags() {
        assert_eq!(guess(None, false).prefix, "v");
        assert_eq!(guess(Some(&[]), true).scheme, Scheme::Pep440);
        let g = guess(
            Some(&tags(&[
                "",
                "v",
                "1.2",
                "x.y.z",
                "release/1.2.3",
                "release/2.0.0",
                "1.2.3.4",
            ])),
            false,
        );
        assert_eq!(g.prefix, "release/");
        // A monorepo: the product's v tags, not the more numerous chart tags.
        let g = guess(
            Some(&tags(&[
                "v3.0.0",
                "helm-x-1.0.0",
                "helm-x-1.0.1",
                "helm-x-1.0.2",
                "helm-x-1.1.0",
            ])),
            false,
        );
        assert_eq!(g.prefix, "v");
    }
}
