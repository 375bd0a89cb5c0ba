-- params: upto, year
-- Year-to-date means of each township's sections, this year and last (January to month $upto),
-- weighted by samples: the water component of a township's score.
SELECT
    s.township_id AS unit_id,
    CAST(year(m.month) AS INTEGER) AS year,
    count(DISTINCT s.section_id) AS sections,
    sum(m.tp * m.n) / sum(m.n) AS tp,
    sum(m.nh3n * m.n) / sum(m.n) AS nh3n
FROM sections AS s
JOIN readings_monthly AS m USING (section_id)
WHERE year(m.month) IN ($year, $year - 1)
  AND month(m.month) <= $upto
GROUP BY ALL
ORDER BY unit_id, year
