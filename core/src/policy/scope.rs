//! The registry scope format: `domain/repository` as the distribution reference grammar defines
//! it (notation-go's `validateRegistryScopeFormat`), written out by hand instead of as regular
//! expressions.

/// The scope that matches every artifact.
pub(crate) const WILDCARD: &str = "*";

/// Why a scope string is not a valid non-wildcard scope.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ScopeFormatError {
    /// It contains `*` (and is not `*` alone).
    Wildcard,
    /// It is not `domain/repository`.
    Invalid,
}

/// Checks a non-wildcard registry scope (or the repository part of an artifact reference).
pub(crate) fn check_scope_format(scope: &str) -> Result<(), ScopeFormatError> {
    if scope.len() > 1 && scope.contains('*') {
        return Err(ScopeFormatError::Wildcard);
    }
    match scope.split_once('/') {
        Some((domain, repository)) if is_domain(domain) && is_repository(repository) => Ok(()),
        _ => Err(ScopeFormatError::Invalid),
    }
}

/// `label(.label)*(:port)?` where a label is alphanumeric with inner hyphens.
fn is_domain(domain: &str) -> bool {
    let host = match domain.split_once(':') {
        Some((host, port)) => {
            if port.is_empty() || !port.bytes().all(|b| b.is_ascii_digit()) {
                return false;
            }
            host
        }
        None => domain,
    };
    host.split('.').all(is_domain_label)
}

fn is_domain_label(label: &str) -> bool {
    let bytes = label.as_bytes();
    match (bytes.first(), bytes.last()) {
        (Some(first), Some(last)) => {
            first.is_ascii_alphanumeric()
                && last.is_ascii_alphanumeric()
                && bytes.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'-')
        }
        _ => false,
    }
}

/// `component(/component)*`.
fn is_repository(repository: &str) -> bool {
    repository.split('/').all(is_path_component)
}

/// Runs of `[a-z0-9]` joined by `.`, `_`, `__` or one or more `-`.
fn is_path_component(component: &str) -> bool {
    let is_alphanumeric = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    let bytes = component.as_bytes();
    match (bytes.first(), bytes.last()) {
        (Some(&first), Some(&last)) if is_alphanumeric(first) && is_alphanumeric(last) => {}
        _ => return false,
    }
    component
        .split(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        .filter(|separator| !separator.is_empty())
        .all(|separator| matches!(separator, "." | "_" | "__") || separator.bytes().all(|b| b == b'-'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const DOMAIN: &str = r"^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))+)?(?::[0-9]+)?$";
    const REPOSITORY: &str =
        r"^[a-z0-9]+(?:(?:(?:[._]|__|[-]*)[a-z0-9]+)+)?(?:(?:/[a-z0-9]+(?:(?:(?:[._]|__|[-]*)[a-z0-9]+)+)?)+)?$";

    /// notation-go's check with its regular expressions, as the oracle.
    fn reference_check(scope: &str) -> Result<(), ScopeFormatError> {
        let domain_re = regex::Regex::new(DOMAIN).map_err(|_| ScopeFormatError::Invalid)?;
        let repository_re = regex::Regex::new(REPOSITORY).map_err(|_| ScopeFormatError::Invalid)?;
        if scope.len() > 1 && scope.contains('*') {
            return Err(ScopeFormatError::Wildcard);
        }
        match scope.split_once('/') {
            Some((d, r)) if !d.is_empty() && !r.is_empty() && domain_re.is_match(d) && repository_re.is_match(r) => {
                Ok(())
            }
            _ => Err(ScopeFormatError::Invalid),
        }
    }

    #[test]
    fn accepts_and_rejects_like_notation() {
        for ok in [
            "registry.acme-rockets.io/software/net-monitor",
            "localhost:5000/net-monitor",
            "local/myoci_layout",
            "a/b__c",
            "a/b---c.d",
            "example/software",
            "A-1.b:1/x/y/z",
        ] {
            assert_eq!(check_scope_format(ok), Ok(()), "{ok}");
        }
        for bad in [
            "registry.io",
            "registry.io/",
            "/repo",
            "registry.io/Repo",
            "registry.io/a..b",
            "registry.io/a___b",
            "registry.io/a/",
            "-a.io/b",
            "a.io:/b",
            "a.io:80:90/b",
            "[::1]:5000/b",
            "a.io/b:tag",
            "https://a.io/b",
        ] {
            assert_eq!(check_scope_format(bad), Err(ScopeFormatError::Invalid), "{bad}");
        }
        assert_eq!(check_scope_format("a.io/*"), Err(ScopeFormatError::Wildcard));
        assert_eq!(check_scope_format("*"), Err(ScopeFormatError::Invalid));
    }

    proptest! {
        #[test]
        fn matches_the_regular_expressions(scope in "[a-zA-Z0-9._:/*-]{0,24}") {
            prop_assert_eq!(check_scope_format(&scope), reference_check(&scope));
        }

        #[test]
        fn matches_the_regular_expressions_on_likely_scopes(
            scope in "[a-z0-9]{1,3}([.-][a-z0-9]{1,3}){0,2}(:[0-9]{1,4})?/[a-z0-9]{1,3}([._-]{1,3}[a-z0-9]{1,3}){0,3}(/[a-z0-9_.-]{1,4}){0,2}"
        ) {
            prop_assert_eq!(check_scope_format(&scope), reference_check(&scope));
        }
    }
}
