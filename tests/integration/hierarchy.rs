//! Loading the unit hierarchy into a real database.

use crate::on_both_backends;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use tiendo::server::entity::unit;
use tiendo::server::hierarchy::load_reference_units;

on_both_backends! {
    fn the_whole_country_loads_once(app) {
        app.block_on(async {
            let db = tiendo::server::db::Db::connect(&app.database.url).await.unwrap();
            let count = |level: &'static str| {
                unit::Entity::find()
                    .filter(unit::Column::Level.eq(level))
                    .count(&db.read)
            };
            assert_eq!(count("central").await.unwrap(), 1);
            assert_eq!(count("agency").await.unwrap(), 13);
            assert_eq!(count("province").await.unwrap(), 34);
            assert_eq!(count("commune").await.unwrap(), 3321);

            // Loading again adds nothing and changes nothing.
            let txn = db.begin_write().await.unwrap();
            let report = load_reference_units(&txn).await.unwrap();
            txn.commit().await.unwrap();
            assert_eq!(report, Default::default());
            assert_eq!(unit::Entity::find().count(&db.read).await.unwrap(), 3369);

            // Paths nest: a commune's path starts with its province's, which starts with the root's.
            let find = |code: &'static str| {
                unit::Entity::find().filter(unit::Column::Code.eq(code)).one(&db.read)
            };
            let root = find("TW").await.unwrap().unwrap();
            let hanoi = find("01").await.unwrap().unwrap();
            let ba_dinh = find("00004").await.unwrap().unwrap();
            assert_eq!(root.path, format!("/{}/", root.id));
            assert_eq!(hanoi.path, format!("{}{}/", root.path, hanoi.id));
            assert_eq!(ba_dinh.path, format!("{}{}/", hanoi.path, ba_dinh.id));
            assert_eq!(ba_dinh.search_key, "phuong ba dinh");
            let unfilled = unit::Entity::find()
                .filter(unit::Column::Path.eq(""))
                .count(&db.read)
                .await
                .unwrap();
            assert_eq!(unfilled, 0);
            db.close().await;
        });
    }
}
