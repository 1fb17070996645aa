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
     &["korteomschrijving", "kortebeschrijving", "kortetoelichting", "samenvattingproject", "abstract"]),
    (Field::Description, "description", "Beschrijving", "Description",
     &["omschrijving", "toelichting", "toelichtingproject", "projecttoelichting", "langeomschrijving", "uitgebreideomschrijving", "projectomschrijving", "projectbeschrijving", "inhoud", "details"]),
    (Field::IntendedResult, "intended_result", "Beoogd resultaat", "Intended result",
     &["resultaat", "resultaten", "doel", "doelen", "doelstelling", "doelstellingen", "beoogderesultaten", "beoogddoel", "opbrengst", "result", "goal", "goals", "outcome"]),
    (Field::Owner, "owner", "Opdrachtgever", "Owner",
     &["eigenaar", "projecteigenaar", "sponsor", "bestuurder", "opdrachtgevers", "portefeuillehouder", "projectowner"]),
    (Field::ProjectLead, "project_lead", "Projectleider", "Project lead",
     &["trekker", "projecttrekker", "projectmanager", "leider", "projectleiding", "manager", "lead", "verantwoordelijke", "uitvoerder"]),
    (Field::ContactPerson, "contact_person", "Contactpersoon", "Contact person",
     &["contact", "aanspreekpunt", "contactpersonen"]),
    (Field::Phase, "phase", "Fase", "Phase",
     &["projectfase", "stadium", "stage", "levensfase"]),
    (Field::Status, "status", "Status", "Status",
     &["rag", "ragstatus", "stoplicht", "stoplichtstatus", "statuskleur", "kleur", "projectstatus", "gezondheid", "health"]),
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
     &["thema", "themas", "theme", "strategischthema", "strategischethemas", "agendathema", "themasagenda", "sadthema", "ambitie", "speerpunt"]),
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

/// The field whose code, header or other name is `n` (normalised).
fn named(n: &str) -> Option<Field> {
    NAMES.get(n).cloned()
}

/// Every field's names (code, Dutch, English and the others people use), normalised, to the
/// field; a name two fields share is the first field's.
static NAMES: std::sync::LazyLock<std::collections::HashMap<String, Field>> =
    std::sync::LazyLock::new(|| {
        let mut names = std::collections::HashMap::new();
        for (field, code, nl, en, others) in FIELDS {
            for name in [*code, *nl, *en].into_iter().chain(others.iter().copied()) {
                names
                    .entry(normalise(name))
                    .or_insert_with(|| field.clone());
            }
        }
        names
    });

/// The most words a field's name has ("perspectief strategisch operationeel"): a longer run
/// of a header's words is never looked up.
const MOST_WORDS: usize = 4;

/// Names too general to count as a word inside a longer header: "Kleur van de gevel" is no
/// status, "Code opleiding" no project number. Alone they still name their field.
const ONLY_ALONE: &[&str] = &[
    "kleur",
    "code",
    "nr",
    "nummer",
    "id",
    "ref",
    "naam",
    "project",
    "tot",
    "stand",
    "contact",
    "lead",
    "manager",
    "leider",
    "aard",
    "eenheid",
    "voorbeeld",
    "casus",
    "zichtbaar",
    "aanleiding",
    "link",
    "url",
    "inhoud",
    "details",
    "doel",
    "begin",
    "eind",
    "einde",
    "start",
    "fte",
    "bedrag",
    "stage",
    "theme",
    "summary",
    "result",
];

/// Words around a header's name that say nothing about the field: years, units, numbering.
fn is_qualifier(word: &str) -> bool {
    word.chars().all(|c| c.is_ascii_digit())
        || matches!(
            word,
            "eur" | "euro" | "euros" | "k" | "incl" | "excl" | "btw" | "ca" | "nl" | "en"
        )
}

/// The field a header names, if any: the header as a whole ("Startdatum", "Thema('s)"), the
/// header without what is in brackets ("Status (RAG)"), or the longest run of its words that
/// names a field, leaving out years and units ("Thema SAD", "Budget 2025 in euro",
/// "Naam projectleider").
pub fn recognise(header: &str, criteria: &Criteria) -> Option<Field> {
    let n = normalise(header);
    if n.is_empty() {
        return None;
    }
    if let Some(field) = named(&n) {
        return Some(field);
    }
    if let Some(field) = by_words(header) {
        return Some(field);
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

/// The field the longest run of a header's words names (see [`recognise`]).
fn by_words(header: &str) -> Option<Field> {
    let outside_brackets: String = {
        let mut depth = 0i32;
        header
            .chars()
            .filter(|c| {
                match c {
                    '(' | '[' => depth += 1,
                    ')' | ']' => depth -= 1,
                    _ => return depth <= 0,
                }
                false
            })
            .collect()
    };
    for text in [outside_brackets.as_str(), header] {
        let words: Vec<String> = text
            .split(|c: char| !c.is_alphanumeric())
            .map(normalise)
            .filter(|w| !w.is_empty() && !is_qualifier(w))
            .collect();
        if words.is_empty() {
            continue;
        }
        if let Some(field) = named(&words.concat()) {
            return Some(field);
        }
        for len in (1..words.len().min(MOST_WORDS + 1)).rev() {
            for run in words.windows(len) {
                let joined = run.concat();
                if len == 1 && ONLY_ALONE.contains(&joined.as_str()) {
                    continue;
                }
                if let Some(field) = named(&joined) {
                    return Some(field);
                }
            }
        }
    }
    None
}

/// Column (header text) → field, or `None` to leave the column out. Saved per institution and
/// given to the CLI as `--mapping FILE` (JSON), so it is keyed by what the user sees.
pub type Mapping = BTreeMap<String, Option<Field>>;

/// Why a column holds its field, or none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "by", rename_all = "snake_case")]
pub enum Reason {
    /// Chosen by the person, at this import or the institution's last one.
    Chosen,
    /// Its header names the field.
    Header,
    /// Its values: `matching` of the `values` filled in below the header are of the field's
    /// kind (theme names, phases, dates…), whatever the header says.
    Content { matching: usize, values: usize },
    /// Another column already holds the field.
    Taken,
    /// The names beside a column of codes, as an export writes them ("Thema's (namen)",
    /// "Instelling" beside "BRIN"): the codes are read.
    Names,
    /// Neither its header nor its values say what it holds: it is not read.
    Unknown,
}

/// A column of a sheet's header.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// The header as the file has it.
    pub name: String,
    pub field: Option<Field>,
    pub reason: Reason,
    /// The first values filled in below the header (at most three), to show what a column
    /// holds.
    pub examples: Vec<String>,
}

/// A sheet's header: where it is and which field each column holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    /// The header's row number as the spreadsheet shows it.
    pub row: usize,
    pub columns: Vec<Column>,
}

impl Header {
    pub fn column_of(&self, field: &Field) -> Option<usize> {
        self.columns
            .iter()
            .position(|c| c.field.as_ref() == Some(field))
    }

    /// How many columns hold a field.
    pub fn known(&self) -> usize {
        self.columns.iter().filter(|c| c.field.is_some()).count()
    }

    /// Gives column `i` the field `field` for `reason`, unless another column holds it.
    pub fn assign(&mut self, i: usize, field: Field, reason: Reason) {
        let taken = self.column_of(&field).is_some_and(|at| at != i);
        let column = &mut self.columns[i];
        if taken {
            column.field = None;
            column.reason = Reason::Taken;
        } else {
            column.field = Some(field);
            column.reason = reason;
        }
    }
}

/// The header row among a sheet's first rows: the one that names the most known fields (a
/// title row above it names none). `mapping` overrides the recognised fields per header.
pub fn find_header(sheet: &Sheet, criteria: &Criteria, mapping: &Mapping) -> Option<Header> {
    let mut best: Option<Header> = None;
    for row in sheet.rows.iter().filter(|r| !r.is_empty()).take(30) {
        let header = header_of(row, criteria, mapping);
        let known = header.known();
        if known >= 2 && best.as_ref().is_none_or(|b| known > b.known()) {
            best = Some(header);
        }
    }
    best
}

/// Gives each column its first values (at most three) from `rows`, to show what it holds.
pub fn fill_examples(header: &mut Header, rows: &[&Row]) {
    for row in rows {
        let mut full = true;
        for (i, column) in header.columns.iter_mut().enumerate() {
            let text = row.cell(i).text();
            if column.examples.len() < 3 && !text.trim().is_empty() {
                column.examples.push(text);
            }
            full &= column.examples.len() == 3;
        }
        if full {
            break;
        }
    }
}

/// The column an export writes beside the column of `field` with the names of its codes.
pub fn names_header(field: &Field) -> String {
    match field {
        Field::Institution => "Instelling".into(),
        f => format!("{} (namen)", f.dutch("")),
    }
}

/// The fields whose codes an export also writes as names, in a column of their own.
pub const NAMED: &[Field] = &[
    Field::Institution,
    Field::Themes,
    Field::Drivers,
    Field::MoraAreas,
];

fn header_of(row: &Row, criteria: &Criteria, mapping: &Mapping) -> Header {
    let mut header = Header {
        row: row.number,
        columns: Vec::new(),
    };
    for (i, cell) in row.cells.iter().enumerate() {
        let name = cell.text();
        header.columns.push(Column {
            name: name.clone(),
            field: None,
            reason: Reason::Unknown,
            examples: Vec::new(),
        });
        match mapping.get(&name) {
            Some(Some(chosen)) => header.assign(i, chosen.clone(), Reason::Chosen),
            Some(None) => header.columns[i].reason = Reason::Chosen,
            None if NAMED.iter().any(|f| names_header(f) == name.trim()) => {
                header.columns[i].reason = Reason::Names;
            }
            None => {
                if let Some(field) = recognise(&name, criteria) {
                    header.assign(i, field, Reason::Header);
                }
            }
        }
    }
    // Names without their codes are read: a theme is read by its name as well as its code.
    for i in 0..header.columns.len() {
        let column = &header.columns[i];
        let Some(field) = NAMED
            .iter()
            .find(|f| column.reason == Reason::Names && names_header(f) == column.name.trim())
        else {
            continue;
        };
        if *field != Field::Institution && header.column_of(field).is_none() {
            header.assign(i, field.clone(), Reason::Header);
        }
    }
    header
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
    fn headers_are_read_as_a_person_reads_them_with_qualifiers_units_and_years() {
        let c = criteria();
        for (header, field) in [
            ("Thema SAD", Field::Themes),
            ("Status (RAG)", Field::Status),
            ("Toelichting", Field::Description),
            ("Toelichting status", Field::StatusNote),
            ("Budget 2025 in euro", Field::Budget),
            ("Naam projectleider", Field::ProjectLead),
            ("Projecttrekker", Field::ProjectLead),
            ("Korte omschrijving project", Field::Summary),
            ("Startdatum (gepland)", Field::StartDate),
            ("Stoplicht", Field::Status),
            ("Doelstelling", Field::IntendedResult),
            ("Eigenaar:", Field::Owner),
            ("Datum gereed", Field::EndDate),
            ("Fase project 2024-2025", Field::Phase),
        ] {
            assert_eq!(recognise(header, &c), Some(field), "{header}");
        }
        for header in [
            "Kleur van de gevel",
            "Code opleiding",
            "Doelgroep",
            "Aantal studenten",
        ] {
            assert_eq!(recognise(header, &c), None, "{header}");
        }
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
