//! Which field a column holds: by the exchange standard's Dutch or English header, or by the
//! names institutions give their own columns; and where in a sheet the header row is.

use super::sheet::{Row, Sheet};
use super::values::{Names, normalise};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A field a column can hold. A criterion's score is `Score(code)`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    /// The institution's BRIN code: a row of another institution is refused.
    Institution,
    ExternalId,
    Title,
    Summary,
    Description,
    IntendedResult,
    Owner,
    ProjectLead,
    ContactPerson,
    Phase,
    Status,
    StatusNote,
    StartDate,
    EndDate,
    Budget,
    Effort,
    EffortUnit,
    Horizon,
    Character,
    PerspectiveStrategicOperational,
    PerspectiveIctBusiness,
    /// One or more themes, the primary first.
    Themes,
    /// The primary theme alone, when the other themes have a column of their own.
    PrimaryTheme,
    /// MORA process areas, by name or code.
    MoraAreas,
    Drivers,
    Score(String),
    Visibility,
    Shareable,
    CaseSummary,
    Links,
}

/// Every fixed field in the exchange standard's column order, with its code (the API's field
/// name), its Dutch and English headers, and other names institutions use (normalised).
#[rustfmt::skip]
pub const FIELDS: &[(Field, &str, &str, &str, &[&str])] = &[
    (Field::Institution, "institution", "BRIN", "BRIN",
     &["brincode", "brinnummer", "institution"]),
    (Field::ExternalId, "external_id", "Projectnummer", "Project number",
     &["projectnr", "nr", "nummer", "kenmerk", "projectcode", "code", "id", "referentie", "ref", "projectid", "externid", "externalid", "eigennummer"]),
    (Field::Title, "title", "Titel", "Title",
     &["projectnaam", "naamproject", "naam", "project", "projecttitel", "onderwerp", "name", "projectname"]),
    (Field::Summary, "summary", "Samenvatting", "Summary",
     &["korteomschrijving", "kortebeschrijving", "summary"]),
    (Field::Description, "description", "Beschrijving", "Description",
     &["omschrijving", "toelichtingproject", "langeomschrijving", "uitgebreideomschrijving"]),
    (Field::IntendedResult, "intended_result", "Beoogd resultaat", "Intended result",
     &["resultaat", "doel", "doelstelling", "beoogderesultaten", "result", "goal"]),
    (Field::Owner, "owner", "Opdrachtgever", "Owner",
     &["eigenaar", "sponsor", "bestuurder", "opdrachtgevers", "projectowner"]),
    (Field::ProjectLead, "project_lead", "Projectleider", "Project lead",
     &["trekker", "projectmanager", "leider", "projectleiding", "manager", "lead"]),
    (Field::ContactPerson, "contact_person", "Contactpersoon", "Contact person",
     &["contact", "aanspreekpunt"]),
    (Field::Phase, "phase", "Fase", "Phase",
     &["projectfase", "stadium", "stage"]),
    (Field::Status, "status", "Status", "Status",
     &["rag", "ragstatus", "stoplicht", "statuskleur", "kleur"]),
    (Field::StatusNote, "status_note", "Toelichting status", "Status note",
     &["statustoelichting", "toelichtingopstatus", "opmerkingen", "opmerking", "voortgang", "stand", "standvanzaken"]),
    (Field::StartDate, "start_date", "Startdatum", "Start date",
     &["start", "begin", "begindatum", "aanvang", "aanvangsdatum", "vanaf", "startdate"]),
    (Field::EndDate, "end_date", "Einddatum", "End date",
     &["eind", "einde", "opleverdatum", "deadline", "tot", "gereed", "enddate", "afronding"]),
    (Field::Budget, "budget_eur", "Budget (€)", "Budget (€)",
     &["budget", "budgeteur", "kosten", "kosteneur", "begroting", "bedrag", "budgetineuro", "totaalbudget", "budgeteuro"]),
    (Field::Effort, "effort", "Inzet", "Effort",
     &["inspanning", "capaciteit", "fte"]),
    (Field::EffortUnit, "effort_unit", "Eenheid inzet", "Effort unit",
     &["eenheid", "inzeteenheid"]),
    (Field::Horizon, "horizon", "Horizon", "Horizon",
     &["termijn", "tijdshorizon"]),
    (Field::Character, "character", "Karakter", "Character",
     &["aard", "soortproject"]),
    (Field::PerspectiveStrategicOperational, "perspective_strategic_operational",
     "Perspectief strategisch–operationeel", "Perspective strategic–operational",
     &["strategischoperationeel"]),
    (Field::PerspectiveIctBusiness, "perspective_ict_business",
     "Perspectief ICT–business", "Perspective ICT–business",
     &["ictbusiness"]),
    (Field::Themes, "themes", "Thema's", "Themes",
     &["thema", "themas", "theme", "strategischthema", "strategischethemas", "agendathema", "themasagenda"]),
    (Field::PrimaryTheme, "primary_theme", "Hoofdthema", "Primary theme",
     &["primairthema", "primarytheme"]),
    (Field::MoraAreas, "mora_areas", "MORA-procesgebieden", "MORA process areas",
     &["mora", "moraprocesgebied", "procesgebied", "procesgebieden", "moragebied", "moragebieden", "processarea", "processareas", "moraarea", "moraareas", "moraprocessarea", "mboreferentiearchitectuur"]),
    (Field::Drivers, "drivers", "Beleidsdrijvers", "Policy drivers",
     &["beleidsdrijver", "drivers", "policydrivers", "aanleiding"]),
    (Field::Visibility, "visibility", "Zichtbaarheid", "Visibility",
     &["zichtbaarvoor", "zichtbaar"]),
    (Field::Shareable, "shareable", "Deelbaar als voorbeeld", "Shareable as an example",
     &["deelbaar", "voorbeeld", "shareable", "casus"]),
    (Field::CaseSummary, "case_summary", "Casusbeschrijving", "Case summary",
     &["casusomschrijving", "voorbeeldbeschrijving", "casesummary"]),
    (Field::Links, "links", "Links", "Links",
     &["link", "url", "urls", "website", "webpagina"]),
];

impl Field {
    /// The API's name of the field; `score:<criterion>` for a score.
    pub fn code(&self) -> String {
        match self {
            Field::Score(c) => format!("score:{c}"),
            f => FIELDS
                .iter()
                .find(|(x, ..)| x == f)
                .map(|(_, code, ..)| code.to_string())
                .unwrap_or_default(),
        }
    }

    pub fn parse(code: &str) -> Option<Field> {
        if let Some(c) = code.strip_prefix("score:") {
            return (!c.is_empty()).then(|| Field::Score(c.to_string()));
        }
        FIELDS
            .iter()
            .find(|(_, c, ..)| *c == code)
            .map(|(f, ..)| f.clone())
    }

    /// The exchange standard's Dutch header (`criterion` names a score's criterion).
    pub fn dutch(&self, criterion: &str) -> String {
        match self {
            Field::Score(_) => format!("Score {criterion}"),
            f => FIELDS
                .iter()
                .find(|(x, ..)| x == f)
                .map(|(_, _, nl, ..)| nl.to_string())
                .unwrap_or_default(),
        }
    }

    /// The project form's field name, as validation errors name it.
    pub fn form_field(&self) -> String {
        match self {
            Field::Score(c) => format!("score_{c}"),
            Field::Budget => "budget".into(),
            other => other.code(),
        }
    }
}

impl Serialize for Field {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.code())
    }
}

impl<'de> Deserialize<'de> for Field {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let code = String::deserialize(d)?;
        Field::parse(&code)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown field '{code}'")))
    }
}

/// What the criteria are called, for score columns ("Score Impact op onderwijs").
pub struct Criteria(pub Names);

/// The field a header names, if any.
pub fn recognise(header: &str, criteria: &Criteria) -> Option<Field> {
    let n = normalise(header);
    if n.is_empty() {
        return None;
    }
    for (field, code, nl, en, others) in FIELDS {
        if n == normalise(code)
            || n == normalise(nl)
            || n == normalise(en)
            || others.contains(&n.as_str())
        {
            return Some(field.clone());
        }
    }
    // "Score Impact op onderwijs", "score: impact-onderwijs", or the criterion's name alone.
    let rest = header
        .trim()
        .strip_prefix("Score")
        .or_else(|| header.trim().strip_prefix("score"))
        .unwrap_or(header);
    let rest = rest.trim_start_matches([':', ' ', '-']);
    criteria.0.code(rest).map(|c| Field::Score(c.to_string()))
}

/// Column (header text) → field, or `None` to leave the column out. Saved per institution and
/// given to the CLI as `--mapping FILE` (JSON), so it is keyed by what the user sees.
pub type Mapping = BTreeMap<String, Option<Field>>;

/// A sheet's header: where it is and which field each column holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    /// The header's row number as the spreadsheet shows it.
    pub row: usize,
    /// Per column: its header text and its field.
    pub columns: Vec<(String, Option<Field>)>,
}

impl Header {
    pub fn column_of(&self, field: &Field) -> Option<usize> {
        self.columns
            .iter()
            .position(|(_, f)| f.as_ref() == Some(field))
    }
}

/// The header row among a sheet's first rows: the one that names the most known fields (a
/// title row above it names none). `mapping` overrides the recognised fields per header.
pub fn find_header(sheet: &Sheet, criteria: &Criteria, mapping: &Mapping) -> Option<Header> {
    let mut best: Option<(usize, Header)> = None;
    for row in sheet.rows.iter().filter(|r| !r.is_empty()).take(30) {
        let header = header_of(row, criteria, mapping);
        let known = header.columns.iter().filter(|(_, f)| f.is_some()).count();
        if known >= 2 && best.as_ref().is_none_or(|(n, _)| known > *n) {
            best = Some((known, header));
        }
    }
    best.map(|(_, h)| h)
}

fn header_of(row: &Row, criteria: &Criteria, mapping: &Mapping) -> Header {
    let mut seen = Vec::new();
    let columns = row
        .cells
        .iter()
        .map(|cell| {
            let text = cell.text();
            let field = match mapping.get(&text) {
                Some(chosen) => chosen.clone(),
                None => recognise(&text, criteria),
            };
            // A field taken by an earlier column is not taken twice.
            let field = field.filter(|f| !seen.contains(f));
            if let Some(f) = &field {
                seen.push(f.clone());
            }
            (text, field)
        })
        .collect();
    Header {
        row: row.number,
        columns,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn criteria() -> Criteria {
        Criteria(Names::new([("impact-onderwijs", "Impact op onderwijs")]))
    }

    #[test]
    fn institutions_own_column_names_are_recognised() {
        let c = criteria();
        for (header, field) in [
            ("Projectnaam", Field::Title),
            ("Projectnr.", Field::ExternalId),
            ("Thema('s)", Field::Themes),
            ("Korte omschrijving", Field::Summary),
            ("Startdatum", Field::StartDate),
            ("Kosten (€)", Field::Budget),
            ("RAG", Field::Status),
            ("Trekker", Field::ProjectLead),
            ("Title", Field::Title),
            ("MORA", Field::MoraAreas),
            ("Procesgebied", Field::MoraAreas),
            ("MORA process areas", Field::MoraAreas),
            ("Start date", Field::StartDate),
            (
                "Score Impact op onderwijs",
                Field::Score("impact-onderwijs".into()),
            ),
        ] {
            assert_eq!(recognise(header, &c), Some(field), "{header}");
        }
        assert_eq!(recognise("Opmerkingen", &c), Some(Field::StatusNote));
        assert_eq!(recognise("Kleur van de gevel", &c), None);
    }

    #[test]
    fn fields_have_codes_that_read_back() {
        for (field, ..) in FIELDS {
            assert_eq!(Field::parse(&field.code()).as_ref(), Some(field));
        }
        let score = Field::Score("impact-onderwijs".into());
        assert_eq!(Field::parse(&score.code()), Some(score));
    }
}
