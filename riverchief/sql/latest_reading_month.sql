-- params: month, river, township
-- The latest month up to the chosen one in which a section in scope has a classed result: what the water page and
-- the meeting pack show when the chosen month has no readings yet (a round published before the lab results).
SELECT max(m.month) AS month
FROM scoped_sections($township, $river) AS s
JOIN readings_monthly AS m ON m.section_id = s.section_id
WHERE m.month <= $month
  AND m.water_class IS NOT NULL
