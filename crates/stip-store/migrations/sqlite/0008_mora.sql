-- MORA process areas (issue 10): the process areas of the MBO Referentie Architectuur, a
-- reference list the beheerder edits (see `crates/stip-core/src/mora.rs`), seeded with the
-- areas Stip ships: eleven main areas and Bedrijfsvoering with its seven parts as sub-areas
-- (`parent_id`; one level deep). Projects map to any number of areas.
CREATE TABLE mora_areas (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    parent_id INTEGER REFERENCES mora_areas(id),
    position INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX mora_areas_parent ON mora_areas(parent_id);

INSERT INTO mora_areas (code, name, position) VALUES
    ('verbinding-maatschappij', 'Verbinding met maatschappij, bedrijfsleven en regio', 1),
    ('strategie-beleid-sturing', 'Strategie, beleid en sturing', 2),
    ('tactisch-inrichten', 'Tactisch inrichten', 3),
    ('onderzoek-innovatie', 'Onderzoek en innovatie', 4),
    ('instroom', 'Instroom', 5),
    ('onderwijs-ontwikkelen', 'Onderwijs ontwikkelen', 6),
    ('onderwijs-uitvoeren', 'Onderwijs uitvoeren', 7),
    ('examineren-diplomeren', 'Examineren en diplomeren', 8),
    ('student-begeleiden', 'Student begeleiden', 9),
    ('onderwijs-ondersteunen', 'Onderwijs ondersteunen', 10),
    ('uitstroom', 'Uitstroom', 11),
    ('bedrijfsvoering', 'Bedrijfsvoering', 12);
INSERT INTO mora_areas (code, name, parent_id, position)
SELECT c.code, c.name, p.id, c.position
FROM (
    SELECT 'bedrijfsvoering-communicatie' AS code, 'Communicatie' AS name, 1 AS position
    UNION ALL SELECT 'bedrijfsvoering-facility-ict', 'Facility- en ICT-management', 2
    UNION ALL SELECT 'bedrijfsvoering-financien', 'Financieel management', 3
    UNION ALL SELECT 'bedrijfsvoering-hrm', 'HRM', 4
    UNION ALL SELECT 'bedrijfsvoering-informatie-data', 'Informatie- en datamanagement', 5
    UNION ALL SELECT 'bedrijfsvoering-inkoop-contract', 'Inkoop en contractmanagement', 6
    UNION ALL SELECT 'bedrijfsvoering-juridisch', 'Juridische ondersteuning', 7
) c, mora_areas p
WHERE p.code = 'bedrijfsvoering'
ORDER BY c.position;

CREATE TABLE project_mora_areas (
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    area_id INTEGER NOT NULL REFERENCES mora_areas(id),
    PRIMARY KEY (project_id, area_id)
);
CREATE INDEX project_mora_areas_area ON project_mora_areas(area_id, project_id);

-- The change log (see 0004): every process reloads its lists and its read model when the
-- areas change, as for the other reference lists.
CREATE TRIGGER mora_areas_insert_logged AFTER INSERT ON mora_areas BEGIN
    INSERT INTO change_log (kind, entity_id) VALUES ('mora_areas', NULL);
END;
CREATE TRIGGER mora_areas_update_logged AFTER UPDATE ON mora_areas BEGIN
    INSERT INTO change_log (kind, entity_id) VALUES ('mora_areas', NULL);
END;
CREATE TRIGGER mora_areas_delete_logged AFTER DELETE ON mora_areas BEGIN
    INSERT INTO change_log (kind, entity_id) VALUES ('mora_areas', NULL);
END;
