//! Placeholder expansion and the Docker tag rules: for a
//! pre-release only tags with `{version}`, `{prerelease}` or `{sha7}` are
//! pushed; `latest` and `{major}`/`{minor}`-only tags never are, and `{major}`
//! alone is never pushed for 0.x. A moving tag (one without `{version}`,
//! `{patch}`, `{prerelease}` or `{sha7}`: `latest`, `{major}.{minor}`,
//! `{major}`) moves only for the highest release of its line, so that a
//! backport never takes it.

use serde::Serialize;

use super::version::{Standing, Version};
use crate::spec::names::placeholders;

/// Values of the placeholders for one release.
#[derive(Debug, Clone)]
pub struct Values<'a> {
    pub version: &'a Version,
    /// Full or short commit SHA; the first 7 characters are used.
    pub sha: &'a str,
    pub variant: Option<&'a str>,
    pub arch: Option<&'a str>,
}

impl Values<'_> {
    fn get(&self, name: &str) -> String {
        let v = self.version;
        match name {
            "version" => v.version.clone(),
            "pep440" => v.pep440.clone(),
            "major" => v.major.to_string(),
            "minor" => v.minor.to_string(),
            "patch" => v.patch.to_string(),
            "prerelease" => v.prerelease.clone(),
            "sha7" => self.sha.chars().take(7).collect(),
            "variant" => self.variant.unwrap_or("").to_string(),
            "arch" => self.arch.unwrap_or("").to_string(),
            _ => String::new(),
        }
    }
}

/// Expands every placeholder of a template (validated by the spec).
pub fn expand(template: &str, values: &Values) -> String {
    let Ok(found) = placeholders(template) else {
        return template.to_string();
    };
    let mut out = template.to_string();
    for (name, range) in found.into_iter().rev() {
        out.replace_range(range, &values.get(&name));
    }
    out
}

/// [`expand`] with more placeholders: `(name, value)` pairs (e.g. `{tag}`).
pub fn expand_with(template: &str, values: &Values, extra: &[(&str, &str)]) -> String {
    let Ok(found) = placeholders(template) else {
        return template.to_string();
    };
    let mut out = template.to_string();
    for (name, range) in found.into_iter().rev() {
        let value = match extra.iter().find(|(n, _)| *n == name) {
            Some((_, v)) => v.to_string(),
            None => values.get(&name),
        };
        out.replace_range(range, &value);
    }
    out
}

/// When a Docker tag template is pushed,
/// decided once per template: [`docker_tag_applies`] evaluates it in Rust and
/// the tag script (`plan::tagscript`) prints it as bash conditions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TagRule {
    /// Only for releases: the tag names no `{version}`, `{prerelease}` or
    /// `{sha7}` (`latest`, `{major}.{minor}`).
    pub release_only: bool,
    /// Only for pre-releases: `{prerelease}` of a release is empty, the tag
    /// would be malformed.
    pub prerelease_only: bool,
    /// Not for 0.x: `{major}` is the only version placeholder.
    pub nonzero_major: bool,
    /// The line whose highest release the tag follows, for a moving tag.
    pub moves: Option<Line>,
}

/// The versions a moving tag follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Line {
    /// Every release (`latest`): the tag names no version part.
    All,
    /// The releases of one major (`{major}`).
    Major,
    /// The releases of one major.minor (`{major}.{minor}`).
    Minor,
}

impl Line {
    /// Whether a release with this standing moves the tag.
    pub fn moves_for(self, s: Standing) -> bool {
        match self {
            Line::All => s.newest,
            Line::Major => s.newest_in_major,
            Line::Minor => s.newest_in_minor,
        }
    }
}

/// The rule of a Docker tag template.
pub fn docker_tag_rule(template: &str) -> TagRule {
    let names: Vec<String> = placeholders(template)
        .map(|p| p.into_iter().map(|(n, _)| n).collect())
        .unwrap_or_default();
    let has = |n: &str| names.iter().any(|x| x == n);
    let release_only = !(has("version") || has("pep440") || has("prerelease") || has("sha7"));
    let moves = (release_only && !has("patch")).then(|| {
        if has("minor") {
            Line::Minor
        } else if has("major") {
            Line::Major
        } else {
            Line::All
        }
    });
    TagRule {
        release_only,
        moves,
        prerelease_only: has("prerelease"),
        nonzero_major: has("major")
            && !has("minor")
            && !has("version")
            && !has("pep440")
            && !has("patch")
            && !has("sha7")
            && !has("prerelease"),
    }
}

/// Whether a Docker tag template is pushed for this version, standing so
/// among the repository's releases.
pub fn docker_tag_applies(template: &str, version: &Version, standing: Standing) -> bool {
    let rule = docker_tag_rule(template);
    !(rule.release_only && version.is_prerelease
        || rule.prerelease_only && !version.is_prerelease
        || rule.nonzero_major && version.major == 0
        || rule.moves.is_some_and(|line| !line.moves_for(standing)))
}

/// A Docker tag from an expanded template: `+` (build metadata) becomes `_`,
/// as Docker tags cannot hold `+`.
pub fn docker_tag(template: &str, values: &Values) -> String {
    expand(template, values).replace('+', "_")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ver(s: &str, pre: &str, major: u64) -> Version {
        Version {
            version: s.into(),
            pep440: s.into(),
            major,
            minor: 2,
            patch: 3,
            prerelease: pre.into(),
            is_prerelease: !pre.is_empty(),
            post: 0,
            promotion: false,
        }
    }

    const TOP: Standing = Standing {
        newest: true,
        newest_in_major: true,
        newest_in_minor: true,
    };

    #[test]
    fn rules() {
        let rel = ver("1.2.3", "", 1);
        let rc = ver("1.2.3-rc.1", "rc.1", 1);
        let zero = ver("0.2.3", "", 0);
        for t in ["{version}", "{major}.{minor}", "latest", "sha-{sha7}", "{major}"] {
            assert!(docker_tag_applies(t, &rel, TOP), "{t}");
        }
        assert!(!docker_tag_applies("latest", &rc, TOP));
        assert!(!docker_tag_applies("{major}.{minor}", &rc, TOP));
        assert!(docker_tag_applies("sha-{sha7}", &rc, TOP));
        assert!(docker_tag_applies("{version}", &rc, TOP));
        assert!(!docker_tag_applies("{major}", &zero, TOP));
        assert!(docker_tag_applies("{major}.{minor}", &zero, TOP));
        let v = Values {
            version: &rc,
            sha: "0123456789abcdef",
            variant: Some("slim"),
            arch: Some("arm64"),
        };
        assert_eq!(expand("{variant}-{arch}-{version}", &v), "slim-arm64-1.2.3-rc.1");
        assert_eq!(expand("sha-{sha7}", &v), "sha-0123456");
    }

    #[test]
    fn moving_tags_follow_their_line() {
        let backport = ver("1.2.3", "", 1);
        // 1.5.0 exists: 1.2.3 is the newest of 1.2 and of nothing else.
        let in_minor = Standing {
            newest: false,
            newest_in_major: false,
            newest_in_minor: true,
        };
        assert!(!docker_tag_applies("latest", &backport, in_minor));
        assert!(!docker_tag_applies("stable-{variant}", &backport, in_minor));
        assert!(!docker_tag_applies("{major}", &backport, in_minor));
        assert!(docker_tag_applies("{major}.{minor}", &backport, in_minor));
        assert!(docker_tag_applies("{major}.{minor}.{patch}", &backport, in_minor));
        assert!(docker_tag_applies("{version}", &backport, in_minor));
        assert_eq!(docker_tag_rule("{major}.{minor}.{patch}").moves, None);
        assert_eq!(docker_tag_rule("{variant}-{major}").moves, Some(Line::Major));
    }
}
