-- params: unit, year
-- One unit's repeated complaints of the year, counted or not, with the reason.
SELECT c.complaint_id, c.date, c.title, r.name AS river_name, c.rectified, c.negative_impact,
       (NOT c.rectified OR c.negative_impact) AS counted
FROM complaints AS c
LEFT JOIN rivers AS r USING (river_id)
WHERE c.unit_id = $unit AND year(c.date) = $year AND c.repeated
ORDER BY c.date
