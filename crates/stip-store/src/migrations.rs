//! The schema's migrations, embedded in the binary: one list of file names, read from
//! `migrations/sqlite` and `migrations/postgres`. sqlx records each migration by version and a
//! SHA-384 of its text ([`Migration::new`]), exactly as its `migrate!` macro did, so databases
//! migrated before keep their history. A test checks that the list is the directories' contents.

use sqlx::migrate::{Migration, MigrationType, Migrator};
use std::borrow::Cow;

macro_rules! migrations {
    ($($file:literal),* $(,)?) => {
        /// File names in order, as in both migration directories.
        pub(crate) const FILES: &[&str] = &[$($file),*];
        const SQLITE: &[&str] = &[$(include_str!(concat!("../migrations/sqlite/", $file))),*];
        const POSTGRES: &[&str] = &[$(include_str!(concat!("../migrations/postgres/", $file))),*];
    };
}

migrations!(
    "0001_portfolio.sql",
    "0002_login_throttle.sql",
    "0003_history_values.sql",
    "0004_change_log.sql",
    "0005_change_log_unlocked.sql",
    "0006_exchange.sql",
    "0007_import_result.sql",
    "0008_mora.sql",
    "0009_prioritisation.sql",
    "0010_survey.sql",
    "0011_meeting.sql",
    "0012_workshop.sql",
    "0013_workgroup.sql",
    "0014_positioning.sql",
    "0015_agenda_versions.sql",
    "0016_sso.sql",
    "0017_survey_published_results.sql",
    "0018_positioning_snapshot.sql",
    "0019_workshop_joining.sql",
    "0020_import_plan.sql",
    "0021_survey_agenda.sql",
    "0022_workshop_totals.sql",
    "0023_weightings_logged.sql",
    "0024_workshop_compare.sql",
);

/// The migrator for SQLite (`postgres == false`) or PostgreSQL.
pub(crate) fn migrator(postgres: bool) -> Migrator {
    let texts = if postgres { POSTGRES } else { SQLITE };
    let migrations = FILES
        .iter()
        .zip(texts)
        .map(|(file, sql)| {
            let (version, name) = file.split_once('_').expect("NNNN_name.sql");
            Migration::new(
                version.parse().expect("a numbered migration"),
                Cow::Owned(name.trim_end_matches(".sql").replace('_', " ")),
                MigrationType::Simple,
                Cow::Borrowed(sql),
                sql.starts_with("-- no-transaction"),
            )
        })
        .collect();
    Migrator {
        migrations: Cow::Owned(migrations),
        ..Migrator::DEFAULT
    }
}

#[cfg(test)]
mod tests {
    use super::FILES;

    fn listed(dir: &str) -> Vec<String> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("migrations")
            .join(dir);
        let mut names: Vec<String> = std::fs::read_dir(path)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn every_migration_file_is_embedded_in_order() {
        let files: Vec<String> = FILES.iter().map(|f| f.to_string()).collect();
        assert_eq!(
            listed("sqlite"),
            files,
            "migrations/sqlite and migrations.rs differ"
        );
        assert_eq!(
            listed("postgres"),
            files,
            "migrations/postgres and migrations.rs differ"
        );
    }
}
