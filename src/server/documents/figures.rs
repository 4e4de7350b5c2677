//! A document's figures as a reader sees them: the number of tasks they may see and the
//! progress of the topmost of those. Counting them row by row reads every task of the
//! reader's subtree (180,000 per resolution for the centre, 47,000 for Hà Nội: a second a
//! page on the national data set). Instead:
//! - the tasks led in the reader's subtree come from the tallies, which leave out only the
//!   cancelled ones, found through their partial index;
//! - the few tasks seen from outside (assigned by the subtree to a unit outside it, or
//!   coordinated by the subtree) through indexes that hold only them.
//!
//! Every task visible under `access::visible_tasks` is counted exactly once: led in the
//! subtree; led outside and assigned from inside; led and assigned outside, coordinated
//! inside. The model-based access test checks these counts against its oracle.

use super::super::access::Reader;
use super::super::db::Db;
use super::super::work::Outcome;
use sea_orm::{FromQueryResult, Statement, Value};
use std::collections::HashMap;

/// A task whose lead unit lies outside its assigner's subtree: rare (units with national
/// oversight assigning across the country), and indexed apart (migration 8). The text is
/// the index's predicate, word for word: SQLite uses a partial index only then.
const LED_OUTSIDE: &str = "substr(lead_path, 1, length(assigner_path)) <> assigner_path";

/// The documents' top-level tasks within clearance. The `+` keeps the clearance off the
/// index: SQLite without statistics would otherwise take `(parent_id, classification)`
/// over every document's top-level tasks instead of `(document_id, parent_id)`.
fn top_level(documents: &str) -> String {
    format!("parent_id IS NULL AND +classification <= $1 AND document_id IN ({documents})")
}

#[derive(Debug, FromQueryResult)]
struct Count {
    document_id: i32,
    tasks: i64,
}

#[derive(Debug, FromQueryResult)]
struct Progress {
    document_id: i32,
    weighted: Option<i64>,
    weights: Option<i64>,
}

/// Progress (weighted over the topmost visible tasks, rounded) and the number of visible
/// tasks, per document.
pub async fn figures(db: &Db, reader: &Reader, ids: &[i32]) -> Outcome<HashMap<i32, (i16, u32)>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let documents = ids
        .iter()
        .map(i32::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let ((count_sql, count_values), (progress_sql, progress_values)) = if reader.sees_all {
        country(&documents, reader)
    } else {
        subtree(&documents, reader)
    };
    let backend = db.backend();
    let counts = Count::find_by_statement(Statement::from_sql_and_values(
        backend,
        count_sql,
        count_values,
    ))
    .all(&db.read)
    .await?;
    let progress = Progress::find_by_statement(Statement::from_sql_and_values(
        backend,
        progress_sql,
        progress_values,
    ))
    .all(&db.read)
    .await?;
    let mut figures: HashMap<i32, (i16, u32)> = HashMap::new();
    for row in progress {
        let (weighted, weights) = (row.weighted.unwrap_or(0), row.weights.unwrap_or(0));
        if weights > 0 {
            let percent = (weighted + weights / 2) / weights;
            figures.entry(row.document_id).or_default().0 = i16::try_from(percent).unwrap_or(0);
        }
    }
    for row in counts {
        figures.entry(row.document_id).or_default().1 =
            u32::try_from(row.tasks).unwrap_or(u32::MAX);
    }
    Ok(figures)
}

/// The aggregate over rows `(document_id, n)` or `(document_id, progress, weight)`.
fn summed(parts: &[String], progress: bool) -> String {
    let rows = parts.join(" UNION ALL ");
    // PostgreSQL sums BIGINT as NUMERIC: cast back.
    if progress {
        format!(
            "SELECT document_id, CAST(SUM(progress * weight) AS BIGINT) AS weighted, \
             CAST(SUM(weight) AS BIGINT) AS weights FROM ({rows}) AS topmost GROUP BY document_id"
        )
    } else {
        format!(
            "SELECT document_id, CAST(SUM(n) AS BIGINT) AS tasks FROM ({rows}) AS counted \
             GROUP BY document_id"
        )
    }
}

/// Each statement with its values.
type Statements = ((String, Vec<Value>), (String, Vec<Value>));

/// A reader who sees the whole country: every task within clearance, counted at the root
/// units of the tallies; progress over the documents' top-level tasks. `$1` is the
/// clearance.
fn country(documents: &str, reader: &Reader) -> Statements {
    let mine = format!("classification <= $1 AND document_id IN ({documents})");
    let count = summed(
        &[
            format!(
                "SELECT document_id, tasks AS n FROM tally_status \
                 WHERE unit_id IN (SELECT id FROM units WHERE parent_id IS NULL) AND {mine}"
            ),
            format!("SELECT document_id, 1 AS n FROM tasks WHERE status = 'cancelled' AND {mine}"),
        ],
        false,
    );
    let progress = summed(
        &[format!(
            "SELECT document_id, progress, weight FROM tasks WHERE {}",
            top_level(documents)
        )],
        true,
    );
    let values = vec![Value::from(reader.clearance)];
    ((count, values.clone()), (progress, values))
}

/// Any other reader. The count's values: `$1` clearance, `$2` the reader's unit, `$3`..`$4`
/// the range of its subtree's paths; the progress's: `$1` clearance, `$2`..`$3` the range,
/// `$4`... the paths of the units above the reader's (PostgreSQL wants every value used).
fn subtree(documents: &str, reader: &Reader) -> Statements {
    let mine = format!("classification <= $1 AND document_id IN ({documents})");
    let range: Vec<Value> = vec![
        reader.unit_path.clone().into(),
        format!("{}:", reader.unit_path).into(),
    ];
    let count = counted_in_subtree(&mine, |column| {
        format!("({column} >= $3 AND {column} < $4)")
    });
    let mut count_values = vec![reader.clearance.into(), reader.unit_id.into()];
    count_values.extend(range.iter().cloned());

    let above = ancestors(&reader.unit_path);
    let progress = topmost_in_subtree(&mine, &top_level(documents), &above, |column| {
        format!("({column} >= $2 AND {column} < $3)")
    });
    let mut progress_values = vec![reader.clearance.into()];
    progress_values.extend(range);
    progress_values.extend(above.into_iter().map(Value::from));
    ((count, count_values), (progress, progress_values))
}

/// Every visible task, once: led inside (tallied, or cancelled), led outside and assigned
/// from inside, led and assigned outside and coordinated inside.
fn counted_in_subtree(mine: &str, inside: impl Fn(&str) -> String) -> String {
    let (lead_in, assigner_in) = (inside("lead_path"), inside("assigner_path"));
    let coordinated = format!(
        "id IN (SELECT task_id FROM task_coordinators WHERE {})",
        inside("unit_path")
    );
    summed(
        &[
            // Led inside, not cancelled.
            format!(
                "SELECT document_id, tasks AS n FROM tally_status WHERE unit_id = $2 AND {mine}"
            ),
            // Led inside, cancelled.
            format!(
                "SELECT document_id, 1 AS n FROM tasks \
                 WHERE status = 'cancelled' AND {lead_in} AND {mine}"
            ),
            // Led outside, assigned from inside.
            format!(
                "SELECT document_id, 1 AS n FROM tasks \
                 WHERE {LED_OUTSIDE} AND {assigner_in} AND NOT {lead_in} AND {mine}"
            ),
            // Led and assigned outside, coordinated inside.
            format!(
                "SELECT document_id, 1 AS n FROM tasks \
                 WHERE {coordinated} AND NOT {lead_in} AND NOT {assigner_in} AND {mine}"
            ),
        ],
        false,
    )
}

/// The topmost visible tasks: the top-level ones, and those assigned from outside (from
/// the units `above`, whose paths are the values from `$4` on, or from elsewhere).
fn topmost_in_subtree(
    mine: &str,
    top_level: &str,
    above: &[String],
    inside: impl Fn(&str) -> String,
) -> String {
    let (lead_in, assigner_in) = (inside("lead_path"), inside("assigner_path"));
    let coordinated = format!(
        "id IN (SELECT task_id FROM task_coordinators WHERE {})",
        inside("unit_path")
    );
    let (from_above, not_from_above) = if above.is_empty() {
        ("1 = 0".to_owned(), "1 = 1".to_owned())
    } else {
        let list = (0..above.len())
            .map(|i| format!("${}", i + 4))
            .collect::<Vec<_>>()
            .join(", ");
        (
            format!("assigner_path IN ({list})"),
            format!("assigner_path NOT IN ({list})"),
        )
    };
    summed(
        &[
            format!(
                "SELECT document_id, progress, weight FROM tasks t WHERE {top_level} \
                 AND ({lead_in} OR {assigner_in} OR EXISTS (SELECT 1 FROM \
                 task_coordinators c WHERE c.task_id = t.id AND {}))",
                inside("c.unit_path")
            ),
            // Led inside, assigned from above (an index on assigner and lead path).
            format!(
                "SELECT document_id, progress, weight FROM tasks WHERE {from_above} \
                 AND {lead_in} AND parent_id IS NOT NULL AND {mine}"
            ),
            // Led inside, assigned from elsewhere: such a lead is outside its assigner's
            // subtree too.
            format!(
                "SELECT document_id, progress, weight FROM tasks WHERE {LED_OUTSIDE} \
                 AND {lead_in} AND NOT {assigner_in} AND {not_from_above} \
                 AND parent_id IS NOT NULL AND {mine}"
            ),
            // Led and assigned outside, coordinated inside.
            format!(
                "SELECT document_id, progress, weight FROM tasks WHERE {coordinated} \
                 AND NOT {lead_in} AND NOT {assigner_in} AND parent_id IS NOT NULL AND {mine}"
            ),
        ],
        true,
    )
}

/// The paths of the units above the one at `path`: `/1/15/200/` → `/1/`, `/1/15/`.
fn ancestors(path: &str) -> Vec<String> {
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    (1..segments.len())
        .map(|n| format!("/{}/", segments[..n].join("/")))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_units_above_in_order() {
        assert_eq!(ancestors("/1/15/200/"), ["/1/", "/1/15/"]);
        assert_eq!(ancestors("/1/"), Vec::<String>::new());
    }
}
