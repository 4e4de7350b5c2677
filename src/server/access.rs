//! The access rule, in the one place that turns an official into query filters.
//!
//! A unit's subtree is a range of materialised paths: every path under `/1/15/` starts
//! with it and continues with digits and slashes only, all of which sort below `:`.
//! So "this unit and everything under it" is `path >= '/1/15/' AND path < '/1/15/:'`,
//! one range on the path index, on SQLite and PostgreSQL alike.

use super::entity::unit;
use sea_orm::sea_query::{Condition, Expr, ExprTrait};

/// Units in the subtree rooted at the unit whose path is `root_path`, the root included.
pub fn in_subtree(root_path: &str) -> Condition {
    Condition::all()
        .add(Expr::col((unit::Entity, unit::Column::Path)).gte(root_path))
        .add(Expr::col((unit::Entity, unit::Column::Path)).lt(format!("{root_path}:")))
}

/// Whether `path` lies in the subtree rooted at `root_path`.
pub fn path_in_subtree(path: &str, root_path: &str) -> bool {
    path.starts_with(root_path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subtrees_are_prefixes() {
        assert!(path_in_subtree("/1/15/200/", "/1/15/"));
        assert!(path_in_subtree("/1/15/", "/1/15/"));
        assert!(!path_in_subtree("/1/150/", "/1/15/"), "15 is not 150");
        assert!(!path_in_subtree("/1/", "/1/15/"));
        // The range holds every descendant and nothing else.
        let in_range = |path: &str| ("/1/15/".."/1/15/:").contains(&path);
        assert!(in_range("/1/15/"));
        assert!(in_range("/1/15/99999/"));
        assert!(!in_range("/1/150/"));
        assert!(!in_range("/1/16/"));
        assert!(!in_range("/1/"));
    }
}
