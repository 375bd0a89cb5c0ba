-- params: upto, year
-- Each township's water, this year and last (January to month $upto): per factor, the mean of the annual
-- means (mean of monthly values) of its sections measured in both years, so the two years compare the same
-- sections (docs/DOMAIN.md §4): the water component of a township's score.
WITH ytd AS (
    SELECT s.township_id AS unit_id, s.section_id, CAST(year(m.month) AS INTEGER) AS year,
           avg(m.tp) AS tp, avg(m.nh3n) AS nh3n
    FROM sections AS s
    JOIN readings_monthly AS m USING (section_id)
    WHERE year(m.month) IN ($year, $year - 1)
      AND month(m.month) <= $upto
    GROUP BY ALL
),
paired AS (
    SELECT t.unit_id, t.section_id, t.tp, t.nh3n, l.tp AS tp_last, l.nh3n AS nh3n_last
    FROM ytd AS t
    JOIN ytd AS l ON l.section_id = t.section_id AND l.year = t.year - 1
    WHERE t.year = $year
)
SELECT unit_id, CAST($year AS INTEGER) AS year, count(*) AS sections,
       avg(tp) FILTER (WHERE tp_last IS NOT NULL) AS tp,
       avg(nh3n) FILTER (WHERE nh3n_last IS NOT NULL) AS nh3n
FROM paired
GROUP BY ALL
UNION ALL
SELECT unit_id, CAST($year - 1 AS INTEGER) AS year, count(*) AS sections,
       avg(tp_last) FILTER (WHERE tp IS NOT NULL) AS tp,
       avg(nh3n_last) FILTER (WHERE nh3n IS NOT NULL) AS nh3n
FROM paired
GROUP BY ALL
ORDER BY unit_id, year
