-- params: river, township, upto
-- Year-to-date means per section and year (January to month $upto of every year), weighted by the
-- number of samples so that they equal the mean of the year's results.
SELECT
    s.section_id,
    s.name AS section_name,
    s.river_id,
    r.name AS river_name,
    s.water_body,
    s.target_class,
    CAST(year(m.month) AS INTEGER) AS year,
    CAST(count(*) AS INTEGER) AS months,
    CAST(sum(m.n) AS INTEGER) AS n,
    sum(m.tp * m.n) / sum(m.n) AS tp,
    sum(m.nh3n * m.n) / sum(m.n) AS nh3n,
    sum(m.codmn * m.n) / sum(m.n) AS codmn,
    sum(m."do" * m.n) / sum(m.n) AS "do"
FROM scoped_sections($township, $river) AS s
JOIN rivers AS r USING (river_id)
JOIN readings_monthly AS m ON m.section_id = s.section_id
WHERE month(m.month) <= $upto
GROUP BY ALL
ORDER BY s.section_id, year
