//! The reference hierarchy: the centre, its agencies, and the 34 provinces with their
//! 3,321 communes from the official list. Loading is idempotent and runs at every start:
//! missing units are added, renamed ones are updated, nothing is deleted.

use super::entity::unit;
use crate::model::text::fold;
use crate::model::unit::UnitLevel;
use anyhow::{Context, Result, bail};
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ConnectionTrait, DatabaseTransaction, EntityTrait,
    Statement, sea_query::OnConflict,
};
use std::collections::HashMap;

/// The official list of provinces and communes after the July 2025 rearrangement.
const ADMIN_UNITS_CSV: &str = include_str!("../../migrations/data/vn-admin-units-2025.csv");

pub const ROOT_CODE: &str = "TW";
const ROOT_NAME: &str = "Trung ương";

/// The main central bodies of the political system, as units under the centre.
const AGENCIES: [(&str, &str); 13] = [
    ("VPTW", "Văn phòng Trung ương Đảng"),
    ("BTCTW", "Ban Tổ chức Trung ương"),
    ("UBKTTW", "Ủy ban Kiểm tra Trung ương"),
    ("BTGDVTW", "Ban Tuyên giáo và Dân vận Trung ương"),
    ("BCSCLTW", "Ban Chính sách, chiến lược Trung ương"),
    ("BNCTW", "Ban Nội chính Trung ương"),
    ("BDNTW", "Ban Đối ngoại Trung ương"),
    ("DUCP", "Đảng ủy Chính phủ"),
    ("DUQH", "Đảng ủy Quốc hội"),
    (
        "DUMTTQ",
        "Đảng ủy Mặt trận Tổ quốc, các đoàn thể Trung ương",
    ),
    ("DUCCQDTW", "Đảng ủy các cơ quan Đảng Trung ương"),
    ("QUTW", "Quân ủy Trung ương"),
    ("DUCATW", "Đảng ủy Công an Trung ương"),
];

/// One unit as the reference data describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReferenceUnit {
    pub code: String,
    pub name: String,
    pub division_type: Option<String>,
    pub level: UnitLevel,
    pub parent_code: Option<String>,
}

/// Every reference unit, parents before their children.
pub fn reference_units() -> Result<Vec<ReferenceUnit>> {
    let mut units = vec![ReferenceUnit {
        code: ROOT_CODE.into(),
        name: ROOT_NAME.into(),
        division_type: None,
        level: UnitLevel::Central,
        parent_code: None,
    }];
    units.extend(AGENCIES.iter().map(|(code, name)| ReferenceUnit {
        code: (*code).into(),
        name: (*name).into(),
        division_type: None,
        level: UnitLevel::Agency,
        parent_code: Some(ROOT_CODE.into()),
    }));

    let mut provinces = Vec::new();
    let mut communes = Vec::new();
    let mut reader = csv::Reader::from_reader(ADMIN_UNITS_CSV.as_bytes());
    for (line, record) in reader.records().enumerate() {
        let record = record.with_context(|| format!("unit list, row {}", line + 2))?;
        let field = |i: usize| record.get(i).unwrap_or_default().trim();
        let level: UnitLevel = field(3)
            .parse()
            .with_context(|| format!("unit list, row {}", line + 2))?;
        let unit = ReferenceUnit {
            code: level.official_code(field(0)),
            name: field(1).to_owned(),
            division_type: Some(field(2).to_owned()).filter(|t| !t.is_empty()),
            level,
            parent_code: Some(match level {
                UnitLevel::Province => ROOT_CODE.to_owned(),
                _ => UnitLevel::Province.official_code(field(4)),
            }),
        };
        match level {
            UnitLevel::Province => provinces.push(unit),
            UnitLevel::Commune => communes.push(unit),
            UnitLevel::Central | UnitLevel::Agency => {
                bail!("unit list, row {}: unexpected level {level}", line + 2)
            }
        }
    }
    units.extend(provinces);
    units.extend(communes);
    Ok(units)
}

/// What loading changed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct LoadReport {
    pub added: usize,
    pub renamed: usize,
}

/// Adds the reference units that are missing and renames the ones whose official name
/// changed, in one transaction.
pub async fn load_reference_units(txn: &DatabaseTransaction) -> Result<LoadReport> {
    let wanted = reference_units()?;
    let existing: HashMap<String, unit::Model> = unit::Entity::find()
        .all(txn)
        .await?
        .into_iter()
        .map(|u| (u.code.clone(), u))
        .collect();

    let mut report = LoadReport::default();
    for reference in &wanted {
        if let Some(current) = existing.get(&reference.code)
            && (current.name != reference.name || current.division_type != reference.division_type)
        {
            let mut update: unit::ActiveModel = current.clone().into();
            update.name = Set(reference.name.clone());
            update.search_key = Set(fold(&reference.name));
            update.division_type = Set(reference.division_type.clone());
            update.update(txn).await?;
            report.renamed += 1;
        }
    }

    let missing: Vec<&ReferenceUnit> = wanted
        .iter()
        .filter(|u| !existing.contains_key(&u.code))
        .collect();
    if missing.is_empty() {
        migration::tallies::fill_unit_ancestors(txn).await?;
        return Ok(report);
    }

    // Insert level by level, so each unit's parent already has an id.
    let mut ids: HashMap<String, i32> = existing.values().map(|u| (u.code.clone(), u.id)).collect();
    let now = Utc::now();
    for level in UnitLevel::ALL {
        let batch: Vec<unit::ActiveModel> = missing
            .iter()
            .filter(|u| u.level == level)
            .map(|u| {
                let parent_id =
                    match &u.parent_code {
                        Some(code) => Some(*ids.get(code).with_context(|| {
                            format!("unit {} has unknown parent {code}", u.code)
                        })?),
                        None => None,
                    };
                Ok(unit::ActiveModel {
                    code: Set(u.code.clone()),
                    name: Set(u.name.clone()),
                    division_type: Set(u.division_type.clone()),
                    level: Set(u.level.as_str().to_owned()),
                    parent_id: Set(parent_id),
                    // Filled in below, once the ids are known.
                    path: Set(String::new()),
                    search_key: Set(fold(&u.name)),
                    created_at: Set(now),
                    // The centre oversees the country; central bodies only when granted.
                    national_oversight: Set(u.level == UnitLevel::Central),
                    ..Default::default()
                })
            })
            .collect::<Result<_>>()?;
        if batch.is_empty() {
            continue;
        }
        report.added += batch.len();
        for chunk in batch.chunks(500) {
            unit::Entity::insert_many(chunk.to_vec())
                .on_conflict(
                    OnConflict::column(unit::Column::Code)
                        .do_nothing()
                        .to_owned(),
                )
                .exec_without_returning(txn)
                .await?;
        }
        ids = unit_ids(txn).await?;
    }
    fill_paths(txn).await?;
    // The dashboards' tallies count each task for every unit on its lead unit's path.
    migration::tallies::fill_unit_ancestors(txn).await?;
    Ok(report)
}

async fn unit_ids(txn: &DatabaseTransaction) -> Result<HashMap<String, i32>> {
    Ok(unit::Entity::find()
        .all(txn)
        .await?
        .into_iter()
        .map(|u| (u.code, u.id))
        .collect())
}

/// Gives every unit without a path its materialised path, top down.
async fn fill_paths(txn: &DatabaseTransaction) -> Result<()> {
    let backend = txn.get_database_backend();
    txn.execute_raw(Statement::from_string(
        backend,
        "UPDATE units SET path = '/' || CAST(id AS TEXT) || '/' \
         WHERE parent_id IS NULL AND path = ''",
    ))
    .await?;
    // One pass per level of depth; the hierarchy is shallow, so this ends quickly.
    loop {
        let filled = txn
            .execute_raw(Statement::from_string(
                backend,
                "UPDATE units SET path = (SELECT p.path FROM units p WHERE p.id = units.parent_id) \
                     || CAST(id AS TEXT) || '/' \
                 WHERE path = '' AND parent_id IN (SELECT id FROM units WHERE path <> '')",
            ))
            .await?
            .rows_affected();
        if filled == 0 {
            break;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_list_has_the_whole_country() {
        let units = reference_units().expect("the bundled list parses");
        let count = |level| units.iter().filter(|u| u.level == level).count();
        assert_eq!(count(UnitLevel::Central), 1);
        assert_eq!(count(UnitLevel::Agency), AGENCIES.len());
        assert_eq!(count(UnitLevel::Province), 34);
        assert_eq!(count(UnitLevel::Commune), 3321);
    }

    #[test]
    fn codes_are_unique_once_padded() {
        let units = reference_units().expect("the bundled list parses");
        let mut codes: Vec<&str> = units.iter().map(|u| u.code.as_str()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), units.len());
    }

    #[test]
    fn parents_come_before_children() {
        let units = reference_units().expect("the bundled list parses");
        let mut seen = std::collections::HashSet::new();
        for unit in &units {
            if let Some(parent) = &unit.parent_code {
                assert!(
                    seen.contains(parent.as_str()),
                    "{} before {parent}",
                    unit.code
                );
            }
            seen.insert(unit.code.as_str());
        }
        let ba_dinh = units
            .iter()
            .find(|u| u.name == "Phường Ba Đình")
            .expect("Ba Đình is listed");
        assert_eq!(ba_dinh.code, "00004");
        assert_eq!(ba_dinh.parent_code.as_deref(), Some("01"));
    }
}
