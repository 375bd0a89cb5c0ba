-- params: year
-- Every unit with its rating and its counted complaints (repeated and still not rectified, or with a
-- negative impact) for the year.
SELECT
    u.unit_id,
    u.name AS unit_name,
    u.kind AS unit_kind,
    r.rating,
    (SELECT count(*) FROM complaints AS c
     WHERE c.unit_id = u.unit_id AND year(c.date) = $year AND c.repeated
       AND (NOT c.rectified OR c.negative_impact)) AS complaints
FROM units AS u
LEFT JOIN ratings AS r ON r.unit_id = u.unit_id AND r.year = $year
ORDER BY u.unit_id
