-- params: none
-- What the shared filters can choose from: townships and district-level rivers with items.
SELECT 'township' AS kind, township_id AS id, name FROM townships
UNION ALL
SELECT 'river', river_id, name FROM rivers WHERE level = '区级'
UNION ALL
SELECT 'unit', unit_id, name FROM units
ORDER BY kind, id
