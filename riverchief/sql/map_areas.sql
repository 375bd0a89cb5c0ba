-- params: none
-- The district and its townships: the grey base of the map.
SELECT 'district' AS kind, code AS id, name, geom_wkt FROM district
UNION ALL
SELECT 'township', township_id, name, geom_wkt FROM townships
